// Canny edge detector, the same decisions as OpenCV's Canny (aperture 3): Sobel with replicated
// borders, L1 (|gx|+|gy|) or L2 (gx^2+gy^2 against squared thresholds) magnitude, non-maximum
// suppression in four directions with the tan(22.5) fixed-point test, and 8-connected hysteresis
// (weak = above low, strong = above high, both strict).
import { checkGray, numOption, outBuffer, type GrayImage } from './image';
import { sobel } from './sobel';

export interface CannyOptions {
  /** Low hysteresis threshold. Default 50. */
  low?: number;
  /** High hysteresis threshold. Default 150 (swapped with low if smaller). */
  high?: number;
  /** Use the L2 gradient magnitude. Default false (L1). */
  l2?: boolean;
  /** Reused output buffer (width*height): 255 = edge, 0 = not. */
  out?: Uint8Array;
}

const SHIFT = 15;
const TG22 = Math.round(0.41421356237309503 * (1 << SHIFT)); // 13573

/** Gradient magnitudes of row y into dst[1..w]. */
function magRow(gx: Int16Array, gy: Int16Array, y: number, w: number, l2: boolean, dst: Int32Array): void {
  const o = y * w;
  if (l2) for (let x = 0; x < w; x++) { const a = gx[o + x], b = gy[o + x]; dst[x + 1] = a * a + b * b; }
  else for (let x = 0; x < w; x++) { const a = gx[o + x], b = gy[o + x]; dst[x + 1] = (a < 0 ? -a : a) + (b < 0 ? -b : b); }
}

// Gradient buffers are kept between calls (a fresh 2 x 32 MiB at 4096^2 costs page faults).
const grads: Int16Array[] = [];
function scratch16(i: number, n: number): Int16Array {
  if (!grads[i] || grads[i].length !== n) grads[i] = new Int16Array(n);
  return grads[i];
}

let mapCache: Uint8Array | null = null;

/** Binary edge map (0/255) of a gray image. */
export function canny(image: GrayImage, options: CannyOptions = {}): Uint8Array {
  checkGray(image);
  let lowT = numOption(options.low, 50, 0, 1e6, 'low');
  let highT = numOption(options.high, 150, 0, 1e6, 'high');
  if (lowT > highT) [lowT, highT] = [highT, lowT];
  const l2 = options.l2 ?? false;
  if (l2) {
    lowT = Math.min(32767, lowT); highT = Math.min(32767, highT);
    if (lowT > 0) lowT *= lowT;
    if (highT > 0) highT *= highT;
  }
  const low = Math.floor(lowT), high = Math.floor(highT);
  const { width: w, height: h } = image;
  const out = outBuffer(options.out, Uint8Array, w * h);
  const n = w * h;
  const { gx, gy } = sobel(image, { border: 'replicate', outX: scratch16(0, n), outY: scratch16(1, n) });
  const mw = w + 2;
  // map: 0 = candidate (weak local maximum), 1 = not an edge, 2 = edge. One-pixel frame of 1s.
  if (!mapCache || mapCache.length !== mw * (h + 2)) mapCache = new Uint8Array(mw * (h + 2));
  const map = mapCache;
  map.fill(1, 0, mw);
  map.fill(1, (h + 1) * mw);
  let prev = new Int32Array(mw), cur = new Int32Array(mw), next = new Int32Array(mw);
  magRow(gx, gy, 0, w, l2, cur);
  let stack = new Int32Array(1024), sp = 0;
  for (let y = 0; y < h; y++) {
    if (y + 1 < h) magRow(gx, gy, y + 1, w, l2, next); else next.fill(0);
    const o = y * w, mo = (y + 1) * mw + 1;
    map[mo - 1] = 1; map[mo + w] = 1;
    for (let x = 0; x < w; x++) {
      const m = cur[x + 1];
      let keep = false;
      if (m > low) {
        const xs = gx[o + x], ys = gy[o + x];
        const ax = xs < 0 ? -xs : xs, ay = (ys < 0 ? -ys : ys) << SHIFT;
        const tg22x = ax * TG22;
        if (ay < tg22x) keep = m > cur[x] && m >= cur[x + 2];
        else if (ay > tg22x + (ax << (SHIFT + 1))) keep = m > prev[x + 1] && m >= next[x + 1];
        else {
          const s = (xs ^ ys) < 0 ? -1 : 1;
          keep = m > prev[x + 1 - s] && m > next[x + 1 + s];
        }
      }
      if (!keep) { map[mo + x] = 1; continue; }
      if (m > high) {
        map[mo + x] = 2;
        if (sp === stack.length) { const t = new Int32Array(sp * 2); t.set(stack); stack = t; }
        stack[sp++] = mo + x;
      } else map[mo + x] = 0;
    }
    const t = prev; prev = cur; cur = next; next = t;
  }
  // Hysteresis: grow edges into 8-connected weak candidates.
  const nb = [-mw - 1, -mw, -mw + 1, -1, 1, mw - 1, mw, mw + 1];
  while (sp > 0) {
    const p = stack[--sp];
    for (let k = 0; k < 8; k++) {
      const q = p + nb[k];
      if (map[q] === 0) {
        map[q] = 2;
        if (sp === stack.length) { const t = new Int32Array(sp * 2); t.set(stack); stack = t; }
        stack[sp++] = q;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    const mo = (y + 1) * mw + 1, o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = map[mo + x] === 2 ? 255 : 0;
  }
  return out;
}
