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
  const parent: number[] = [0];
  const find = (a: number): number => {
    let r = a;
    while (parent[r] !== r) r = parent[r];
    while (parent[a] !== r) { const t = parent[a]; parent[a] = r; a = t; }
    return r;
  };
  const join = (a: number, b: number): number => {
    const ra = find(a), rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) { parent[rb] = ra; return ra; }
    parent[ra] = rb;
    return rb;
  };
  const same = (i: number, j: number): boolean => (byValue ? d[i] === d[j] : d[j] !== 0);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const i = o + x;
      if (d[i] === 0) { labels[i] = 0; continue; }
      let lab = 0;
      if (x > 0 && same(i, i - 1)) lab = labels[i - 1];
      if (y > 0) {
        const u = i - w;
        if (same(i, u)) lab = lab ? join(lab, labels[u]) : labels[u];
        if (conn === 8) {
          if (x > 0 && same(i, u - 1)) lab = lab ? join(lab, labels[u - 1]) : labels[u - 1];
          if (x < w - 1 && same(i, u + 1)) lab = lab ? join(lab, labels[u + 1]) : labels[u + 1];
        }
      }
      if (lab === 0) { lab = parent.length; parent.push(lab); }
      labels[i] = lab;
    }
  }
  // Final ids: roots in order of creation (= raster order of first pixels).
  const final = new Int32Array(parent.length);
  let count = 0;
  for (let p = 1; p < parent.length; p++) final[p] = parent[p] === p ? ++count : final[find(p)];
  for (let i = 0, n = w * h; i < n; i++) labels[i] = final[labels[i]];
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
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      const l = labels[i];
      area[l]++;
      sx[l] += x; sy[l] += y;
      if (x < x0[l]) x0[l] = x;
      if (x > x1[l]) x1[l] = x;
      if (y < y0[l]) y0[l] = y;
      y1[l] = y;
      if (values) value[l] = values[i];
    }
  }
  const cx = new Float64Array(n), cy = new Float64Array(n);
  for (let l = 0; l < n; l++) if (area[l]) { cx[l] = sx[l] / area[l]; cy[l] = sy[l] / area[l]; }
  return { area, x0, y0, x1, y1, cx, cy, value };
}
