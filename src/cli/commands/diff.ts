// `maskwright diff IMAGE [--against REV | --with OTHER.mask.png] [--json]`: label-aware diff.
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { findConfig } from '../../dataset/config';
import { cliConfigBoundary } from '../../dataset/scan';
import { diffImage, imageFor, type Against } from '../../review/diffImage';
import { classById } from '../../shared/config';

export const diffCommand: CliCommand = {
  name: 'diff',
  summary: 'Label-aware diff of an image\'s masks against a git revision or another mask file',
  help: [
    'usage: maskwright diff IMAGE [--against REV | --with OTHER.mask.png] [--json]',
    '',
    'Compares the saved masks of IMAGE (or of the image whose mask file is given) with the same files',
    'at a git revision (default HEAD, read with `git show REV:path`) or with another mask file',
    '(and OTHER.instances.png beside it, when there is one). A side without mask files counts as all',
    'background. Per class: pixels before and after, pixels that are the class in both, and their',
    'IoU (1 when the class is in neither); instances (matched by id) added, removed and changed.',
    '',
    'Options:',
    '  --against REV     a git revision: HEAD (default), HEAD~2, a branch, a commit',
    '  --with FILE       another semantic mask PNG of the same size',
    '  --json            {"image","against","changedPixels","classes":{"<id>":{"before","after",',
    '                    "intersection","iou"}},"instances":{"added","removed","changed":[{"id","iou"}]}}',
    '',
    'Exit codes: 0 compared (whether or not anything changed), 1 error, 2 bad arguments.',
  ].join('\n'),
  options: { against: { type: 'string' }, with: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one image');
    if (values.against !== undefined && values.with !== undefined) throw new UsageError('--against and --with exclude each other');
    const rev = (values.against as string | undefined) ?? 'HEAD';
    if (rev.startsWith('-')) throw new UsageError(`--against ${rev} is not a git revision`);
    const stopAt = await cliConfigBoundary(positionals);
    const dir = path.dirname(path.resolve(positionals[0]));
    const { config } = await findConfig(dir, { stopAt: stopAt(dir) });
    const image = await imageFor(positionals[0], config);
    const against: Against = values.with !== undefined ? { file: path.resolve(String(values.with)) } : { rev };
    const d = await diffImage(image, config, against);
    const rel = (f: string): string => path.relative(process.cwd(), f) || f;
    if (values.json) {
      io.out(JSON.stringify({ image: rel(d.image), against: 'file' in against ? rel(against.file) : d.against, changedPixels: d.changedPixels, classes: d.classes, instances: d.instances }));
      return 0;
    }
    io.out(`${rel(d.image)} against ${'file' in against ? rel(against.file) : d.against}: ${d.changedPixels} pixel(s) changed class`);
    const w = Math.max(5, ...Object.keys(d.classes).map((c) => (classById(config, Number(c))?.name ?? '').length + c.length + 3));
    io.out(`  ${'class'.padEnd(w)} ${'before'.padStart(10)} ${'after'.padStart(10)} ${'both'.padStart(10)}    iou`);
    for (const [c, v] of Object.entries(d.classes)) {
      const name = classById(config, Number(c))?.name;
      io.out(`  ${(name ? `${c} (${name})` : c).padEnd(w)} ${String(v.before).padStart(10)} ${String(v.after).padStart(10)} ${String(v.intersection).padStart(10)}  ${v.iou.toFixed(4)}`);
    }
    const i = d.instances;
    io.out(`  instances: ${i.added.length} added${i.added.length ? ` (${i.added.join(', ')})` : ''}, ${i.removed.length} removed${i.removed.length ? ` (${i.removed.join(', ')})` : ''}, ${i.changed.length} changed${i.changed.length ? ` (${i.changed.map((c) => `${c.id}: iou ${c.iou.toFixed(3)}`).join(', ')})` : ''}`);
    return 0;
  },
};
