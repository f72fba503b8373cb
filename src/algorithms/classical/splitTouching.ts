// Split touching objects of a binary mask (the classic "touching coins" recipe): markers are the
// maxima of the Euclidean distance transform (a pixel whose distance is the largest within
// (2*minDistance+1)^2, plateaus joined 8-connected), then a watershed floods the negated distance
// inside the mask from those markers (priority flood, ties first-come, like
// scikit-image's watershed(-distance, markers, mask=binary), but 8-connected so that diagonal
// parts of an object are not left unlabelled).
import { checkGray, intOption, type GrayImage } from './image';
import { squaredDistance } from './distanceTransform';
import { connectedComponents } from './connectedComponents';

export interface SplitOptions {
  /** Half-size of the window in which a distance maximum must be the largest. Default 5. */
  minDistance?: number;
}

/** Min-heap of (priority, age) -> pixel, in typed arrays. */
class PixelHeap {
  private pri: Int32Array; private age: Int32Array; private pix: Int32Array; size = 0; private clock = 0;
  constructor(cap: number) { this.pri = new Int32Array(cap); this.age = new Int32Array(cap); this.pix = new Int32Array(cap); }
  private less(a: number, b: number): boolean { return this.pri[a] < this.pri[b] || (this.pri[a] === this.pri[b] && this.age[a] < this.age[b]); }
  private swap(a: number, b: number): void {
    const p = this.pri[a]; this.pri[a] = this.pri[b]; this.pri[b] = p;
    const g = this.age[a]; this.age[a] = this.age[b]; this.age[b] = g;
    const x = this.pix[a]; this.pix[a] = this.pix[b]; this.pix[b] = x;
  }
  push(priority: number, pixel: number): void {
    let i = this.size++;
    this.pri[i] = priority; this.age[i] = this.clock++; this.pix[i] = pixel;
    while (i > 0) { const p = (i - 1) >> 1; if (!this.less(i, p)) break; this.swap(i, p); i = p; }
  }
  pop(): number {
    const top = this.pix[0];
    this.size--;
    if (this.size > 0) {
      this.swap(0, this.size);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.size && this.less(l, m)) m = l;
        if (r < this.size && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m); i = m;
      }
    }
    return top;
  }
}

// 4-neighbours first, then diagonals (8-connected flooding reaches every pixel of an 8-connected object).
const NX = [-1, 1, 0, 0, -1, 1, -1, 1], NY = [0, 0, -1, 1, -1, -1, 1, 1];

/** Instance labels (1..count, 0 = background) of a binary mask split at distance-transform saddles. */
export function splitTouching(mask: GrayImage, options: SplitOptions = {}): { labels: Int32Array; count: number } {
  checkGray(mask, 'mask');
  const r = intOption(options.minDistance, 5, 1, 256, 'minDistance');
  const { width: w, height: h, data } = mask;
  const n = w * h;
  const d2f = squaredDistance(mask);
  const d2 = new Int32Array(n);
  for (let i = 0; i < n; i++) d2[i] = d2f[i] === Infinity ? 0x7fffffff : d2f[i];
  // Candidates: the largest distance among same-object pixels of their window (scikit-image's
  // peak_local_max(labels=...) masks other objects out), checked only where the 3x3 max holds.
  const obj = connectedComponents(mask, { connectivity: 8, stats: false }).labels;
  const cand: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, v = d2[i], o = obj[i];
      if (o === 0) continue;
      let isMax = true;
      for (let rad = 1; rad <= r && isMax; rad = rad === 1 ? r : r + 1) {
        for (let yy = Math.max(0, y - rad); yy <= Math.min(h - 1, y + rad) && isMax; yy++) {
          for (let xx = Math.max(0, x - rad), e = Math.min(w - 1, x + rad); xx <= e; xx++) {
            const j = yy * w + xx;
            if (obj[j] === o && d2[j] > v) { isMax = false; break; }
          }
        }
      }
      if (isMax) cand.push(i);
    }
  }
  // Keep the strongest peaks first (ties in raster order); drop any closer than minDistance
  // (Chebyshev) to a kept peak of the same object.
  cand.sort((p, q) => d2[q] - d2[p] || p - q);
  const peaks = new Uint8Array(n);
  const grid = new Map<number, number[]>(); // kept peaks by r x r cell
  const gw = Math.ceil(w / r) + 2;
  for (const i of cand) {
    const x = i % w, y = (i - x) / w, cx = Math.floor(x / r), cy = Math.floor(y / r);
    let near = false;
    for (let gy = cy - 1; gy <= cy + 1 && !near; gy++) {
      for (let gx = cx - 1; gx <= cx + 1 && !near; gx++) {
        for (const k of grid.get((gy + 1) * gw + gx + 1) ?? []) {
          const kx = k % w, ky = (k - kx) / w;
          if (obj[k] === obj[i] && Math.max(Math.abs(kx - x), Math.abs(ky - y)) < r) { near = true; break; }
        }
      }
    }
    if (near) continue;
    peaks[i] = 1;
    const key = (cy + 1) * gw + cx + 1;
    const cell = grid.get(key);
    if (cell) cell.push(i); else grid.set(key, [i]);
  }
  const { labels, count } = connectedComponents({ data: peaks, width: w, height: h }, { connectivity: 8, stats: false });
  const heap = new PixelHeap(n);
  for (let i = 0; i < n; i++) if (labels[i] > 0) heap.push(-d2[i], i);
  while (heap.size > 0) {
    const p = heap.pop();
    const x = p % w, y = (p - x) / w, lab = labels[p];
    for (let k = 0; k < 8; k++) {
      const nx = x + NX[k], ny = y + NY[k];
      if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
      const q = ny * w + nx;
      if (labels[q] !== 0 || data[q] === 0) continue;
      labels[q] = lab;
      heap.push(-d2[q], q);
    }
  }
  return { labels, count };
}
