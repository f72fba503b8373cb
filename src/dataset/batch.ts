// Batch pre-label of many images with one model: pipelined (the next image decodes and is
// pre-processed while the current one is in session.run; post-processing and the atomic mask
// writes of the previous one overlap too), progress with count and ETA, AbortSignal cancel,
// resume and hand-edit protection (protect.ts: never over reviewed or hand-edited masks, whatever
// the mtimes), failures recorded per image while the batch goes on.
import * as path from 'node:path';
import type { FloatTensor, RgbImage } from '../algorithms/models/preprocess';
import type { Geometry } from '../algorithms/models/geometry';
import { createBackend, type InferBackend } from '../inference/backend';
import type { ResolvedModel } from '../inference/manifest';
import type { SessionOptions } from '../inference/providers';
import { checkMapping, datasetMapOptions, finishOutputs, type MapOptions } from '../inference/runner';
import { decodeImage } from '../io/image';
import type { DatasetConfig } from '../shared/config';
import type { InstanceInfo } from '../shared/maskModel';
import { findConfig } from './config';
import { checkTargets } from './scan';
import { addModelClasses, describeAdded } from './modelClasses';
import { checkAutomatic, writeAutomatic } from './protect';
import { draftUncertainty } from '../review/draftUncertainty';

export interface BatchProgress {
  readonly total: number;
  /** Images finished so far (done + skipped + failed). */
  readonly finished: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly current?: string;
  /** Seconds left at the current rate, once one image has run. */
  readonly etaSeconds?: number;
}

export interface BatchItem {
  readonly image: string;
  readonly status: 'done' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly instances?: number;
  /** Where the replaced files were kept (with overwrite). */
  readonly trashed?: string;
}

export interface BatchSummary {
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly provider: string;
  readonly where: string;
  readonly seconds: number;
  readonly items: readonly BatchItem[];
}

export interface BatchOptions extends SessionOptions {
  readonly overwrite?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: BatchProgress) => void;
  /** Run session.run in a worker thread when available (default) or in this thread. */
  readonly backend?: 'worker' | 'in-process';
  /** An already created backend (reused across batches by the extension); not disposed here. */
  readonly shared?: InferBackend;
  /** Where config discovery stops for a folder (the workspace folder, the CLI's folder or repository root). */
  readonly stopAt?: (dir: string) => string;
  /** Add the model's classes that a folder's config lacks (creating the default config if none), before labelling. */
  readonly addMissingClasses?: boolean;
  /** Told what was done besides labelling (classes added to a config). */
  readonly onNote?: (line: string) => void;
}

interface DatasetInfo { config: DatasetConfig; map: MapOptions; mappingError?: string }

async function datasetFor(dir: string, cache: Map<string, Promise<DatasetInfo>>, model: ResolvedModel, opts: BatchOptions): Promise<DatasetInfo> {
  let p = cache.get(dir);
  if (!p) {
    p = (async () => {
      const stop = opts.stopAt ? { stopAt: opts.stopAt(dir) } : {};
      if (opts.addMissingClasses) {
        const first = await findConfig(dir, stop);
        const mapping = first.config.models.find((m) => m.id === model.entry.id)?.options?.classMap as MapOptions['classMap'];
        const added = await addModelClasses(dir, stop.stopAt, model.entry, mapping);
        if (added) opts.onNote?.(describeAdded(added));
      }
      const { config, file } = await findConfig(dir, stop);
      const map = datasetMapOptions(model.entry.id, config, file);
      let mappingError: string | undefined;
      try { checkMapping(model.entry, map); } catch (e) { mappingError = `${(e as Error).message}${file ? ` (${file})` : ''}`; }
      return { config, map, mappingError };
    })();
    cache.set(dir, p);
  }
  return p;
}

interface Decoded { image: string; info: DatasetInfo; img: RgbImage }
type Stage = { image: string; skip?: BatchItem; decoded?: Decoded };
interface InFlight { d: Decoded; run: Promise<{ outputs: FloatTensor[]; geometry: Geometry }> }

