// 3x3 Sobel derivatives of a gray image as Int16 (OpenCV Sobel(src, CV_16S, 1,0,3) and (0,1,3)).
import { checkGray, outBuffer, reflect101, replicate, type GrayImage } from './image';
import type { BorderMode } from './gaussian';

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
  // Column sums per row: vertical smoothing [1 2 1] (for gx) and difference [-1 0 1] (for gy).
  const sm = new Int32Array(w + 2), df = new Int32Array(w + 2);
  const xl = idx(-1, w) + 1, xr = idx(w, w) + 1;
  for (let y = 0; y < h; y++) {
    const up = idx(y - 1, h) * w, md = y * w, dn = idx(y + 1, h) * w;
    for (let x = 0; x < w; x++) {
      const a = g[up + x], c = g[dn + x];
      sm[x + 1] = a + 2 * g[md + x] + c;
      df[x + 1] = c - a;
    }
    sm[0] = sm[xl]; df[0] = df[xl];
    sm[w + 1] = sm[xr]; df[w + 1] = df[xr];
    for (let x = 0; x < w; x++) {
      gx[md + x] = sm[x + 2] - sm[x];
      gy[md + x] = df[x] + 2 * df[x + 1] + df[x + 2];
    }
  }
  return { gx, gy };
}
