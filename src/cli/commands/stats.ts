// `maskwright stats DIR [--json]`: per class pixels, images and instances; images per review status.
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { cliConfigBoundary } from '../../dataset/scan';
import { collectStats } from '../../review/dataset';

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Dataset statistics: per class pixels, images and instances; images per review status',
  help: [
    'usage: maskwright stats DIR... [--recursive] [--json]',
    '',
    'Reads every image\'s mask PNGs (not the images) and sidecar. Per class: pixels, the images it',
    'occurs in, and its instances (an instance\'s class is the class under its first pixel); images',
    'per review status (unlabelled, draft, edited, reviewed); instance sizes in log2 bins. Pixels of',
    'the ignore index are not counted as a class.',
    '',
    'Options:',
    '  --recursive       descend into sub-folders',
    '  --json            {"images","labelled","status":{...},"classes":{"<id>":{"pixels","images","instances","name"?}},',
    '                    "instanceSizes":[{"min","max","count"}],"totalPixels","totalInstances","problems"}',
    '',
    'Exit codes: 0 done (unreadable masks are listed as problems), 1 error, 2 bad arguments.',
  ].join('\n'),
  options: { recursive: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(values, positionals, io) {
    if (positionals.length === 0) throw new UsageError('give at least one folder');
    const stopAt = await cliConfigBoundary(positionals);
    const s = await collectStats({ dirs: positionals, recursive: values.recursive === true, stopAt });
    const rel = (f: string): string => path.relative(process.cwd(), f) || f;
    if (values.json) {
      io.out(JSON.stringify({ ...s, problems: s.problems.map((p) => ({ image: rel(p.image), message: p.message })) }));
      return 0;
    }
    io.out(`${s.images} image(s), ${s.labelled} with masks; ${s.totalInstances} instance(s)`);
    io.out(`review: ${s.status.reviewed} reviewed, ${s.status.edited} edited, ${s.status.draft} draft, ${s.status.unlabelled} unlabelled`);
    io.out(`  ${'class'.padEnd(24)} ${'pixels'.padStart(14)} ${'share'.padStart(7)} ${'images'.padStart(8)} ${'instances'.padStart(10)}`);
    for (const [c, v] of Object.entries(s.classes)) {
      const share = s.totalPixels ? ((100 * v.pixels) / s.totalPixels).toFixed(1) + '%' : '-';
      io.out(`  ${(v.name ? `${c} ${v.name}` : c).slice(0, 24).padEnd(24)} ${String(v.pixels).padStart(14)} ${share.padStart(7)} ${String(v.images).padStart(8)} ${String(v.instances).padStart(10)}`);
    }
    if (s.instanceSizes.length) io.out(`instance sizes (px): ${s.instanceSizes.filter((b) => b.count).map((b) => `${b.min}-${b.max}: ${b.count}`).join(', ')}`);
    for (const p of s.problems) io.err(`warning: ${rel(p.image)}: ${p.message}`);
    return 0;
  },
};
