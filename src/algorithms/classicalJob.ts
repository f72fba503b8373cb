// The command palette's classical operations as plain, serializable jobs: the extension host posts
// one to a worker thread (src/workers) and turns the result into one undoable edit. Pure.
import { adaptiveThreshold, close, fillHoles, kmeans, multiOtsu, open, otsu, removeSmallObjects, splitTouching, threshold, toGray } from './classical';
import { checkClassFits, classMask, componentInstances, replaceClass } from './maskOps';
import { semanticLike, type InstanceInfo, type SemanticIds } from '../shared/maskModel';

/** The same names as `maskwright threshold --method` (multi-otsu is its own job here). */
export type ThresholdMethod = 'otsu' | 'fixed' | 'adaptive-mean' | 'adaptive-gaussian';
export type MorphologyKind = 'open' | 'close' | 'fill' | 'small';

export type ClassicalJob =
  /**
   * The foreground replaces class `classId` (its pixels outside the foreground become
   * `backgroundId`, default 0); `invert`: foreground at or below the level; `level` (0..255) only
   * for 'fixed'; adaptive: 31x31 window, C = 5 (the CLI's defaults).
   */
  | { readonly op: 'threshold'; readonly method: ThresholdMethod; readonly invert?: boolean; readonly level?: number; readonly classId: number; readonly backgroundId?: number }
  /** `classes` intensity classes: the darkest becomes `backgroundId`, class c >= 1 becomes `targets[c - 1]`. */
  | { readonly op: 'multiOtsu'; readonly classes: number; readonly backgroundId: number; readonly targets: readonly number[] }
  /** k colour clusters (seed 1), darkest to brightest -> `targets[0..k-1]`. */
  | { readonly op: 'kmeans'; readonly k: number; readonly targets: readonly number[] }
  /** Each connected region of equal class becomes one instance (8-connected); regions under `minArea` pixels do not. */
  | { readonly op: 'splitInstances'; readonly backgroundId: number; readonly ignoreIndex: number; readonly minArea?: number }
  /** Watershed split of the touching objects of one class into new instances with free ids. */
  | { readonly op: 'splitTouching'; readonly classId: number }
  /** Disk radius 2 for open/close, 64 pixels for 'small'; removed pixels become `backgroundId`. */
  | { readonly op: 'morphology'; readonly kind: MorphologyKind; readonly classId: number; readonly backgroundId: number };

export interface ClassicalInputs {
  readonly width: number;
  readonly height: number;
  /** RGB pixels (width*height*3); needed by threshold, multiOtsu and kmeans. */
  readonly rgb?: Uint8Array;
  /** The dataset's semantic ids (8- or 16-bit); results come back in the same type. */
  readonly semantic: SemanticIds;
  readonly instances: Uint16Array;
  readonly info: readonly InstanceInfo[];
}

export interface ClassicalResult {
  readonly semantic?: SemanticIds;
  readonly instances?: Uint16Array;
  readonly info?: InstanceInfo[];
  /** Label of the edit, e.g. "Threshold (Otsu level 102)". */
  readonly note: string;
  /** Short status text, e.g. "3 instance(s)". */
  readonly status?: string;
}

/** Whether the job reads the image's pixels (the others only read the label maps). */
export function needsImage(job: ClassicalJob): boolean {
  return job.op === 'threshold' || job.op === 'multiOtsu' || job.op === 'kmeans';
}

function classId(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) throw new RangeError(`${name}: ${String(v)} is not a class id 0..65535`);
  return v;
}

function targetIds(t: readonly number[], need: number): readonly number[] {
  if (!Array.isArray(t) || t.length < need) throw new RangeError(`targets: ${need} class ids needed, got ${Array.isArray(t) ? t.length : String(t)}`);
  t.forEach((c, i) => classId(c, `targets[${i}]`));
  return t;
}

