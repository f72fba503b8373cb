// Split touching objects of a binary mask (the classic "touching coins" recipe): markers are the
// maxima of the Euclidean distance transform (a pixel whose distance is the largest within
// (2*minDistance+1)^2, plateaus joined 8-connected), then a watershed floods the negated distance
// inside the mask from those markers (priority flood, ties first-come, 4-connected, like
// scikit-image's watershed(-distance, markers, mask=binary)).
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

/** Sliding-window maximum (separable square, half-size r) of an Int32 image. */
function maxFilter(src: Int32Array, w: number, h: number, r: number): Int32Array {
  const tmp = new Int32Array(w * h), out = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      let m = -1;
      for (let t = Math.max(0, x - r), e = Math.min(w - 1, x + r); t <= e; t++) if (src[o + t] > m) m = src[o + t];
      tmp[o + x] = m;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = -1;
      for (let t = Math.max(0, y - r), e = Math.min(h - 1, y + r); t <= e; t++) if (tmp[t * w + x] > m) m = tmp[t * w + x];
      out[y * w + x] = m;
    }
  }
  return out;
}

/** Instance labels (1..count, 0 = background) of a binary mask split at distance-transform saddles. */
export function splitTouching(mask: GrayImage, options: SplitOptions = {}): { labels: Int32Array; count: number } {
  checkGray(mask, 'mask');
  const r = intOption(options.minDistance, 5, 1, 256, 'minDistance');
  const { width: w, height: h, data } = mask;
  const n = w * h;
  const d2f = squaredDistance(mask);
  const d2 = new Int32Array(n);
  for (let i = 0; i < n; i++) d2[i] = d2f[i] === Infinity ? 0x7fffffff : d2f[i];
  const mx = maxFilter(d2, w, h, r);
  const peaks = new Uint8Array(n);
  for (let i = 0; i < n; i++) peaks[i] = data[i] !== 0 && d2[i] === mx[i] ? 1 : 0;
  const { labels, count } = connectedComponents({ data: peaks, width: w, height: h }, { connectivity: 8, stats: false });
  const heap = new PixelHeap(n);
  for (let i = 0; i < n; i++) if (labels[i] > 0) heap.push(-d2[i], i);
  while (heap.size > 0) {
    const p = heap.pop();
    const x = p % w, lab = labels[p];
    const nb = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p >= w ? p - w : -1, p + w < n ? p + w : -1];
    for (const q of nb) {
      if (q < 0 || labels[q] !== 0 || data[q] === 0) continue;
      labels[q] = lab;
      heap.push(-d2[q], q);
    }
  }
  return { labels, count };
}
