// k-means on pixel colours (Lloyd's iterations, k-means++ initialisation), seeded and
// deterministic: the same image, k and seed always give the same labels.
import { checkImage, intOption, outBuffer, type ImageU8 } from './image';
import { wasmKernels } from './wasm';

export interface KmeansOptions {
  /** Number of clusters, 1..64. Default 4. */
  k?: number;
  /** Seed of the pseudo-random generator (uint32). Default 1. */
  seed?: number;
  /** Largest number of Lloyd iterations, 1..1000. Default 20. */
  maxIterations?: number;
  /** Stop when no center moves more than this (in channel units). Default 0.01. */
  epsilon?: number;
  /** 'kmeans++' or 'random' (k distinct random pixels). Default 'kmeans++'. */
  init?: 'kmeans++' | 'random';
  /** Reused label output (width*height). */
  out?: Uint8Array;
}

export interface KmeansResult {
  /** Cluster index 0..k-1 per pixel. */
  labels: Uint8Array;
  /** k x channels centers (float). */
  centers: Float64Array;
  /** Sum of squared distances of pixels to their centers (OpenCV's "compactness"). */
  compactness: number;
  iterations: number;
}

/** Small seeded generator (mulberry32): uniform floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clusters the colours (1, 3 or 4 channels; alpha ignored) of an image. */
export function kmeans(image: ImageU8, options: KmeansOptions = {}): KmeansResult {
  const ch = checkImage(image);
  const k = intOption(options.k, 4, 1, 64, 'k');
  const seed = intOption(options.seed, 1, 0, 0xffffffff, 'seed');
  const maxIt = intOption(options.maxIterations, 20, 1, 1000, 'maxIterations');
  const eps = options.epsilon ?? 0.01;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`epsilon: expected a number >= 0, got ${eps}`);
  const init = options.init ?? 'kmeans++';
  if (init !== 'kmeans++' && init !== 'random') throw new RangeError(`init: expected 'kmeans++' or 'random', got ${init}`);
  const { width: w, height: h, data } = image;
  const n = w * h, d = ch === 1 ? 1 : 3;
  const labels = outBuffer(options.out, Uint8Array, n);
  const rand = prng(seed);
  const C = new Float64Array(k * d);
  const pick = (c: number, i: number): void => { for (let j = 0; j < d; j++) C[c * d + j] = data[i * ch + j]; };
  const dist2 = (i: number, c: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) { const t = data[i * ch + j] - C[c * d + j]; s += t * t; }
    return s;
  };
  if (init === 'random') {
    for (let c = 0; c < k; c++) pick(c, Math.floor(rand() * n));
  } else {
    // k-means++: each next center drawn with probability proportional to D(x)^2.
    const D = new Float64Array(n);
    pick(0, Math.floor(rand() * n));
    let total = 0;
    for (let i = 0; i < n; i++) { D[i] = dist2(i, 0); total += D[i]; }
    for (let c = 1; c < k; c++) {
      let chosen = Math.floor(rand() * n);
      if (total > 0) {
        let r = rand() * total, i = 0;
        for (; i < n - 1; i++) { r -= D[i]; if (r < 0) break; }
        chosen = i;
      }
      pick(c, chosen);
      total = 0;
      for (let i = 0; i < n; i++) { const t = dist2(i, c); if (t < D[i]) D[i] = t; total += D[i]; }
    }
  }
  if (d === 3) return lloyd3(data, ch, n, k, C, maxIt, eps, labels);
  const sums = new Float64Array(k * d), counts = new Float64Array(k);
  let iterations = 0, compactness = 0;
  for (let it = 0; it < maxIt; it++) {
    iterations = it + 1;
    sums.fill(0); counts.fill(0);
    compactness = 0;
    for (let i = 0; i < n; i++) {
      let best = 0, bd = Infinity;
      for (let c = 0; c < k; c++) { const t = dist2(i, c); if (t < bd) { bd = t; best = c; } }
      labels[i] = best;
      compactness += bd;
      counts[best]++;
      for (let j = 0; j < d; j++) sums[best * d + j] += data[i * ch + j];
    }
    let moved = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its center
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        moved = Math.max(moved, Math.abs(v - C[c * d + j]));
        C[c * d + j] = v;
      }
    }
    if (moved <= eps) break;
  }
  // Final assignment against the final centers.
  compactness = 0;
  for (let i = 0; i < n; i++) {
    let best = 0, bd = Infinity;
    for (let c = 0; c < k; c++) { const t = dist2(i, c); if (t < bd) { bd = t; best = c; } }
    labels[i] = best;
    compactness += bd;
  }
  return { labels, centers: C, compactness, iterations };
}

/**
 * Lloyd iterations for 3-channel data (same results as the generic loop). The squared channel
 * differences (v - center)^2 of every byte value are tabulated per center and channel, so a
 * distance is three table reads and the same two float64 additions, in the same order.
 */
function lloyd3(data: Uint8Array | Uint8ClampedArray, ch: number, n: number, k: number, C: Float64Array, maxIt: number, eps: number, labels: Uint8Array): KmeansResult {
  const sums = new Float64Array(k * 3), counts = new Float64Array(k);
  const tab = new Float64Array(k * 768); // center c: [c*768 + v] red, [+256 + v] green, [+512 + v] blue
  let iterations = 0;
  const wasm = ch === 3 || ch === 4 ? wasmKernels()?.kmeansAssigner(data, ch, n, k) ?? null : null;
  const assign = (accumulate: boolean): number => {
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < 3; j++) {
        const o = c * 768 + j * 256, m = C[c * 3 + j];
        for (let v = 0; v < 256; v++) { const d = v - m; tab[o + v] = d * d; }
      }
    }
    if (wasm) return wasm(tab, labels, accumulate ? sums : null, accumulate ? counts : null);
    let compactness = 0;
    for (let i = 0, p = 0; i < n; i++, p += ch) {
      const r = data[p], g = data[p + 1] + 256, b = data[p + 2] + 512;
      let best = 0, bd = Infinity;
      for (let c = 0, q = 0; c < k; c++, q += 768) {
        const t = tab[q + r] + tab[q + g] + tab[q + b];
        if (t < bd) { bd = t; best = c; }
      }
      labels[i] = best;
      compactness += bd;
      if (accumulate) { counts[best]++; const q = best * 3; sums[q] += r; sums[q + 1] += g - 256; sums[q + 2] += b - 512; }
    }
    return compactness;
  };
  for (let it = 0; it < maxIt; it++) {
    iterations = it + 1;
    sums.fill(0); counts.fill(0);
    assign(true);
    let moved = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let j = 0; j < 3; j++) {
        const v = sums[c * 3 + j] / counts[c];
        moved = Math.max(moved, Math.abs(v - C[c * 3 + j]));
        C[c * 3 + j] = v;
      }
    }
    if (moved <= eps) break;
  }
  const compactness = assign(false);
  return { labels, centers: C, compactness, iterations };
}