function gray(inp: ClassicalInputs): { data: Uint8Array; width: number; height: number } {
  const { width, height, rgb } = inp;
  if (!rgb) throw new Error('rgb: this job needs the image pixels');
  if (rgb.length !== width * height * 3) throw new RangeError(`rgb: length ${rgb.length}, expected ${width * height * 3}`);
  return { data: toGray({ data: rgb, width, height, channels: 3 }), width, height };
}

function runThreshold(job: Extract<ClassicalJob, { op: 'threshold' }>, inp: ClassicalInputs): ClassicalResult {
  const cls = classId(job.classId, 'classId');
  const g = gray(inp);
  let binary: Uint8Array;
  let note = '';
  const invert = job.invert === true;
  if (job.method === 'otsu') {
    const r = otsu(g, { invert });
    binary = r.mask;
    note = ` (Otsu level ${r.threshold})`;
  } else if (job.method === 'fixed') {
    const level = job.level;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 255) throw new RangeError(`level: ${String(level)} is not an integer 0..255`);
    binary = threshold(g, { threshold: level, invert });
  } else if (job.method === 'adaptive-mean' || job.method === 'adaptive-gaussian') {
    binary = adaptiveThreshold(g, { method: job.method === 'adaptive-mean' ? 'mean' : 'gaussian', blockSize: 31, C: 5, invert });
  } else throw new RangeError(`method: unknown threshold method ${String(job.method)}`);
  return { semantic: replaceClass(inp.semantic, binary, cls, classId(job.backgroundId ?? 0, 'backgroundId')), note: `Threshold${note}`, status: `threshold${note}` };
}

function runMultiOtsu(job: Extract<ClassicalJob, { op: 'multiOtsu' }>, inp: ClassicalInputs): ClassicalResult {
  const bg = classId(job.backgroundId, 'backgroundId');
  const targets = targetIds(job.targets, job.classes - 1);
  const r = multiOtsu(gray(inp), { classes: job.classes });
  [bg, ...targets].forEach((t, i) => checkClassFits(inp.semantic, t, i === 0 ? 'backgroundId' : `targets[${i - 1}]`));
  const semantic = semanticLike(inp.semantic, r.classes.length);
  for (let i = 0; i < semantic.length; i++) semantic[i] = r.classes[i] === 0 ? bg : targets[r.classes[i] - 1];
  return { semantic, note: `Multi-Otsu (${r.thresholds.join(', ')})` };
}

function runKmeans(job: Extract<ClassicalJob, { op: 'kmeans' }>, inp: ClassicalInputs): ClassicalResult {
  const targets = targetIds(job.targets, job.k);
  const g = gray(inp); // validates rgb
  const r = kmeans({ data: inp.rgb!, width: g.width, height: g.height, channels: 3 }, { k: job.k, seed: 1 });
  const c = r.centers;
  const lum = Array.from({ length: job.k }, (_, i) => ({ i, l: 0.299 * c[i * 3] + 0.587 * c[i * 3 + 1] + 0.114 * c[i * 3 + 2] }));
  lum.sort((a, b) => a.l - b.l);
  targets.forEach((t, i) => checkClassFits(inp.semantic, t, `targets[${i}]`));
  const toClass = new Uint16Array(job.k);
  lum.forEach((x, rank) => { toClass[x.i] = targets[rank]; });
  const semantic = semanticLike(inp.semantic, r.labels.length);
  for (let i = 0; i < semantic.length; i++) semantic[i] = toClass[r.labels[i]];
  return { semantic, note: `k-means (k=${job.k})` };
}

function runSplitInstances(job: Extract<ClassicalJob, { op: 'splitInstances' }>, inp: ClassicalInputs): ClassicalResult {
  const r = componentInstances(inp.semantic, inp.width, inp.height, { backgroundId: job.backgroundId, ignoreIndex: job.ignoreIndex, ...(job.minArea ? { minArea: job.minArea } : {}) });
  if (r.count === 0) throw new Error('the mask has no labelled pixels to split into instances');
  return { instances: r.map, info: r.info, note: 'Split into instances', status: `${r.count} instance(s)` };
}

