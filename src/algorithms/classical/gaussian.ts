// Gaussian blur of a gray image, bit-exact with OpenCV's 8-bit fixed-point GaussianBlur: the
// kernel is rounded to 8 fractional bits with error diffusion (sum exactly 256), the horizontal
// pass keeps 8.8 fixed point, the vertical pass 16.16, and the result is rounded half up.
import { checkGray, intOption, numOption, outBuffer, reflect101, replicate, type GrayImage } from './image';

export type BorderMode = 'reflect101' | 'replicate';

export interface GaussianOptions {
  /** Odd kernel size, 1..63. Default 5. */
  ksize?: number;
  /** Standard deviation; 0 derives it from ksize like OpenCV (0.3*((ksize-1)*0.5-1)+0.8). Default 0. */
  sigma?: number;
  /** Border handling. Default 'reflect101' (OpenCV BORDER_DEFAULT). */
  border?: BorderMode;
  /** Reused output buffer (width*height). */
  out?: Uint8Array;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) ? r - 1 : r;
}

/** The fixed-point kernel (integers summing to 256) OpenCV uses for an 8-bit GaussianBlur. */
export function gaussianKernelQ8(ksize: number, sigma = 0): Int32Array {
  intOption(ksize, 5, 1, 63, 'ksize');
  if (ksize % 2 === 0) throw new RangeError(`ksize: must be odd, got ${ksize}`);
  numOption(sigma, 0, 0, 1000, 'sigma');
  let k: number[];
  const fixed: Record<number, number[]> = { 1: [1], 3: [0.25, 0.5, 0.25], 5: [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16], 7: [2 / 64, 7 / 64, 14 / 64, 18 / 64, 14 / 64, 7 / 64, 2 / 64] };
  if (sigma <= 0 && fixed[ksize]) {
    k = fixed[ksize];
  } else {
    const s = sigma > 0 ? sigma : ksize * 0.15 + 0.35;
    const half = (ksize - 1) / 2;
    k = new Array<number>(ksize);
    let sum = 0;
    for (let i = 0; i < ksize; i++) { const x = i - half; k[i] = Math.exp(-(x * x) / (2 * s * s)); sum += k[i]; }
    for (let i = 0; i < ksize; i++) k[i] /= sum;
  }
  const q = new Int32Array(ksize);
  const mid = ksize >> 1;
  let err = 0, acc = 0;
  for (let i = 0; i < mid; i++) {
    const v = k[i] * 256 + err;
    const r = roundHalfEven(v);
    err = v - r;
    q[i] = q[ksize - 1 - i] = r;
    acc += 2 * r;
  }
  q[mid] = 256 - acc;
  return q;
}

/** Gaussian blur of a gray image (OpenCV GaussianBlur on CV_8U, bit-exact). */
export function gaussianBlur(image: GrayImage, options: GaussianOptions = {}): Uint8Array {
  checkGray(image);
  const ksize = intOption(options.ksize, 5, 1, 63, 'ksize');
  const kq = gaussianKernelQ8(ksize, numOption(options.sigma, 0, 0, 1000, 'sigma'));
  const border = options.border ?? 'reflect101';
  if (border !== 'reflect101' && border !== 'replicate') throw new RangeError(`border: expected 'reflect101' or 'replicate', got ${border}`);
  const { width: w, height: h, data: src } = image;
  const out = outBuffer(options.out, Uint8Array, w * h);
  return separableQ8(src, w, h, kq, border, out);
}

/** Separable filter with a Q8 kernel (sum 256): horizontal to 8.8, vertical to 16.16, rounded. */
export function separableQ8(src: Uint8Array | Uint8ClampedArray, w: number, h: number, kq: Int32Array, border: BorderMode, out: Uint8Array): Uint8Array {
  const n = kq.length, r = n >> 1;
  const idx = border === 'reflect101' ? reflect101 : replicate;
  const tmp = new Uint16Array(w * h);
  const xmap = new Int32Array(w + 2 * r);
  for (let x = -r; x < w + r; x++) xmap[x + r] = idx(x, w);
  const line = new Uint8Array(w + 2 * r);
  const sym5 = n === 5;
  const k0 = kq[0], k1 = kq[1], k2 = kq[2];
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w + 2 * r; x++) line[x] = src[o + xmap[x]];
    if (sym5) {
      for (let x = 0; x < w; x++) tmp[o + x] = k0 * (line[x] + line[x + 4]) + k1 * (line[x + 1] + line[x + 3]) + k2 * line[x + 2];
    } else {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += kq[t] * line[x + t];
        tmp[o + x] = s;
      }
    }
  }
  const rows = new Int32Array(n);
  for (let y = 0; y < h; y++) {
    for (let t = 0; t < n; t++) rows[t] = idx(y - r + t, h) * w;
    const o = y * w;
    if (sym5) {
      const a = rows[0], b = rows[1], c = rows[2], d = rows[3], e = rows[4];
      for (let x = 0; x < w; x++) {
        out[o + x] = (k0 * (tmp[a + x] + tmp[e + x]) + k1 * (tmp[b + x] + tmp[d + x]) + k2 * tmp[c + x] + 32768) >>> 16;
      }
    } else {
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let t = 0; t < n; t++) s += kq[t] * tmp[rows[t] + x];
        out[o + x] = (s + 32768) >>> 16;
      }
    }
  }
  return out;
}
