// `maskwright prelabel DIR|FILES --model ID`: batch pre-label with progress, resume and shards.
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { findModel } from '../../inference/manifest';
import { parseDevice } from '../../inference/providers';
import { formatSummary, runBatch } from '../../dataset/batch';
import { cliConfigBoundary, parseShard, scanDataset, shardOf } from '../../dataset/scan';
import { cliModels } from './models';

export const prelabelCommand: CliCommand = {
  name: 'prelabel',
  summary: 'Pre-label images with a model (masks written beside each image)',
  help: [
    'usage: maskwright prelabel DIR|FILES... --model ID [--device auto|cuda|webgpu|cpu] [--shard i/n]',
    '                           [--overwrite] [--recursive] [--threads N] [--json]',
    '',
    'Writes STEM.mask.png, STEM.instances.png and STEM.mask.json beside each image, as one unit.',
    'Resumable: images whose untouched draft this model already wrote are skipped. Masks that are',
    'reviewed, carry hand edits, have no sidecar or were changed by another program are never',
    'replaced without --overwrite (whatever the file times), and each skip is listed with its reason.',
    'A failing image is reported and the batch goes on; exit code 1 when any image failed.',
    'Model classes the dataset config lacks are added to maskwright.json (created with the',
    'default classes when there is none, at the repository root or the folder given), and said so.',
    '',
    'Options:',
    '  --model ID        model id (see `maskwright models`); default pp-ocrv4-det (embedded text detector)',
    '  --device D        auto (default: CUDA, then WebGPU, then CPU), cuda, webgpu or cpu',
    '  --shard i/n       only images i, i+n, i+2n, ... of the sorted list (0-based): one command per',
    '                    worker of a Kubernetes Indexed Job (--shard $JOB_COMPLETION_INDEX/N)',
    '  --overwrite       also replace reviewed and hand-made masks; the old files are kept in',
    '                    DIR/.maskwright/trash/<time>/ with a trash.json saying why',
    '  --recursive       descend into sub-folders',
    '  --threads N       CPU threads for inference (default: onnxruntime\'s)',
    '  --models-file F   extra model entries (JSON); default $MASKWRIGHT_MODELS',
    '  --json            print the summary as JSON',
    '',
    'Example: maskwright prelabel data/train --model pp-ocrv4-det --shard 0/4',
  ].join('\n'),
  options: {
    model: { type: 'string' }, device: { type: 'string' }, shard: { type: 'string' }, overwrite: { type: 'boolean' },
    recursive: { type: 'boolean' }, threads: { type: 'string' }, 'models-file': { type: 'string' }, json: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    if (positionals.length === 0) throw new UsageError('give at least one folder or image');
    let device, shard, threads: number | undefined;
    try { device = parseDevice(values.device); } catch (e) { throw new UsageError((e as Error).message); }
    try { shard = values.shard !== undefined ? parseShard(String(values.shard)) : undefined; } catch (e) { throw new UsageError((e as Error).message); }
    if (values.threads !== undefined) {
      threads = Number(values.threads);
      if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new UsageError(`--threads ${String(values.threads)} must be an integer 1..256`);
    }
    const { models, problems } = cliModels(values['models-file'] as string | undefined);
    for (const p of problems) io.err(`warning: ${p}`);
    const model = findModel(models, (values.model as string | undefined) ?? 'pp-ocrv4-det');
    const stopAt = await cliConfigBoundary(positionals);
    let images = await scanDataset(positionals, { recursive: values.recursive === true, stopAt });
    if (shard) images = shardOf(images, shard);
    if (images.length === 0) { io.err('no images found'); return values.json ? (io.out(JSON.stringify({ total: 0 })), 0) : 0; }
    let lastLine = 0;
    const summary = await runBatch(images, model, {
      device, threads, overwrite: values.overwrite === true, signal: io.signal, stopAt,
      // The model's classes are added to the dataset config when it lacks them (said on stderr).
      addMissingClasses: true, onNote: (l) => io.err(l),
      onProgress: (p) => {
        const now = Date.now();
        if (now - lastLine < 1000 && p.finished < p.total) return;
        lastLine = now;
        io.err(`${p.finished}/${p.total} (${p.done} done, ${p.skipped} skipped, ${p.failed} failed)${p.etaSeconds !== undefined ? `, ETA ${Math.ceil(p.etaSeconds)} s` : ''}`);
      },
    });
    if (values.json) io.out(JSON.stringify(summary, null, 2));
    else for (const l of formatSummary(summary)) io.out(l);
    if (summary.cancelled) return 130;
    return summary.failed > 0 ? 1 : 0;
  },
};
