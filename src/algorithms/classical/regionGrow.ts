// Seeded region growing (after Adams & Bischof): several seeds grow at once from a 256-level bucket
// queue, the most similar candidate first; a pixel is queued for the first region whose running
// mean it is within `tolerance` of (difference = max over channels), and pixels no region accepts
// stay unlabelled (0).
import { checkConnectivity, checkImage, checkPoint, intOption, outBuffer, type Connectivity, type ImageU8 } from './image';

export interface Seed { x: number; y: number; /** Label written for this seed's region, >= 1. Default: index + 1. */ label?: number }

export interface RegionGrowOptions {
  /** Largest difference (max over channels) to the region mean that joins, 0..255. Default 20. */
  tolerance?: number;
  /** Default 4. */
  connectivity?: Connectivity;
  /** Reused output labels (width*height). */
  out?: Int32Array;
}

/** Grows regions from seeds; returns labels (0 = not reached). */
export function regionGrow(image: ImageU8, seeds: readonly Seed[], options: RegionGrowOptions = {}): Int32Array {
  const ch = checkImage(image);
  const { width: w, height: h, data } = image;
  if (!Array.isArray(seeds) || seeds.length === 0) throw new RangeError('seeds: expected at least one seed');
  const tol = intOption(options.tolerance, 20, 0, 255, 'tolerance');
  const conn = checkConnectivity(options.connectivity, 4);
  const out = outBuffer(options.out, Int32Array, w * h);
  out.fill(0);
  const d = ch === 1 ? 1 : 3;
  const regions = new Map<number, number>(); // label -> region index
  const sums: number[] = [], counts: number[] = [], regionLabel: number[] = [];
  // Bucket queue of (pixel, region) pairs with the difference as priority. A pixel enters once, for
  // the first region that reaches it (so the queue holds at most width*height pairs).
  const buckets: Int32Array[] = [], sizes = new Int32Array(256);
  const queued = new Uint8Array(w * h);
  let lowest = 256;
  const push = (level: number, pixel: number, region: number): void => {
    let b = buckets[level];
    if (!b) b = buckets[level] = new Int32Array(64);
    if (sizes[level] + 2 > b.length) { const t = new Int32Array(b.length * 2); t.set(b); b = buckets[level] = t; }
    b[sizes[level]++] = pixel; b[sizes[level]++] = region;
    queued[pixel] = 1;
    if (level < lowest) lowest = level;
  };
  const diffTo = (p: number, r: number): number => {
    let worst = 0;
    for (let j = 0; j < d; j++) {
      const t = Math.abs(data[p * ch + j] - sums[r * d + j] / counts[r]);
      if (t > worst) worst = t;
    }
    return Math.round(worst);
  };
  const dx = conn === 8 ? [-1, 1, 0, 0, -1, 1, -1, 1] : [-1, 1, 0, 0];
  const dy = conn === 8 ? [0, 0, -1, 1, -1, -1, 1, 1] : [0, 0, -1, 1];
  const claim = (p: number, r: number): void => {
    out[p] = regionLabel[r];
    for (let j = 0; j < d; j++) sums[r * d + j] += data[p * ch + j];
    counts[r]++;
    const x = p % w, y = (p - x) / w;
    for (let k = 0; k < dx.length; k++) {
      const nx = x + dx[k], ny = y + dy[k];
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const q = ny * w + nx;
      if (out[q] !== 0 || queued[q]) continue;
      const t = diffTo(q, r);
      if (t <= tol) push(t, q, r);
    }
  };
  seeds.forEach((s, i) => {
    checkPoint(s.x, s.y, w, h, `seeds[${i}]`);
    const label = s.label ?? i + 1;
    if (!Number.isInteger(label) || label < 1) throw new RangeError(`seeds[${i}].label: expected an integer >= 1, got ${label}`);
    let r = regions.get(label);
    if (r === undefined) {
      r = regionLabel.length;
      regions.set(label, r);
      regionLabel.push(label); counts.push(0);
      for (let j = 0; j < d; j++) sums.push(0);
    }
    const p = s.y * w + s.x;
    if (out[p] === 0) claim(p, r);
  });
  for (;;) {
    while (lowest <= tol && sizes[lowest] === 0) lowest++;
    if (lowest > tol) break;
    const b = buckets[lowest];
    const r = b[--sizes[lowest]], p = b[--sizes[lowest]];
    if (out[p] !== 0) continue;
    claim(p, r); // may push lower levels (lowest moves down)
  }
  return out;
}
