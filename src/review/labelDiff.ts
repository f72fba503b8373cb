// Label-aware diff of two versions of an image's masks (pure): per class the pixel counts before and
// after, the pixels that are the class in both and their IoU; instances added, removed and changed
// (matched by id, with the IoU of their pixel sets). One pass over the pixels, joint histograms.

/** The maps of one version; `instances` may be null (no instance map: every pixel 0). */
export interface MaskVersion {
  readonly width: number;
  readonly height: number;
  readonly semantic: Uint8Array;
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

/** The joint histogram of (before, after) semantic ids: index before * 256 + after. */
export function jointHistogram(before: Uint8Array, after: Uint8Array, out = new Float64Array(65536)): Float64Array {
  out.fill(0);
  for (let i = 0; i < before.length; i++) out[(before[i] << 8) | after[i]]++;
  return out;
}

/** Per-class counts from a joint histogram (classes present in either side, ascending). */
export function classDiffs(joint: Float64Array): { changed: number; classes: Record<string, ClassDiff> } {
  const rows = new Float64Array(256), cols = new Float64Array(256), diag = new Float64Array(256);
  let changed = 0;
  for (let b = 0; b < 256; b++) {
    for (let a = 0; a < 256; a++) {
      const n = joint[(b << 8) | a];
      if (n === 0) continue;
      rows[b] += n; cols[a] += n;
      if (a === b) diag[a] += n; else changed += n;
    }
  }
  const classes: Record<string, ClassDiff> = {};
  for (let c = 0; c < 256; c++) {
    if (rows[c] === 0 && cols[c] === 0) continue;
    const union = rows[c] + cols[c] - diag[c];
    classes[String(c)] = { before: rows[c], after: cols[c], intersection: diag[c], iou: ratio(diag[c], union) };
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
  const { changed, classes } = classDiffs(jointHistogram(before.semantic, after.semantic));
  return { changedPixels: changed, classes, instances: instanceDiff(before.instances, after.instances, before.width * before.height) };
}
