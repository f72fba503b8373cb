// `maskwright queue DIR [--json]`: images ranked by what most likely needs a person.
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { cliConfigBoundary } from '../../dataset/scan';
import { collectQueue } from '../../review/dataset';
import { rankQueue } from '../../review/queue';

export const queueCommand: CliCommand = {
  name: 'queue',
  summary: 'Images ranked for review: not reviewed first, then highest uncertainty or lowest agreement',
  help: [
    'usage: maskwright queue DIR... [--recursive] [--limit N] [--json]',
    '',
    'Lists the images, not reviewed ones first; within each group the highest score first. The score',
    '(0..1) is the larger of the uncertainty pre-labelling recorded in the sidecar (prelabel.uncertainty:',
    'the share of the labelled area where the model\'s top two classes were close) and 1 - the mean IoU',
    'that `maskwright compare` last measured for the same saved masks. Ties: drafts before unlabelled',
    'images before edited ones. Reads sidecars only; no image or mask is decoded.',
    '',
    'Options:',
    '  --recursive       descend into sub-folders',
    '  --limit N         print the first N only',
    '  --json            one array: [{"image","status","score","reason","uncertainty"?,"agreement"?,"source"?}]',
    '',
    'Exit codes: 0 listed, 1 error, 2 bad arguments.',
  ].join('\n'),
  options: { recursive: { type: 'boolean' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, positionals, io) {
    if (positionals.length === 0) throw new UsageError('give at least one folder');
    let limit = Infinity;
    if (values.limit !== undefined) {
      limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${String(values.limit)} must be a positive integer`);
    }
    const stopAt = await cliConfigBoundary(positionals);
    const { items, problems } = await collectQueue({ dirs: positionals, recursive: values.recursive === true, stopAt });
    const ranked = rankQueue(items).slice(0, limit);
    const rel = (f: string): string => path.relative(process.cwd(), f) || f;
    if (values.json) {
      io.out(JSON.stringify(ranked.map((q) => ({
        image: rel(q.image), status: q.status, score: q.score, reason: q.reason,
        ...(q.uncertainty !== undefined ? { uncertainty: q.uncertainty } : {}),
        ...(q.agreement !== undefined ? { agreement: q.agreement, agreementWith: q.agreementWith } : {}),
        ...(q.source ? { source: q.source } : {}),
      }))));
    } else {
      ranked.forEach((q, i) => io.out(`${String(i + 1).padStart(5)}  ${q.score.toFixed(4)}  ${q.status.padEnd(10)} ${rel(q.image)}  ${q.reason}`));
    }
    for (const p of problems) io.err(`warning: ${rel(p.image)}: ${p.message}`);
    const open = items.filter((q) => q.status !== 'reviewed').length;
    io.err(`${items.length} image(s), ${open} not reviewed`);
    return 0;
  },
};
