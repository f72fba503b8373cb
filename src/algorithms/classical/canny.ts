// Canny edge detector, the same decisions as OpenCV's Canny (aperture 3): Sobel with replicated
// borders, L1 (|gx|+|gy|) or L2 (gx^2+gy^2 against squared thresholds) magnitude, non-maximum
// suppression in four directions with the tan(22.5) fixed-point test, and 8-connected hysteresis
// (weak = above low, strong = above high, both strict).
import { checkGray, numOption, outBuffer, replicate, type GrayImage } from './image';
import { sobelRow } from './sobel';
import { wasmKernels } from './wasm';

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

/** Gradient magnitudes of a row into dst[1..w]. */
function magRow(gx: Int16Array, gy: Int16Array, w: number, l2: boolean, dst: Int32Array): void {
  if (l2) for (let x = 0; x < w; x++) { const a = gx[x], b = gy[x]; dst[x + 1] = a * a + b * b; }
  else for (let x = 0; x < w; x++) { const a = gx[x], b = gy[x]; dst[x + 1] = (a < 0 ? -a : a) + (b < 0 ? -b : b); }
}

let mapCache: Uint8Array | null = null;
const EDGE = 255;

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
  const { width: w, height: h, data: g } = image;
  const out = outBuffer(options.out, Uint8Array, w * h);
  if (wasmKernels()?.canny(g, w, h, low, high, l2, out)) return out; // low, high < 2^31: i32 in wasm
  const mw = w + 2;
  // map: 0 = candidate (weak local maximum), 1 = not an edge, EDGE = edge. One-pixel frame of 1s.
  if (!mapCache || mapCache.length !== mw * (h + 2)) mapCache = new Uint8Array(mw * (h + 2));
  const map = mapCache;
  map.fill(1, 0, mw);
  map.fill(1, (h + 1) * mw);
  // Sobel (replicated border) one row ahead into small row buffers; magnitudes of rows y-1, y, y+1.
  let gxC = new Int16Array(w), gyC = new Int16Array(w), gxN = new Int16Array(w), gyN = new Int16Array(w);
  const xl = replicate(-1, w), xr = replicate(w, w);
  const grad = (y: number, gx: Int16Array, gy: Int16Array): void =>
    sobelRow(g, w, replicate(y - 1, h) * w, y * w, replicate(y + 1, h) * w, xl, xr, gx, gy, null, null, 0);
  let prev = new Int32Array(mw), cur = new Int32Array(mw), next = new Int32Array(mw);
  grad(0, gxC, gyC);
  magRow(gxC, gyC, w, l2, cur);
  let stack = new Int32Array(1024), sp = 0;
  for (let y = 0; y < h; y++) {
    if (y + 1 < h) { grad(y + 1, gxN, gyN); magRow(gxN, gyN, w, l2, next); } else next.fill(0);
    const mo = (y + 1) * mw + 1;
    map.fill(1, mo - 1, mo + w + 1); // then only the local maxima above low are written
    for (let x = 0; x < w; x++) {
      const m = cur[x + 1];
      if (m <= low) continue;
      const xs = gxC[x], ys = gyC[x];
      const ax = xs < 0 ? -xs : xs, ay = (ys < 0 ? -ys : ys) << SHIFT;
      const tg22x = ax * TG22;
      let keep: boolean;
      if (ay < tg22x) keep = m > cur[x] && m >= cur[x + 2];
      else if (ay > tg22x + (ax << (SHIFT + 1))) keep = m > prev[x + 1] && m >= next[x + 1];
      else {
        const s = (xs ^ ys) < 0 ? -1 : 1;
        keep = m > prev[x + 1 - s] && m > next[x + 1 + s];
      }
      if (!keep) continue;
      if (m > high) {
        map[mo + x] = EDGE;
        if (sp === stack.length) { const t = new Int32Array(sp * 2); t.set(stack); stack = t; }
        stack[sp++] = mo + x;
      } else map[mo + x] = 0;
    }
    const t = prev; prev = cur; cur = next; next = t;
    const tx = gxC; gxC = gxN; gxN = tx;
    const ty = gyC; gyC = gyN; gyN = ty;
  }
  // Hysteresis: grow edges into 8-connected weak candidates.
  const nb = [-mw - 1, -mw, -mw + 1, -1, 1, mw - 1, mw, mw + 1];
  while (sp > 0) {
    const p = stack[--sp];
    for (let k = 0; k < 8; k++) {
      const q = p + nb[k];
      if (map[q] === 0) {
        map[q] = EDGE;
        if (sp === stack.length) { const t = new Int32Array(sp * 2); t.set(stack); stack = t; }
        stack[sp++] = q;
      }
    }
  }
  // Copy the rows out, then keep only EDGE bytes (the only ones with bit 7 set), four per step.
  for (let y = 0; y < h; y++) out.set(map.subarray((y + 1) * mw + 1, (y + 1) * mw + 1 + w), y * w);
  const n = w * h;
  let i = 0;
  if ((out.byteOffset & 3) === 0) {
    const words = new Uint32Array(out.buffer, out.byteOffset, n >> 2);
    for (let k = 0; k < words.length; k++) words[k] = ((words[k] & 0x80808080) >>> 7) * 255;
    i = words.length << 2;
  }
  for (; i < n; i++) out[i] = out[i] === EDGE ? 255 : 0;
  return out;
}
