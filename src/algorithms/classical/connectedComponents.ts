// Connected components (4 or 8) of a binary image (nonzero = foreground) or of a label map
// (pixels join when their values are equal and nonzero), with per-component area, bounding box and
// centroid. Two raster passes with union-find; labels 1..count in raster order of each component's
// first pixel (the order scikit-image uses); 0 = background.
import { checkConnectivity, checkDims, outBuffer, type Connectivity } from './image';

export interface ComponentsInput {
  readonly data: Uint8Array | Uint8ClampedArray | Uint16Array | Int32Array;
  readonly width: number;
  readonly height: number;
}

export interface ComponentsOptions {
  /** 4 or 8. Default 8. */
  connectivity?: Connectivity;
  /** Join only equal values (a label map) instead of any nonzero (a binary mask). Default false. */
  byValue?: boolean;
  /** Compute area, bbox and centroid. Default true. */
  stats?: boolean;
  /** Reused label buffer (width*height). */
  out?: Int32Array;
}

export interface ComponentStats {
  /** Indexed by label (index 0 = background). */
  area: Int32Array;
  x0: Int32Array; y0: Int32Array; x1: Int32Array; y1: Int32Array;
  cx: Float64Array; cy: Float64Array;
  /** The input value of each component (byValue), else 1. */
  value: Int32Array;
}

export interface ComponentsResult {
  labels: Int32Array;
  /** Number of components, background excluded. */
  count: number;
  stats?: ComponentStats;
}

/** Labels connected components. */
export function connectedComponents(image: ComponentsInput, options: ComponentsOptions = {}): ComponentsResult {
  const { width: w, height: h, data: d } = image;
  checkDims(w, h);
  if (!d || d.length !== w * h) throw new RangeError(`image.data: length ${d?.length} != ${w}x${h}`);
  const conn = checkConnectivity(options.connectivity, 8);
  const byValue = options.byValue ?? false;
  const labels = outBuffer(options.out, Int32Array, w * h);
  const stats = options.stats ?? true;
  if (!byValue) return labelBinary(d, w, h, conn, labels, stats);
  const count = labelByValue(d, w, h, conn, labels);
  const result: ComponentsResult = { labels, count };
  if (stats) result.stats = componentStats(labels, w, h, count, d);
  return result;
}

/** Per-label accumulators, fed one run (row y, columns [s, e)) at a time: integer sums, exact in
 * float64 up to 2^53. */
class StatsAcc {
  readonly area: Int32Array; readonly x0: Int32Array; readonly y0: Int32Array; readonly x1: Int32Array; readonly y1: Int32Array;
  readonly sx: Float64Array; readonly sy: Float64Array; readonly value: Int32Array;
  constructor(readonly n: number, w: number, h: number) {
    this.area = new Int32Array(n); this.x0 = new Int32Array(n).fill(w); this.y0 = new Int32Array(n).fill(h);
    this.x1 = new Int32Array(n).fill(-1); this.y1 = new Int32Array(n).fill(-1);
    this.sx = new Float64Array(n); this.sy = new Float64Array(n); this.value = new Int32Array(n).fill(1);
    this.value[0] = 0;
  }

  add(l: number, y: number, s: number, e: number): void {
    const len = e - s;
    this.area[l] += len;
    this.sx[l] += (len * (s + e - 1)) / 2; this.sy[l] += len * y;
    if (s < this.x0[l]) this.x0[l] = s;
    if (e - 1 > this.x1[l]) this.x1[l] = e - 1;
    if (y < this.y0[l]) this.y0[l] = y;
    this.y1[l] = y;
  }

  finish(): ComponentStats {
    const { n, area, x0, y0, x1, y1, sx, sy, value } = this;
    const cx = new Float64Array(n), cy = new Float64Array(n);
    for (let l = 0; l < n; l++) if (area[l]) { cx[l] = sx[l] / area[l]; cy[l] = sy[l] / area[l]; }
    return { area, x0, y0, x1, y1, cx, cy, value };
  }
}

/** Area, bbox, centroid (and source value) per label of a label image with labels 0..count
 * (label 0, the background, included). */
export function componentStats(labels: Int32Array, w: number, h: number, count: number, values?: ArrayLike<number>): ComponentStats {
  const acc = new StatsAcc(count + 1, w, h);
  // one step per run of equal labels in a row
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w;) {
      const l = labels[o + x];
      let e = x + 1;
      while (e < w && labels[o + e] === l) e++;
      acc.add(l, y, x, e);
      if (values) acc.value[l] = values[o + x];
      x = e;
    }
  }
  return acc.finish();
}

/** Union-find over provisional labels in an Int32Array (parent[i] <= i; roots point to themselves). */
function find(parent: Int32Array, a: number): number {
  let r = a;
  while (parent[r] !== r) r = parent[r];
  while (parent[a] !== r) { const t = parent[a]; parent[a] = r; a = t; }
  return r;
}

function join(parent: Int32Array, a: number, b: number): number {
  const ra = find(parent, a), rb = find(parent, b);
  if (ra < rb) { parent[rb] = ra; return ra; }
  parent[ra] = rb;
  return rb;
}

/** Renumbers provisional labels to 1..count in order of creation (raster order of first pixels). */
function flatten(parent: Int32Array, next: number, labels: Int32Array): number {
  let count = 0;
  for (let p = 1; p < next; p++) parent[p] = parent[p] === p ? ++count : parent[parent[p]];
  parent[0] = 0;
  for (let i = 0, n = labels.length; i < n; i++) labels[i] = parent[labels[i]];
  return count;
}

type Data = Uint8Array | Uint8ClampedArray | Uint16Array | Int32Array;

