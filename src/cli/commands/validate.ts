// `maskwright validate DIR... [--json]`: every problem that makes masks untrustworthy for training.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { findConfig } from '../../dataset/config';
import { cliConfigBoundary } from '../../dataset/scan';
import { validateDataset, validateImage, type Problem } from '../../dataset/validate';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check masks against images and the dataset config (sizes, classes, instances, interrupted writes)',
  help: [
    'usage: maskwright validate DIR|IMAGE... [--recursive] [--json]',
    '',
    'Finds, without changing anything: masks whose size differs from the image, class ids not in',
    'maskwright.json, instances spanning several classes, instance ids without a sidecar entry and',
    'the reverse, mask files without an image, two images with one stem, unreadable images, masks',
    'or sidecars, mixed sets left by an interrupted write, mask patterns that would write over an',
    'image, and (as a note) images with EXIF orientation.',
    '',
    'Options:',
    '  --recursive       descend into sub-folders (hidden folders skipped)',
    '  --json            one JSON object per problem: {"file","code","severity","message"}',
    '',
    'Exit codes: 0 clean (notes allowed), 1 errors or warnings found, 2 bad arguments.',
  ].join('\n'),
  options: { recursive: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(values, positionals, io) {
    if (positionals.length === 0) throw new UsageError('give at least one folder or image');
    const stopAt = await cliConfigBoundary(positionals);
    const dirs: string[] = [];
    const problems: Problem[] = [];
    let images = 0;
    for (const p of positionals) {
      let st;
      try { st = await fsp.stat(p); } catch (e) { throw new UsageError(`cannot read ${p}: ${(e as Error).message}`); }
      if (st.isDirectory()) dirs.push(p);
      else {
        const dir = path.dirname(path.resolve(p));
        const { config } = await findConfig(dir, { stopAt: stopAt(dir) });
        problems.push(...await validateImage(path.resolve(p), config));
        images++;
      }
    }
    const r = await validateDataset(dirs, { recursive: values.recursive === true, stopAt });
    images += r.images;
    problems.push(...r.problems);
    const rel = (f: string): string => path.relative(process.cwd(), f) || f;
    for (const q of problems) {
      if (values.json) io.out(JSON.stringify({ file: rel(q.file), code: q.code, severity: q.severity, message: q.message }));
      else io.out(`${rel(q.file)}: ${q.severity} ${q.code}: ${q.message}`);
    }
    const bad = problems.filter((q) => q.severity !== 'info').length;
    io.err(`${images} image(s) checked: ${bad} problem(s)${problems.length > bad ? `, ${problems.length - bad} note(s)` : ''}`);
    return bad > 0 ? 1 : 0;
  },
};
