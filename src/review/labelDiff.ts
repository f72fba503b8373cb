// Label-aware diff of two versions of an image's masks (pure): per class the pixel counts before and
// after, the pixels that are the class in both and their IoU; instances added, removed and changed
// (matched by id, with the IoU of their pixel sets). One pass over the pixels, joint histograms.
import type { SemanticIds } from '../shared/maskModel';

/** The maps of one version; `instances` may be null (no instance map: every pixel 0). */
export interface MaskVersion {
  readonly width: number;
  readonly height: number;
  readonly semantic: SemanticIds;
  readonly instances: Uint16Array | null;
}

export interface ClassDiff {
  /** Pixels of the class in the old version. */
  readonly before: number;
  /** Pixels of the class in the new version. */
  readonly after: number;
  /** Pixels that are the class in both. */
  readonly intersection: number;
  /** intersection / union; 1 when the class is absent from both. */
  readonly iou: number;
}

export interface LabelDiff {
  /** Pixels whose semantic class differs. */
  readonly changedPixels: number;
  /** By class id (as a string key, JSON-ready); every class present in either version. */
  readonly classes: Record<string, ClassDiff>;
  readonly instances: {
    readonly added: number[];
    readonly removed: number[];
    /** Ids present in both whose pixels differ (iou < 1). */
    readonly changed: Array<{ id: number; iou: number }>;
  };
}

/** Rounds a ratio for display and JSON (6 decimals keeps counts recoverable for small images). */
export const ratio = (num: number, den: number): number => (den === 0 ? 1 : Math.round((num / den) * 1e6) / 1e6);

/** Throws an Error naming both sizes when the versions differ in size. */
export function checkSameSize(a: MaskVersion, b: MaskVersion): void {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`the masks differ in size: ${a.width}x${a.height} before, ${b.width}x${b.height} after`);
  const n = a.width * a.height;
  for (const [v, what] of [[a, 'before'], [b, 'after']] as const) {
    if (v.semantic.length !== n || (v.instances && v.instances.length !== n)) throw new RangeError(`the ${what} maps do not hold ${a.width}x${a.height} values`);
  }
}

/** Pixel count of one (before, after) pair of semantic ids. */
export interface JointCount { readonly before: number; readonly after: number; readonly n: number }

/**
 * The joint histogram of (before, after) semantic ids, as the pairs that occur. Two 8-bit maps
 * count into a dense 256x256 table (`scratch`, reused across calls); 16-bit ids count into a map
 * keyed by the pair, one lookup per run of equal pairs.
 */
export function jointCounts(before: SemanticIds, after: SemanticIds, scratch?: Float64Array): JointCount[] {
  const out: JointCount[] = [];
  if (before instanceof Uint8Array && after instanceof Uint8Array) {
    const t = scratch && scratch.length >= 65536 ? scratch : new Float64Array(65536);
    t.fill(0);
    for (let i = 0; i < before.length; i++) t[(before[i] << 8) | after[i]]++;
    for (let k = 0; k < 65536; k++) if (t[k] !== 0) out.push({ before: k >> 8, after: k & 255, n: t[k] });
    return out;
  }
  const counts = new Map<number, number>();
  let i = 0;
  while (i < before.length) {
    const b = before[i], a = after[i];
    let j = i + 1;
    while (j < before.length && before[j] === b && after[j] === a) j++;
    const key = b * 65536 + a;
    counts.set(key, (counts.get(key) ?? 0) + (j - i));
    i = j;
  }
  for (const [k, n] of [...counts].sort((x, y) => x[0] - y[0])) out.push({ before: Math.floor(k / 65536), after: k % 65536, n });
  return out;
}

/** Per-class counts from joint counts (classes present in either side, ascending). */
export function classDiffs(joint: readonly JointCount[]): { changed: number; classes: Record<string, ClassDiff> } {
  const rows = new Map<number, number>(), cols = new Map<number, number>(), diag = new Map<number, number>();
  let changed = 0;
  for (const { before: b, after: a, n } of joint) {
    rows.set(b, (rows.get(b) ?? 0) + n);
    cols.set(a, (cols.get(a) ?? 0) + n);
    if (a === b) diag.set(a, (diag.get(a) ?? 0) + n); else changed += n;
  }
  const classes: Record<string, ClassDiff> = {};
  for (const c of [...new Set([...rows.keys(), ...cols.keys()])].sort((x, y) => x - y)) {
    const r = rows.get(c) ?? 0, k = cols.get(c) ?? 0, d = diag.get(c) ?? 0;
    classes[String(c)] = { before: r, after: k, intersection: d, iou: ratio(d, r + k - d) };
  }
  return { changed, classes };
}

/** Instances matched by id: pixel counts per id in each version and where both carry the id. */
export function instanceDiff(before: Uint16Array | null, after: Uint16Array | null, n: number): LabelDiff['instances'] {
  const nb = new Float64Array(65536), na = new Float64Array(65536), both = new Float64Array(65536);
  for (let i = 0; i < n; i++) {
    const b = before ? before[i] : 0, a = after ? after[i] : 0;
    if (b) nb[b]++;
    if (a) na[a]++;
    if (a && a === b) both[a]++;
  }
  const added: number[] = [], removed: number[] = [], changed: Array<{ id: number; iou: number }> = [];
  for (let id = 1; id < 65536; id++) {
    if (nb[id] === 0 && na[id] === 0) continue;
    if (nb[id] === 0) added.push(id);
    else if (na[id] === 0) removed.push(id);
    else if (both[id] !== nb[id] || both[id] !== na[id]) changed.push({ id, iou: ratio(both[id], nb[id] + na[id] - both[id]) });
  }
  return { added, removed, changed };
}

/** The label-aware diff from `before` (the older version) to `after`. */
export function diffMasks(before: MaskVersion, after: MaskVersion): LabelDiff {
  checkSameSize(before, after);
  const { changed, classes } = classDiffs(jointCounts(before.semantic, after.semantic));
  return { changedPixels: changed, classes, instances: instanceDiff(before.instances, after.instances, before.width * before.height) };
}