// Run tables kept between calls (grown on demand): start, end (exclusive) and provisional label
// of each run of foreground pixels, in raster order, and the union-find parents.
let runS: Int32Array = new Int32Array(1 << 14), runE: Int32Array = new Int32Array(1 << 14), runL: Int32Array = new Int32Array(1 << 14);
let parents: Int32Array = new Int32Array(1 << 14);

function grow(need: number): void {
  let cap = runS.length;
  while (cap < need) cap *= 2;
  const g = (a: Int32Array): Int32Array => { const t = new Int32Array(cap); t.set(a); return t; };
  runS = g(runS); runE = g(runE); runL = g(runL); parents = g(parents);
}

/** End (exclusive) of the stretch of pixels from i that are zero (fg false) or nonzero (fg true),
 * up to end; with `words` (4-aligned bytes) four pixels per step in the middle. */
function stretchEnd(d: Data, words: Uint32Array | null, i: number, end: number, fg: boolean): number {
  if (words !== null) {
    while (i < end && (i & 3) !== 0 && (d[i] !== 0) === fg) i++;
    if ((i & 3) === 0) {
      if (fg) while (i + 4 <= end) { const v = words[i >> 2]; if (((v - 0x01010101) & ~v & 0x80808080) !== 0) break; i += 4; }
      else while (i + 4 <= end && words[i >> 2] === 0) i += 4;
    }
  }
  while (i < end && (d[i] !== 0) === fg) i++;
  return i;
}

/** Binary input (nonzero = foreground), run based: each row's runs take the label of the runs of
 * the previous row they touch (overlap for 4-connectivity, overlap or diagonal contact for 8),
 * joining those labels; a run touching none gets a new label. Labels (and stats) then go run by run. */
function labelBinary(d: Data, w: number, h: number, conn: Connectivity, labels: Int32Array, stats: boolean): ComponentsResult {
  const words = (d instanceof Uint8Array || d instanceof Uint8ClampedArray) && (d.byteOffset & 3) === 0
    ? new Uint32Array(d.buffer, d.byteOffset, d.length >> 2) : null;
  const touch = conn === 8 ? 0 : 1; // prev run [ps, pe) touches [s, e) when ps < e + 1 - touch and pe > s - 1 + touch
  const rowRuns = new Int32Array(h + 1);
  let nr = 0, next = 1;
  for (let y = 0; y < h; y++) {
    if (nr + ((w + 1) >> 1) > runS.length) grow(nr + ((w + 1) >> 1));
    rowRuns[y] = nr;
    const o = y * w, end = o + w;
    let j = y > 0 ? rowRuns[y - 1] : nr;
    const jEnd = nr;
    for (let i = stretchEnd(d, words, o, end, false); i < end; i = stretchEnd(d, words, i, end, false)) {
      const s = i - o;
      i = stretchEnd(d, words, i, end, true);
      const e = i - o;
      while (j < jEnd && runE[j] <= s - 1 + touch) j++;
      let lab = 0;
      let k = j;
      for (; k < jEnd && runS[k] < e + 1 - touch; k++) {
        const pl = runL[k];
        lab = lab === 0 ? pl : pl === lab ? lab : join(parents, lab, pl);
      }
      if (k > j) j = k - 1;
      if (lab === 0) { parents[next] = next; lab = next++; }
      runS[nr] = s; runE[nr] = e; runL[nr++] = lab;
    }
  }
  rowRuns[h] = nr;
  let count = 0;
  for (let p = 1; p < next; p++) parents[p] = parents[p] === p ? ++count : parents[parents[p]];
  const acc = stats ? new StatsAcc(count + 1, w, h) : null;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let x = 0;
    for (let r = rowRuns[y]; r < rowRuns[y + 1]; r++) {
      const s = runS[r], e = runE[r], l = parents[runL[r]];
      if (s - x < 16) for (let i = o + x; i < o + s; i++) labels[i] = 0; else labels.fill(0, o + x, o + s);
      if (e - s < 16) for (let i = o + s; i < o + e; i++) labels[i] = l; else labels.fill(l, o + s, o + e);
      if (acc !== null) { if (s > x) acc.add(0, y, x, s); acc.add(l, y, s, e); }
      x = e;
    }
    labels.fill(0, o + x, o + w);
    if (acc !== null && x < w) acc.add(0, y, x, w);
  }
  // tables grown past 2^20 runs (16 MiB) are not kept between calls
  if (runS.length > 1 << 20) { runS = new Int32Array(1 << 14); runE = new Int32Array(1 << 14); runL = new Int32Array(1 << 14); parents = new Int32Array(1 << 14); }
  return acc !== null ? { labels, count, stats: acc.finish() } : { labels, count };
}

/** Label-map input: neighbours join when their values are equal (and nonzero). */
function labelByValue(d: Data, w: number, h: number, conn: Connectivity, labels: Int32Array): number {
  const parent = new Int32Array(w * h + 1);
  let next = 1;
  for (let y = 0; y < h; y++) {
    const o = y * w, u = o - w;
    for (let x = 0; x < w; x++) {
      const i = o + x, v = d[i];
      if (v === 0) { labels[i] = 0; continue; }
      let lab = 0;
      if (x > 0 && d[i - 1] === v) lab = labels[i - 1];
      if (y > 0) {
        if (d[u + x] === v) lab = lab ? join(parent, lab, labels[u + x]) : labels[u + x];
        if (conn === 8) {
          if (x > 0 && d[u + x - 1] === v) lab = lab ? join(parent, lab, labels[u + x - 1]) : labels[u + x - 1];
          if (x < w - 1 && d[u + x + 1] === v) lab = lab ? join(parent, lab, labels[u + x + 1]) : labels[u + x + 1];
        }
      }
      if (lab === 0) { parent[next] = next; lab = next++; }
      labels[i] = lab;
    }
  }
  return flatten(parent, next, labels);
}
