// Gaussian blur of a gray image, bit-exact with OpenCV's 8-bit fixed-point GaussianBlur: the
// kernel is rounded to 8 fractional bits with error diffusion (sum exactly 256), the horizontal
// pass keeps 8.8 fixed point, the vertical pass 16.16, and the result is rounded half up.
import { checkGray, intOption, numOption, outBuffer, reflect101, replicate, type GrayImage } from './image';
import { wasmKernels } from './wasm';

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
  if (ksize === 5 && kq[0] === 16 && kq[1] === 64 && wasmKernels()?.gauss5(src, w, h, border === 'reflect101' ? 0 : 1, out)) return out;
  if (ksize === 5 && kq[0] === 16 && kq[1] === 64 && w >= 16 && (src.byteOffset & 3) === 0 && (out.byteOffset & 3) === 0) return gauss5Swar(src, w, h, border, out);
  return separableQ8(src, w, h, kq, border, out);
}

/**
 * The [1 4 6 4 1]^2 / 256 blur (OpenCV's 5x5, sigma 0) two pixels per 32-bit lane pair: column
 * sums of even and odd pixels go in separate 16-bit lanes (at most 16*255 = 4080), row sums of
 * those at most 65280 + 128, so no lane ever carries into the next. The same integers as the
 * scalar filter, four pixels per step; the first and last four columns use the scalar path.
 */
function gauss5Swar(src: Uint8Array | Uint8ClampedArray, w: number, h: number, border: BorderMode, out: Uint8Array): Uint8Array {
  const idx = border === 'reflect101' ? reflect101 : replicate;
  const quads = w >> 2;
  const s32 = new Uint32Array(src.buffer, src.byteOffset, (w * h) >> 2);
  const o32 = new Uint32Array(out.buffer, out.byteOffset, (w * h) >> 2);
  const E = new Uint32Array(quads + 2), O = new Uint32Array(quads + 2); // index q+1 holds quad q
  const col = new Int32Array(w + 4);
  const aligned = (w & 3) === 0;
  for (let y = 0; y < h; y++) {
    const ra = idx(y - 2, h) * w, rb = idx(y - 1, h) * w, rc = y * w, rd = idx(y + 1, h) * w, re = idx(y + 2, h) * w;
    // scalar column sums: every column for an unaligned width, else only the six at each end
    for (let x = 0; x < w; x++) {
      if (aligned && x === 6 && w > 12) x = w - 6;
      col[x + 2] = src[ra + x] + src[re + x] + 4 * (src[rb + x] + src[rd + x]) + 6 * src[rc + x];
    }
    col[0] = col[idx(-2, w) + 2]; col[1] = col[idx(-1, w) + 2]; col[w + 2] = col[idx(w, w) + 2]; col[w + 3] = col[idx(w + 1, w) + 2];
    if (aligned) {
      const qa = ra >> 2, qb = rb >> 2, qc = rc >> 2, qd = rd >> 2, qe = re >> 2;
      for (let q = 0; q < quads; q++) {
        const a = s32[qa + q], b = s32[qb + q], c = s32[qc + q], d = s32[qd + q], e = s32[qe + q];
        E[q + 1] = (a & 0xff00ff) + (e & 0xff00ff) + (((b & 0xff00ff) + (d & 0xff00ff)) << 2) + 6 * (c & 0xff00ff);
        O[q + 1] = ((a >>> 8) & 0xff00ff) + ((e >>> 8) & 0xff00ff) + ((((b >>> 8) & 0xff00ff) + ((d >>> 8) & 0xff00ff)) << 2) + 6 * ((c >>> 8) & 0xff00ff);
      }
      const ob = rc >> 2;
      for (let q = 1; q < quads - 1; q++) {
        const e0 = E[q + 1], o0 = O[q + 1];
        const em = ((E[q] >>> 16) | (e0 << 16)) >>> 0, om = ((O[q] >>> 16) | (o0 << 16)) >>> 0;
        const ep = ((e0 >>> 16) | (E[q + 2] << 16)) >>> 0, op = ((o0 >>> 16) | (O[q + 2] << 16)) >>> 0;
        const se = em + ep + ((om + o0) << 2) + 6 * e0 + 0x800080;
        const so = om + op + ((e0 + ep) << 2) + 6 * o0 + 0x800080;
        o32[ob + q] = (((se >>> 8) & 0xff00ff) | (so & 0xff00ff00)) >>> 0;
      }
      for (const x of [0, 1, 2, 3, w - 4, w - 3, w - 2, w - 1]) {
        out[rc + x] = (col[x] + col[x + 4] + 4 * (col[x + 1] + col[x + 3]) + 6 * col[x + 2] + 128) >> 8;
      }
    } else {
      for (let x = 0; x < w; x++) out[rc + x] = (col[x] + col[x + 4] + 4 * (col[x + 1] + col[x + 3]) + 6 * col[x + 2] + 128) >> 8;
    }
  }
  return out;
}

/**
 * Separable filter with a Q8 kernel (sum 256). The sums are exact integers (at most 256*256*255),
 * so filtering columns first and rows second gives the same bytes as OpenCV's row-then-column
 * fixed point, with one row buffer instead of a whole intermediate image.
 */
export function separableQ8(src: Uint8Array | Uint8ClampedArray, w: number, h: number, kq: Int32Array, border: BorderMode, out: Uint8Array): Uint8Array {
  const n = kq.length, r = n >> 1;
  const idx = border === 'reflect101' ? reflect101 : replicate;
  const col = new Int32Array(w + 2 * r); // column sums of one output row, padded by r each side
  const lpad = new Int32Array(r), rpad = new Int32Array(r);
  for (let t = 0; t < r; t++) { lpad[t] = idx(t - r, w); rpad[t] = idx(w + t, w); }
  const rows = new Int32Array(n);
  const k0 = kq[0], k1 = n > 1 ? kq[1] : 0, k2 = n > 2 ? kq[2] : 0;
  for (let y = 0; y < h; y++) {
    for (let t = 0; t < n; t++) rows[t] = idx(y - r + t, h) * w;
    if (n === 5) {
      const A = rows[0], B = rows[1], Cc = rows[2], D = rows[3], E = rows[4];
      for (let x = 0; x < w; x++) col[x + 2] = k0 * (src[A + x] + src[E + x]) + k1 * (src[B + x] + src[D + x]) + k2 * src[Cc + x];
    } else {
      for (let x = 0; x < w; x++) {
        let s = kq[r] * src[rows[r] + x];
        for (let t = 0; t < r; t++) s += kq[t] * (src[rows[t] + x] + src[rows[n - 1 - t] + x]);
        col[x + r] = s;
      }
    }
    for (let t = 0; t < r; t++) { col[t] = col[lpad[t] + r]; col[w + r + t] = col[rpad[t] + r]; }
    const o = y * w;
    if (n === 5) {
      for (let x = 0; x < w; x++) out[o + x] = (k0 * (col[x] + col[x + 4]) + k1 * (col[x + 1] + col[x + 3]) + k2 * col[x + 2] + 32768) >>> 16;
    } else {
      for (let x = 0; x < w; x++) {
        let s = kq[r] * col[x + r];
        for (let t = 0; t < r; t++) s += kq[t] * (col[x + t] + col[x + n - 1 - t]);
        out[o + x] = (s + 32768) >>> 16;
      }
    }
  }
  return out;
}
