// Dataset-wide review data, host side: the review queue's inputs (sidecars only, no PNG decoded),
// statistics (mask PNGs decoded, no image), and the agreement cache that `compare` leaves for the
// queue. Reads run a few at a time so 10,000 small masks take seconds, not minutes.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { findConfig } from '../dataset/config';
import { scanDataset } from '../dataset/scan';
import { decodeLabelPngBytes } from '../io/labelPng';
import { instancesFromPng, maskFilesFor, semanticFromPng } from '../io/masks';
import { newSemantic, type DatasetConfig } from '../shared/config';
import { parseSidecar, reviewStatus, type ReviewStatus, type Sidecar } from '../shared/sidecar';
import type { QueueInput } from './queue';
import { StatsAccumulator, type DatasetStats } from './stats';

/** Runs fn over items with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try { return await fsp.readFile(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw e;
  }
}

export interface ScanInput {
  readonly dirs: readonly string[];
  readonly recursive?: boolean;
  /** Where config discovery stops (the CLI's boundary or the workspace folder). */
  readonly stopAt?: (dir: string) => string;
}

/** Each folder's config, read once. */
function configCache(stopAt?: (dir: string) => string): (dir: string) => Promise<DatasetConfig> {
  const cache = new Map<string, Promise<DatasetConfig>>();
  return (dir) => {
    let p = cache.get(dir);
    if (!p) { p = findConfig(dir, stopAt ? { stopAt: stopAt(dir) } : {}).then((r) => r.config); cache.set(dir, p); }
    return p;
  };
}

export interface ImageState {
  readonly image: string;
  readonly status: ReviewStatus;
  readonly sidecar: Sidecar | null;
  readonly problem?: string;
}

/** Review status of one image from its sidecar and whether mask files exist (no PNG decoded). */
export async function imageState(image: string, config: DatasetConfig): Promise<ImageState> {
  const f = maskFilesFor(image, config);
  const side = await readOrNull(f.sidecar);
  let sidecar: Sidecar | null = null;
  let problem: string | undefined;
  if (side) {
    try { sidecar = parseSidecar(side.toString('utf8'), f.sidecar); } catch (e) { problem = (e as Error).message; }
  }
  let hasFiles = side !== null;
  if (!hasFiles) hasFiles = (await fsp.stat(f.mask).then(() => true, () => false)) || (await fsp.stat(f.instances).then(() => true, () => false));
  // An unreadable sidecar is treated as a person's work, as the automatic writers treat it.
  const status = problem ? 'edited' : reviewStatus(sidecar, hasFiles);
  return { image, status, sidecar, ...(problem ? { problem } : {}) };
}

// ---- agreement cache ---------------------------------------------------------------------------

export const AGREEMENT_FILE = path.join('.maskwright', 'agreement.json');

export interface AgreementCache {
  readonly version: 1;
  /** "model:<id>" or "pred:<folder>" */
  readonly with: string;
  readonly at: string;
  /** By image path relative to the cache's folder (forward slashes). */
  readonly images: Record<string, { meanIoU: number; meanDice: number; generation: string | null }>;
}

const relKey = (root: string, image: string): string => path.relative(root, image).split(path.sep).join('/');

export async function writeAgreementCache(root: string, cache: AgreementCache): Promise<string> {
  const file = path.join(root, AGREEMENT_FILE);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(cache, null, 1));
  await fsp.rename(tmp, file);
  return file;
}

export async function readAgreementCache(root: string): Promise<AgreementCache | null> {
  const b = await readOrNull(path.join(root, AGREEMENT_FILE)).catch(() => null);
  if (!b) return null;
  try {
    const j = JSON.parse(b.toString('utf8')) as AgreementCache;
    return j && j.version === 1 && typeof j.images === 'object' && j.images ? j : null;
  } catch { return null; }
}

export function agreementKey(root: string, image: string): string { return relKey(root, image); }

// ---- queue -------------------------------------------------------------------------------------

/**
 * The review queue's inputs for the images of `dirs`: status, draft source and uncertainty from the
 * sidecars, and the agreement `compare` recorded in a folder's cache while the masks are still the
 * ones it compared (same generation).
 */
export async function collectQueue(input: ScanInput): Promise<{ items: QueueInput[]; problems: Array<{ image: string; message: string }> }> {
  const images = await scanDataset([...input.dirs], { recursive: input.recursive === true, stopAt: input.stopAt });
  const configOf = configCache(input.stopAt);
  const caches = await Promise.all(input.dirs.map(async (d) => ({ root: path.resolve(d), cache: await readAgreementCache(path.resolve(d)) })));
  const problems: Array<{ image: string; message: string }> = [];
  const items = await mapLimit(images, 16, async (image) => {
    const st = await imageState(image, await configOf(path.dirname(image)));
    if (st.problem) problems.push({ image, message: st.problem });
    const pre = st.sidecar?.prelabel;
    let agreement: number | undefined, agreementWith: string | undefined;
    for (const { root, cache } of caches) {
      const hit = cache?.images[relKey(root, image)];
      if (cache && hit && hit.generation === (st.sidecar?.generation ?? null)) { agreement = hit.meanIoU; agreementWith = cache.with; break; }
    }
    const q: QueueInput = {
      image, status: st.status,
      ...(pre ? { source: pre.source } : {}),
      ...(pre?.uncertainty && st.status !== 'unlabelled' ? { uncertainty: pre.uncertainty.value } : {}),
      ...(agreement !== undefined ? { agreement, agreementWith } : {}),
    };
    return q;
  });
  return { items, problems };
}

// ---- statistics --------------------------------------------------------------------------------

/** Statistics of the images of `dirs` (class names from the first folder's config). */
export async function collectStats(input: ScanInput): Promise<DatasetStats> {
  const images = await scanDataset([...input.dirs], { recursive: input.recursive === true, stopAt: input.stopAt });
  const configOf = configCache(input.stopAt);
  const acc = new StatsAccumulator();
  const names = new Map<number, string>();
  for (const d of input.dirs) {
    const dir = (await fsp.stat(d)).isDirectory() ? path.resolve(d) : path.dirname(path.resolve(d));
    for (const c of (await configOf(dir)).classes) if (!names.has(c.id)) names.set(c.id, c.name);
  }
  await mapLimit(images, 8, async (image) => {
    const config = await configOf(path.dirname(image));
    const f = maskFilesFor(image, config);
    try {
      const [m, i, st] = await Promise.all([readOrNull(f.mask), readOrNull(f.instances), imageState(image, config)]);
      if (!m && !i) { acc.addStatusOnly(st.status, st.problem ? { image, message: st.problem } : undefined); return; }
      const sem = m ? semanticFromPng(decodeLabelPngBytes(m, f.mask), f.mask, config) : null;
      const inst = i ? instancesFromPng(decodeLabelPngBytes(i, f.instances), f.instances) : null;
      if (sem && inst && sem.length !== inst.length) throw new Error(`${path.basename(f.instances)} and ${path.basename(f.mask)} differ in size`);
      const semantic = sem ?? newSemantic(config, (inst as Uint16Array).length, config.backgroundId);
      acc.addImage(st.status, semantic, inst, config.ignoreIndex);
      if (st.problem) acc.addProblem({ image, message: st.problem });
    } catch (e) {
      acc.addStatusOnly('edited', { image, message: (e as Error).message });
    }
  });
  return acc.result(names);
}
