// `compare`: agreement between each image's saved masks and a prediction, read from another
// folder's masks or made now by a model (in memory; nothing is written beside the images).
import * as path from 'node:path';
import { findConfig } from '../dataset/config';
import { scanDataset } from '../dataset/scan';
import type { DatasetConfig } from '../shared/config';
import type { SemanticIds } from '../shared/maskModel';
import { maskFilesFor } from '../io/masks';
import { agreement, datasetAgreement, type DatasetAgreement, type ImageAgreement } from './agreement';
import { agreementKey, imageState, mapLimit, writeAgreementCache, type AgreementCache } from './dataset';
import { savedVersion, versionFromBytes } from './load';
import { promises as fsp } from 'node:fs';

/** Makes the prediction of one image (semantic ids in the dataset's classes). */
export type Predictor = (image: string, config: DatasetConfig, configFile: string | null) => Promise<SemanticIds | null>;

export interface CompareOptions {
  readonly dirs: readonly string[];
  readonly recursive?: boolean;
  readonly stopAt?: (dir: string) => string;
  /** "model:<id>" or "pred:<folder>": recorded with the results. */
  readonly with: string;
  readonly predict: Predictor;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Leave DIR/.maskwright/agreement.json for the review queue (default true). */
  readonly saveCache?: boolean;
}

export interface CompareResult {
  readonly with: string;
  readonly images: Array<{ image: string } & ImageAgreement>;
  readonly skipped: Array<{ image: string; reason: string }>;
  readonly dataset: DatasetAgreement;
  readonly cancelled: boolean;
}

/** Predictions read from masks in `predDir`, at the same relative path as each image under `root`. */
export function folderPredictor(root: string, predDir: string, stopAt?: (dir: string) => string): Predictor {
  return async (image, config) => {
    const other = path.join(path.resolve(predDir), path.relative(root, image));
    let cfg = config;
    try { cfg = (await findConfig(path.dirname(other), stopAt ? { stopAt: path.resolve(predDir) } : {})).config; } catch { /* the images' config */ }
    const f = maskFilesFor(other, cfg);
    const m = await fsp.readFile(f.mask).then((b) => new Uint8Array(b), () => null);
    const v = versionFromBytes(m, null, cfg, f);
    return v ? v.semantic : null;
  };
}

export async function compareDataset(o: CompareOptions): Promise<CompareResult> {
  const images = await scanDataset([...o.dirs], { recursive: o.recursive === true, stopAt: o.stopAt });
  const configs = new Map<string, Promise<{ config: DatasetConfig; file: string | null }>>();
  const configOf = (dir: string): Promise<{ config: DatasetConfig; file: string | null }> => {
    let p = configs.get(dir);
    if (!p) { p = findConfig(dir, o.stopAt ? { stopAt: o.stopAt(dir) } : {}); configs.set(dir, p); }
    return p;
  };
  const results: CompareResult['images'] = [];
  const skipped: CompareResult['skipped'] = [];
  const generations = new Map<string, string | null>();
  let done = 0, cancelled = false;
  // Models run one image at a time (their sessions use the cores); folder predictions a few at a time.
  const limit = o.with.startsWith('model:') ? 1 : 8;
  await mapLimit(images, limit, async (image) => {
    if (o.signal?.aborted) { cancelled = true; return; }
    try {
      const { config, file } = await configOf(path.dirname(image));
      const saved = await savedVersion(image, config);
      if (!saved) { skipped.push({ image, reason: 'no saved masks' }); return; }
      const pred = await o.predict(image, config, file);
      if (!pred) { skipped.push({ image, reason: 'no prediction' }); return; }
      if (pred.length !== saved.semantic.length) { skipped.push({ image, reason: `the prediction has ${pred.length} pixels, the saved mask ${saved.semantic.length}` }); return; }
      results.push({ image, ...agreement(saved.semantic, pred, { backgroundId: config.backgroundId, ignoreIndex: config.ignoreIndex }) });
      generations.set(image, (await imageState(image, config)).sidecar?.generation ?? null);
    } catch (e) {
      skipped.push({ image, reason: (e as Error).message });
    } finally {
      o.onProgress?.(++done, images.length);
    }
  });
  const order = new Map(images.map((im, i) => [im, i]));
  results.sort((a, b) => (order.get(a.image) ?? 0) - (order.get(b.image) ?? 0));
  skipped.sort((a, b) => (order.get(a.image) ?? 0) - (order.get(b.image) ?? 0));
  if (o.saveCache !== false && !cancelled) {
    for (const d of o.dirs) {
      const root = path.resolve(d);
      const st = await fsp.stat(root).catch(() => null);
      if (!st?.isDirectory()) continue;
      const cache: AgreementCache = { version: 1, with: o.with, at: new Date().toISOString(), images: {} };
      for (const r of results) {
        if (!r.image.startsWith(root + path.sep)) continue;
        cache.images[agreementKey(root, r.image)] = { meanIoU: r.meanIoU, meanDice: r.meanDice, generation: generations.get(r.image) ?? null };
      }
      await writeAgreementCache(root, cache).catch(() => undefined);
    }
  }
  return { with: o.with, images: results, skipped, dataset: datasetAgreement(results), cancelled };
}

