// `maskwright export`: the labelled images of folders, written in a training format. Images are
// listed like every other batch (mask files skipped), their masks read through src/io, and each
// format writer (exportCoco.ts, exportFiles.ts) writes its files atomically. Images without mask
// files are skipped; a failing image is reported and the others go on.
import * as path from 'node:path';
import { findConfig } from '../dataset/config';
import { cliConfigBoundary, scanDatasetDetailed } from '../dataset/scan';
import { readImageInfo } from '../io/image';
import { readMasks } from '../io/masks';
import type { DatasetConfig } from '../shared/config';
import { splitName } from '../shared/paths';
import { assignSplits, type SplitSpec } from '../formats/split';
import { commonRoot, newSummary, posixRelative, record, type ExportFormat, type JobProgress, type JobSummary } from './common';
import { cocoWriter, panopticWriter } from './exportCoco';
import { cityscapesWriter, gray8Writer, labelmeWriter, vocWriter, yoloWriter } from './exportFiles';
import type { ExportContext, ExportWriter } from './exportTypes';

export interface ExportOptions {
  readonly format: ExportFormat;
  /** A .json file for coco / coco-panoptic, a folder for the others. */
  readonly out: string;
  readonly inputs: readonly string[];
  readonly recursive?: boolean;
  /** COCO: polygon lists instead of RLE where an object has no holes. */
  readonly polygons?: boolean;
  readonly split?: readonly SplitSpec[];
  readonly seed?: number;
  /** Where config discovery stops (see findConfig); default: each input's repository root. */
  readonly stopAt?: (dir: string) => string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: JobProgress) => void;
}

export class ExportError extends Error {
  override name = 'ExportError';
}

function writerFor(format: ExportFormat, ctx: ExportContext): ExportWriter {
  switch (format) {
    case 'coco': return cocoWriter(ctx);
    case 'coco-panoptic': return panopticWriter(ctx);
    case 'voc': return vocWriter(ctx);
    case 'cityscapes': return cityscapesWriter(ctx);
    case 'yolo-seg': return yoloWriter(ctx);
    case 'labelme': return labelmeWriter(ctx);
    case 'gray8': return gray8Writer(ctx);
    default: {
      const never: never = format;
      throw new ExportError(`unknown format ${String(never)}`);
    }
  }
}

/** What makes two configs export the same way (classes, ignore and background ids). */
function signature(c: DatasetConfig): string {
  return JSON.stringify([c.semanticBits, c.ignoreIndex, c.backgroundId, c.classes.map((k) => [k.id, k.name, k.kind])]);
}

/**
 * Exports the images of `inputs`. Throws ExportError for a problem with the whole job (bad --out,
 * nothing to export); per-image problems are items of the summary.
 */
export async function exportDataset(opts: ExportOptions): Promise<JobSummary> {
  const summary = newSummary(opts.format);
  const out = path.resolve(opts.out);
  const jsonOut = opts.format === 'coco' || opts.format === 'coco-panoptic';
  if (jsonOut && !/\.json$/i.test(out)) throw new ExportError(`--out for ${opts.format} is a .json file (got ${opts.out})`);
  if (!jsonOut && /\.json$/i.test(out)) throw new ExportError(`--out for ${opts.format} is a folder (got ${opts.out})`);
  const stopAt = opts.stopAt ?? await cliConfigBoundary(opts.inputs);
  const { images, conflicts } = await scanDatasetDetailed(opts.inputs, { recursive: opts.recursive === true, stopAt });
  if (images.length === 0) throw new ExportError(`no images found in ${opts.inputs.join(', ')}`);
  const root = await commonRoot(opts.inputs);
  // Files written among the images would overwrite them (gray8 STEM.png) or be taken for images later.
  const outDir = opts.format === 'coco' ? null : opts.format === 'coco-panoptic' ? out.replace(/\.json$/i, '') : out;
  if (outDir) {
    for (const input of opts.inputs) {
      const dir = await commonRoot([input]);
      const rel = path.relative(dir, outDir);
      if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new ExportError(`the output folder ${outDir} is inside the dataset folder ${dir}; export to a folder outside the images`);
    }
  }

  // Configs: every image must export with the same classes.
  const configs = new Map<string, { config: DatasetConfig; file: string | null }>();
  for (const dir of new Set(images.map((f) => path.dirname(f)))) configs.set(dir, await findConfig(dir, { stopAt: stopAt(dir) }));
  const first = configs.get(path.dirname(images[0]))!;
  const sig = signature(first.config);

  // Flat output names: one stem per export.
  const bad = new Map<string, string>();
  for (const g of conflicts) for (const f of g) bad.set(f, `${g.map((x) => path.basename(x)).join(' and ')} share a stem in one folder`);
  const byStem = new Map<string, string>();
  for (const f of images) {
    const c = configs.get(path.dirname(f))!;
    if (signature(c.config) !== sig) bad.set(f, `its config ${c.file ?? '(default)'} has other classes than ${first.file ?? '(default)'}; export one dataset at a time`);
    const stem = splitName(path.basename(f)).stem;
    const prev = byStem.get(stem.toLowerCase());
    if (prev && !bad.has(f)) bad.set(f, `stem "${stem}" is already exported from ${posixRelative(root, prev)}`);
    else if (!prev) byStem.set(stem.toLowerCase(), f);
  }
  const splits = opts.split && opts.split.length ? assignSplits(images.length, opts.split, opts.seed ?? 0) : null;
  const ctx: ExportContext = { out, root, config: first.config, splits: opts.split?.map((s) => s.name) ?? null, polygons: opts.polygons === true, summary };
  const writer = writerFor(opts.format, ctx);

  for (let i = 0; i < images.length; i++) {
    const file = images[i];
    if (opts.signal?.aborted) { summary.cancelled = true; break; }
    opts.onProgress?.({ total: images.length, finished: i, current: file });
    const reason = bad.get(file);
    if (reason) { record(summary, { image: file, status: 'failed', reason }); continue; }
    try {
      const { width, height } = await readImageInfo(file);
      // Each folder's own config for reading (its mask patterns may differ; its classes do not).
      const loaded = await readMasks(file, width, height, configs.get(path.dirname(file))!.config);
      if (!loaded.existing.mask && !loaded.existing.instances) { record(summary, { image: file, status: 'skipped', reason: 'no masks' }); continue; }
      const n = await writer.add({
        file, rel: posixRelative(root, file), stem: splitName(path.basename(file)).stem,
        split: splits ? splits[i] : null, maps: loaded.maps, info: loaded.instanceInfo,
      });
      summary.annotations += n;
      record(summary, { image: file, status: 'done', annotations: n, ...(loaded.warnings.length ? { warnings: loaded.warnings } : {}) });
    } catch (e) {
      record(summary, { image: file, status: 'failed', reason: (e as Error).message });
    }
  }
  opts.onProgress?.({ total: images.length, finished: images.length });
  if (!summary.cancelled) await writer.finish();
  return summary;
}