function runSplitTouching(job: Extract<ClassicalJob, { op: 'splitTouching' }>, inp: ClassicalInputs): ClassicalResult {
  const cls = classId(job.classId, 'classId');
  const r = splitTouching({ data: classMask(inp.semantic, cls), width: inp.width, height: inp.height });
  if (r.count === 0) throw new Error('no pixels of that class');
  // New instances take the lowest free ids; instances of other classes stay.
  const used = new Uint8Array(65536);
  for (let i = 0; i < inp.instances.length; i++) used[inp.instances[i]] = 1;
  for (const x of inp.info) if (x.id >= 0 && x.id < 65536) used[x.id] = 1;
  const idOf = new Int32Array(r.count + 1);
  const info = new Map<number, InstanceInfo>(inp.info.map((x) => [x.id, x]));
  let next = 1;
  for (let l = 1; l <= r.count; l++) {
    while (next < 65536 && used[next]) next++;
    if (next === 65536) throw new Error('no free instance ids left (65535 in use)');
    idOf[l] = next;
    info.set(next, { id: next, class: cls, source: 'tool:watershed' });
    next++;
  }
  const instances = inp.instances.slice();
  for (let i = 0; i < instances.length; i++) if (r.labels[i] > 0) instances[i] = idOf[r.labels[i]];
  return { instances, info: [...info.values()], note: 'Split touching objects', status: `${r.count} object(s)` };
}

function runMorphology(job: Extract<ClassicalJob, { op: 'morphology' }>, inp: ClassicalInputs): ClassicalResult {
  const cls = classId(job.classId, 'classId');
  const bg = classId(job.backgroundId, 'backgroundId');
  const img = { data: classMask(inp.semantic, cls), width: inp.width, height: inp.height };
  const k = job.kind;
  const out = k === 'open' ? open(img, { shape: 'disk', radius: 2 })
    : k === 'close' ? close(img, { shape: 'disk', radius: 2 })
      : k === 'fill' ? fillHoles(img)
        : k === 'small' ? removeSmallObjects(img, { minSize: 64 }).mask
          : undefined;
  if (!out) throw new RangeError(`kind: unknown morphology ${String(k)}`);
  checkClassFits(inp.semantic, cls);
  checkClassFits(inp.semantic, bg, 'backgroundId');
  const semantic = inp.semantic.slice();
  for (let i = 0; i < semantic.length; i++) {
    if (out[i] && semantic[i] !== cls) semantic[i] = cls;
    else if (!out[i] && semantic[i] === cls) semantic[i] = bg;
  }
  return { semantic, note: `Morphology: ${k}` };
}

/** Runs one job on a snapshot of the maps (and image); the inputs are not modified. */
export function runClassicalJob(job: ClassicalJob, inputs: ClassicalInputs): ClassicalResult {
  const { width, height } = inputs;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`width/height: ${width}x${height} is not a valid size`);
  const n = width * height;
  if (inputs.semantic.length !== n) throw new RangeError(`semantic: length ${inputs.semantic.length}, expected ${n}`);
  if (inputs.instances.length !== n) throw new RangeError(`instances: length ${inputs.instances.length}, expected ${n}`);
  switch (job.op) {
    case 'threshold': return runThreshold(job, inputs);
    case 'multiOtsu': return runMultiOtsu(job, inputs);
    case 'kmeans': return runKmeans(job, inputs);
    case 'splitInstances': return runSplitInstances(job, inputs);
    case 'splitTouching': return runSplitTouching(job, inputs);
    case 'morphology': return runMorphology(job, inputs);
    default: {
      const never: never = job;
      throw new RangeError(`op: unknown classical job ${(never as { op?: unknown }).op as string}`);
    }
  }
}
