// 3x3 Sobel derivatives of a gray image as Int16 (OpenCV Sobel(src, CV_16S, 1,0,3) and (0,1,3)).
import { checkGray, outBuffer, reflect101, replicate, type GrayImage } from './image';
import type { BorderMode } from './gaussian';
import { wasmKernels } from './wasm';

export interface SobelOptions {
  /** Border handling. Default 'reflect101' (OpenCV BORDER_DEFAULT); Canny uses 'replicate'. */
  border?: BorderMode;
  /** Reused outputs (width*height each). */
  outX?: Int16Array;
  outY?: Int16Array;
}

/** Horizontal (gx) and vertical (gy) 3x3 Sobel derivatives. */
export function sobel(image: GrayImage, options: SobelOptions = {}): { gx: Int16Array; gy: Int16Array } {
  checkGray(image);
  const border = options.border ?? 'reflect101';
  if (border !== 'reflect101' && border !== 'replicate') throw new RangeError(`border: expected 'reflect101' or 'replicate', got ${border}`);
  const idx = border === 'reflect101' ? reflect101 : replicate;
  const { width: w, height: h, data: g } = image;
  const gx = outBuffer(options.outX, Int16Array, w * h, 'outX');
  const gy = outBuffer(options.outY, Int16Array, w * h, 'outY');
  if (wasmKernels()?.sobel(g, w, h, border === 'reflect101' ? 0 : 1, gx, gy)) return { gx, gy };
  const xl = idx(-1, w), xr = idx(w, w);
  // Int16 pairs stored as one 32-bit word (little endian) where both outputs are 4-aligned.
  const pairs = (gx.byteOffset & 3) === 0 && (gy.byteOffset & 3) === 0;
  const gx32 = pairs ? new Int32Array(gx.buffer, gx.byteOffset, gx.length >> 1) : null;
  const gy32 = pairs ? new Int32Array(gy.buffer, gy.byteOffset, gy.length >> 1) : null;
  for (let y = 0; y < h; y++) sobelRow(g, w, idx(y - 1, h) * w, y * w, idx(y + 1, h) * w, xl, xr, gx, gy, gx32, gy32, y * w);
  return { gx, gy };
}

/**
 * One output row: rows starting at up, md, dn of g (width w; xl, xr the columns standing for -1
 * and w) into gx/gy from index `base`. gx32/gy32: optional 32-bit views of gx/gy (4-aligned) for
 * two outputs per store.
 */
export function sobelRow(g: Uint8Array | Uint8ClampedArray, w: number, up: number, md: number, dn: number, xl: number, xr: number,
  gx: Int16Array, gy: Int16Array, gx32: Int32Array | null, gy32: Int32Array | null, base: number): void {
  // Sliding column sums: vertical smoothing [1 2 1] (s*, for gx) and difference [-1 0 1] (d*, for
  // gy) of the columns left of, at and right of x.
  let t = g[up + xl], b = g[dn + xl];
  let sA = t + 2 * g[md + xl] + b, dA = b - t;
  t = g[up]; b = g[dn];
  let sB = t + 2 * g[md] + b, dB = b - t;
  let x = 0;
  if (gx32 !== null && gy32 !== null) {
    if ((base & 1) !== 0 && w > 1) {
      t = g[up + 1]; b = g[dn + 1];
      const sC = t + 2 * g[md + 1] + b, dC = b - t;
      gx[base] = sC - sA; gy[base] = dA + 2 * dB + dC;
      sA = sB; dA = dB; sB = sC; dB = dC;
      x = 1;
    }
    // two outputs per step: columns x+1 and x+2 are read
    for (; x + 2 < w; x += 2) {
      t = g[up + x + 1]; b = g[dn + x + 1];
      const sC = t + 2 * g[md + x + 1] + b, dC = b - t;
      t = g[up + x + 2]; b = g[dn + x + 2];
      const sD = t + 2 * g[md + x + 2] + b, dD = b - t;
      const k = (base + x) >> 1;
      gx32[k] = ((sC - sA) & 0xffff) | ((sD - sB) << 16);
      gy32[k] = ((dA + 2 * dB + dC) & 0xffff) | ((dB + 2 * dC + dD) << 16);
      sA = sC; dA = dC; sB = sD; dB = dD;
    }
  }
  for (; x < w; x++) {
    const xn = x + 1 < w ? x + 1 : xr;
    t = g[up + xn]; b = g[dn + xn];
    const sC = t + 2 * g[md + xn] + b, dC = b - t;
    gx[base + x] = sC - sA; gy[base + x] = dA + 2 * dB + dC;
    sA = sB; dA = dB; sB = sC; dB = dC;
  }
}