export async function runBatch(images: readonly string[], model: ResolvedModel, opts: BatchOptions = {}): Promise<BatchSummary> {
  const t0 = performance.now();
  const items: BatchItem[] = [];
  const counts = { done: 0, skipped: 0, failed: 0 };
  let ranSeconds = 0, ran = 0;
  const datasets = new Map<string, Promise<DatasetInfo>>();
  const total = images.length;
  const record = (it: BatchItem): void => {
    items.push(it);
    counts[it.status]++;
    const left = total - items.length;
    // ETA from the wall time per image that ran so far (skips cost nothing).
    opts.onProgress?.({ total, finished: items.length, ...counts, current: it.image, etaSeconds: ran > 0 ? (ranSeconds / ran) * left : undefined });
  };

  // Patterns that would write over an image refuse their whole folder before anything runs.
  const refused = await checkTargets(images, opts.stopAt);
  const backend = opts.shared ?? await createBackend(model, { device: opts.device, threads: opts.threads }, opts.backend ?? 'worker');

  // Stage 1 (overlapped with inference): plan and decode. Pre-processing happens in the backend.
  const stage = async (image: string): Promise<Stage> => {
    try {
      const refusal = refused.get(image);
      if (refusal) return { image, skip: { image, status: 'failed', reason: refusal.message } };
      const info = await datasetFor(path.dirname(image), datasets, model, opts);
      // Protected images are reported as skipped (with why) before any model-to-config problem.
      const plan = await checkAutomatic(image, info.config, { source: `model:${model.entry.id}`, overwrite: opts.overwrite === true, skipSameSource: true });
      if (!plan.write) return { image, skip: { image, status: 'skipped', reason: plan.reason } };
      if (info.mappingError) return { image, skip: { image, status: 'failed', reason: info.mappingError } };
      const d = await decodeImage(image, { channels: 3 });
      const img: RgbImage = { width: d.width, height: d.height, data: d.data };
      return { image, decoded: { image, info, img } };
    } catch (e) {
      return { image, skip: { image, status: 'failed', reason: (e as Error).message } };
    }
  };

  // Stage 3 (overlapped with the next inference): post-process and write atomically.
  const finish = async (p: Decoded, outputs: FloatTensor[], geometry: Geometry): Promise<void> => {
    // Yield first, so the loop posts the next session.run before this JS work starts.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const r = finishOutputs(model.entry, backend.outputNames, outputs, geometry, p.info.map);
      const source = `model:${model.entry.id}`;
      const infos: InstanceInfo[] = r.instanceList.map((i) => ({ id: i.id, class: i.class, source, score: Math.round(i.score * 1e4) / 1e4 }));
      const uncertainty = draftUncertainty(model.entry, outputs, geometry, r, p.info.map);
      // Checked again under the image's lock: a person may have saved it since stage 1.
      const w = await writeAutomatic(p.image, { width: r.width, height: r.height, semantic: r.semantic, instances: r.instances }, infos, p.info.config, {
        source, overwrite: opts.overwrite === true, skipSameSource: true, ...(uncertainty ? { uncertainty } : {}),
        params: { provider: backend.provider, ...(model.entry.postprocess ? { postprocess: stripRecipe(model.entry.postprocess) } : {}) },
      });
      if (w.status === 'skipped') record({ image: p.image, status: 'skipped', reason: w.reason });
      else record({ image: p.image, status: 'done', instances: infos.length, ...(w.status === 'written' && w.trashed ? { trashed: w.trashed } : {}) });
    } catch (e) {
      record({ image: p.image, status: 'failed', reason: (e as Error).message });
    }
  };

  let cancelled = false;
  let writing: Promise<void> = Promise.resolve();
  // Completes an image whose run was queued: wait for its outputs, then post-process and write it
  // (at most one write in flight: bounded memory, and a cancel leaves no half-written image).
  const complete = async (f: InFlight): Promise<void> => {
    let r;
    try {
      r = await f.run;
    } catch (e) {
      record({ image: f.d.image, status: 'failed', reason: `inference failed: ${(e as Error).message}` });
      return;
    }
    ran++;
    ranSeconds = (performance.now() - t0) / 1000;
    await writing;
    writing = finish(f.d, r.outputs, r.geometry);
  };
  try {
    let next: Promise<Stage> | undefined = images.length ? stage(images[0]) : undefined;
    let inflight: InFlight | undefined;
    for (let i = 0; i < images.length; i++) {
      if (opts.signal?.aborted) { cancelled = true; break; }
      const cur = await (next as Promise<Stage>);
      next = i + 1 < images.length ? stage(images[i + 1]) : undefined;
      if (cur.skip) { record(cur.skip); continue; }
      const d = cur.decoded as Decoded;
      // Queue this image's run before waiting for the previous one, so its pre-processing overlaps.
      const queued: InFlight = { d, run: backend.inferImage(d.img) };
      queued.run.catch(() => undefined);
      if (inflight) await complete(inflight);
      inflight = queued;
    }
    if (inflight) await complete(inflight);
    await writing;
    if (next) await next.catch(() => undefined);
  } finally {
    if (!opts.shared) await backend.dispose();
  }
  return { total, ...counts, cancelled, provider: backend.provider, where: backend.where, seconds: (performance.now() - t0) / 1000, items };
}

function stripRecipe(pp: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { recipe: _recipe, ...rest } = pp;
  return rest;
}

export function formatSummary(s: BatchSummary): string[] {
  const lines = [`${s.done} done, ${s.skipped} skipped, ${s.failed} failed of ${s.total}${s.cancelled ? ' (cancelled)' : ''} in ${s.seconds.toFixed(1)} s on ${s.provider} (${s.where})`];
  // Resumed images are counted; every other skip is listed with its image and reason.
  const upToDate = s.items.filter((it) => it.status === 'skipped' && it.reason?.startsWith('up to date')).length;
  if (upToDate) lines.push(`  skipped ${upToDate} already done by this model (up to date)`);
  for (const it of s.items) if (it.status === 'skipped' && !it.reason?.startsWith('up to date')) lines.push(`  skipped ${it.image}: ${it.reason}`);
  for (const it of s.items) if (it.trashed) lines.push(`  replaced ${it.image}; the previous files are in ${it.trashed}`);
  for (const it of s.items) if (it.status === 'failed') lines.push(`  failed ${it.image}: ${it.reason}`);
  return lines;
}
