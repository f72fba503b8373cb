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
  const count = byValue ? labelByValue(d, w, h, conn, labels) : labelBinary(d, w, h, conn, labels);
  const result: ComponentsResult = { labels, count };
  if (options.stats ?? true) result.stats = componentStats(labels, w, h, count, byValue ? d : undefined);
  return result;
}

/** Area, bbox, centroid (and source value) per label of a label image with labels 0..count. */
export function componentStats(labels: Int32Array, w: number, h: number, count: number, values?: ArrayLike<number>): ComponentStats {
  const n = count + 1;
  const area = new Int32Array(n), x0 = new Int32Array(n).fill(w), y0 = new Int32Array(n).fill(h);
  const x1 = new Int32Array(n).fill(-1), y1 = new Int32Array(n).fill(-1);
  const sx = new Float64Array(n), sy = new Float64Array(n), value = new Int32Array(n).fill(1);
  value[0] = 0;
  // One step per run of equal labels in a row: area, coordinate sums and bbox from its ends
  // (integer sums, exact in float64 up to 2^53). Label 0 (background) included.
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w;) {
      const l = labels[o + x];
      let e = x + 1;
      while (e < w && labels[o + e] === l) e++;
      const len = e - x;
      area[l] += len;
      sx[l] += (len * (x + e - 1)) / 2; sy[l] += len * y;
      if (x < x0[l]) x0[l] = x;
      if (e - 1 > x1[l]) x1[l] = e - 1;
      if (y < y0[l]) y0[l] = y;
      y1[l] = y;
      if (values) value[l] = values[o + x];
      x = e;
    }
  }
  const cx = new Float64Array(n), cy = new Float64Array(n);
  for (let l = 0; l < n; l++) if (area[l]) { cx[l] = sx[l] / area[l]; cy[l] = sy[l] / area[l]; }
  return { area, x0, y0, x1, y1, cx, cy, value };
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

/** Binary input (nonzero = foreground). 8-connectivity scans N first: when N is foreground it is
 * adjacent to W, NW and NE, so the pixel simply takes N's label (the classic decision tree). */
function labelBinary(d: Data, w: number, h: number, conn: Connectivity, labels: Int32Array): number {
  // provisional labels: at most one per 2 pixels of a row (8-conn) or per pixel pair; bound by n/2+w+1
  const parent = new Int32Array(Math.min(w * h, ((w + 1) >> 1) * h + w) + 2);
  let next = 1;
  for (let y = 0; y < h; y++) {
    const o = y * w, u = o - w;
    for (let x = 0; x < w; x++) {
      const i = o + x;
      if (d[i] === 0) { labels[i] = 0; continue; }
      if (y > 0 && d[u + x] !== 0) {
        let lab = labels[u + x];
        if (conn === 4 && x > 0 && d[i - 1] !== 0 && labels[i - 1] !== lab) lab = join(parent, lab, labels[i - 1]);
        labels[i] = lab;
        continue;
      }
      const west = x > 0 && d[i - 1] !== 0;
      if (conn === 8 && y > 0) {
        const ne = x < w - 1 && d[u + x + 1] !== 0;
        const nw = x > 0 && d[u + x - 1] !== 0;
        if (west) labels[i] = ne && labels[u + x + 1] !== labels[i - 1] ? join(parent, labels[i - 1], labels[u + x + 1]) : labels[i - 1];
        else if (nw) labels[i] = ne && labels[u + x + 1] !== labels[u + x - 1] ? join(parent, labels[u + x - 1], labels[u + x + 1]) : labels[u + x - 1];
        else if (ne) labels[i] = labels[u + x + 1];
        else { parent[next] = next; labels[i] = next++; }
        continue;
      }
      if (west) labels[i] = labels[i - 1];
      else { parent[next] = next; labels[i] = next++; }
    }
  }
  return flatten(parent, next, labels);
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
