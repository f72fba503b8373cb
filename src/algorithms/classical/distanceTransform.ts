// Exact Euclidean distance transform: for every nonzero pixel, the distance to the nearest zero
// pixel (0 on zero pixels). Felzenszwalb & Huttenlocher's two-pass lower envelope of parabolas;
// result as float32 = sqrt of the exact integer squared distance (OpenCV DIST_L2 with
// DIST_MASK_PRECISE). An image without zero pixels gets Infinity everywhere.
import { checkGray, outBuffer, type GrayImage } from './image';

export interface DistanceOptions {
  /** Reused output (width*height). */
  out?: Float32Array;
}

/** Squared Euclidean distances (exact integers, Infinity where no zero pixel exists). */
export function squaredDistance(image: GrayImage): Float64Array {
  checkGray(image);
  const { width: w, height: h, data } = image;
  const INF = Infinity;
  const d2 = new Float64Array(w * h);
  // Columns: 1-D distance to the nearest zero in the column, squared.
  const col = new Float64Array(h);
  for (let x = 0; x < w; x++) {
    let last = -1;
    for (let y = 0; y < h; y++) { if (data[y * w + x] === 0) last = y; col[y] = last < 0 ? INF : y - last; }
    last = -1;
    for (let y = h - 1; y >= 0; y--) {
      if (data[y * w + x] === 0) last = y;
      if (last >= 0 && last - y < col[y]) col[y] = last - y;
      d2[y * w + x] = col[y] * col[y];
    }
  }
  // Rows: lower envelope of parabolas f(q) + (x - q)^2.
  const f = new Float64Array(w), v = new Int32Array(w), z = new Float64Array(w + 1);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) f[x] = d2[o + x];
    let k = -1;
    for (let q = 0; q < w; q++) {
      if (f[q] === INF) continue;
      if (k < 0) { k = 0; v[0] = q; z[0] = -INF; z[1] = INF; continue; }
      let s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
      while (s <= z[k]) { k--; if (k < 0) break; s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]); }
      if (k < 0) { k = 0; v[0] = q; z[0] = -INF; z[1] = INF; continue; }
      k++; v[k] = q; z[k] = s; z[k + 1] = INF;
    }
    if (k < 0) { for (let x = 0; x < w; x++) d2[o + x] = INF; continue; }
    let j = 0;
    for (let x = 0; x < w; x++) {
      while (z[j + 1] < x) j++;
      const dx = x - v[j];
      d2[o + x] = dx * dx + f[v[j]];
    }
  }
  return d2;
}

/** Euclidean distance to the nearest zero pixel, float32. */
export function distanceTransform(image: GrayImage, options: DistanceOptions = {}): Float32Array {
  const d2 = squaredDistance(image);
  const out = outBuffer(options.out, Float32Array, d2.length);
  for (let i = 0; i < d2.length; i++) out[i] = Math.sqrt(d2[i]);
  return out;
}
