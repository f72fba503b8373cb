// Adaptive threshold, bit-exact with OpenCV's adaptiveThreshold on 8-bit images: the local mean is
// a box mean (ADAPTIVE_THRESH_MEAN_C) or a Gaussian (ADAPTIVE_THRESH_GAUSSIAN_C) of blockSize,
// rounded to 8 bits, with replicated borders; foreground = value - mean > -ceil(C).
import { checkGray, intOption, numOption, outBuffer, type GrayImage } from './image';
import { gaussianKernelQ8, separableQ8 } from './gaussian';

export interface AdaptiveOptions {
  /** 'mean' (box) or 'gaussian'. Default 'mean'. */
  method?: 'mean' | 'gaussian';
  /** Odd neighbourhood size, 3..255 (gaussian: 3..63). Default 31. */
  blockSize?: number;
  /** Constant subtracted from the mean. Default 5. */
  C?: number;
  /** Foreground value. Default 255. */
  maxValue?: number;
  /** Foreground = pixels at or below mean - C. Default false. */
  invert?: boolean;
  /** Reused output buffer (width*height). */
  out?: Uint8Array;
}

/** Rounded box mean of a gray image with replicated borders (OpenCV boxFilter, normalize=true). */
export function boxMean(src: Uint8Array | Uint8ClampedArray, w: number, h: number, size: number, out: Uint8Array): Uint8Array {
  const r = size >> 1, area = size * size, inv = 1 / area;
  const hs = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let s = 0;
    for (let x = -r; x <= r; x++) s += src[o + (x < 0 ? 0 : x >= w ? w - 1 : x)];
    hs[o] = s;
    for (let x = 1; x < w; x++) {
      const add = x + r, sub = x - r - 1;
      s += src[o + (add >= w ? w - 1 : add)] - src[o + (sub < 0 ? 0 : sub)];
      hs[o + x] = s;
    }
  }
  const col = new Int32Array(w);
  for (let y = -r; y <= r; y++) {
    const o = (y < 0 ? 0 : y >= h ? h - 1 : y) * w;
    for (let x = 0; x < w; x++) col[x] += hs[o + x];
  }
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = Math.floor(col[x] * inv + 0.5);
    if (y + 1 < h) {
      const a = Math.min(y + 1 + r, h - 1) * w, b = Math.max(y - r, 0) * w;
      for (let x = 0; x < w; x++) col[x] += hs[a + x] - hs[b + x];
    }
  }
  return out;
}

/** Adaptive (local) threshold of a gray image. */
export function adaptiveThreshold(image: GrayImage, options: AdaptiveOptions = {}): Uint8Array {
  checkGray(image);
  const method = options.method ?? 'mean';
  if (method !== 'mean' && method !== 'gaussian') throw new RangeError(`method: expected 'mean' or 'gaussian', got ${method}`);
  const bs = intOption(options.blockSize, 31, 3, method === 'mean' ? 255 : 63, 'blockSize');
  if (bs % 2 === 0) throw new RangeError(`blockSize: must be odd, got ${bs}`);
  const C = numOption(options.C, 5, -255, 255, 'C');
  const maxValue = intOption(options.maxValue, 255, 0, 255, 'maxValue');
  const invert = options.invert ?? false;
  const { width: w, height: h, data: src } = image;
  const out = outBuffer(options.out, Uint8Array, w * h);
  const mean = new Uint8Array(w * h);
  if (method === 'mean') boxMean(src, w, h, bs, mean);
  else separableQ8(src, w, h, gaussianKernelQ8(bs, 0), 'replicate', mean);
  const d = invert ? Math.floor(C) : Math.ceil(C);
  // tab[diff + 255] with diff = src - mean in [-255, 255]
  const tab = new Uint8Array(511);
  for (let i = 0; i < 511; i++) tab[i] = invert ? (i - 255 <= -d ? maxValue : 0) : (i - 255 > -d ? maxValue : 0);
  for (let i = 0, n = w * h; i < n; i++) out[i] = tab[src[i] - mean[i] + 255];
  return out;
}
