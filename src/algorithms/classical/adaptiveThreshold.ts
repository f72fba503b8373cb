// Adaptive threshold, bit-exact with OpenCV's adaptiveThreshold on 8-bit images: the local mean is
// a box mean (ADAPTIVE_THRESH_MEAN_C) or a Gaussian (ADAPTIVE_THRESH_GAUSSIAN_C) of blockSize,
// (in float32, as OpenCV does for this method) rounded to 8 bits, with replicated borders; foreground = value - mean > -ceil(C).
import { checkGray, intOption, numOption, outBuffer, type GrayImage } from './image';
import { wasmKernels } from './wasm';

const f32 = Math.fround;

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) ? r - 1 : r;
}

/** OpenCV getGaussianKernel(n, 0, CV_32F): float32 taps. */
function gaussianKernelF32(n: number): Float32Array {
  const sigma = ((n - 1) * 0.5 - 1) * 0.3 + 0.8;
  const scale2 = -0.5 / (sigma * sigma);
  const k = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) { const x = i - (n - 1) * 0.5; k[i] = Math.exp(scale2 * x * x); sum += k[i]; }
  sum = 1 / sum;
  for (let i = 0; i < n; i++) k[i] = k[i] * sum;
  return k;
}

/**
 * Gaussian local mean as OpenCV's adaptiveThreshold computes it: the image converted to float32,
 * blurred in float32 (row pass summed tap by tap, column pass folded symmetrically), rounded half
 * to even, with replicated borders.
 */
export function gaussianMeanRows(src: Uint8Array | Uint8ClampedArray, w: number, h: number, size: number, emit: (y: number, mean: Uint8Array) => void): void {
  // Fast path in float64 (folded symmetric taps); the float32 emulation decides only the pixels
  // whose value lies within 0.002 of a rounding boundary (float32 error here is below 1e-3: at
  // most ~62 roundings of 2^-24 relative on values <= 255).
  const k = gaussianKernelF32(size), r = size >> 1;
  const kd = Float64Array.from(k);
  // Columns first (sequential row reads into one accumulator row), then the folded row taps.
  const acc = new Float64Array(w + 2 * r);
  const row = new Uint8Array(w);
  for (let y = 0; y < h; y++) {
    {
      const oc = y * w, kc = kd[r];
      for (let x = 0; x < w; x++) acc[x + r] = kc * src[oc + x];
    }
    for (let t = 0; t < r; t++) {
      const ya = y - r + t, yb = y + r - t;
      const oa = (ya < 0 ? 0 : ya) * w, ob = (yb >= h ? h - 1 : yb) * w, kt = kd[t];
      for (let x = 0; x < w; x++) acc[x + r] += kt * (src[oa + x] + src[ob + x]);
    }
    for (let t = 0; t < r; t++) { acc[t] = acc[r]; acc[w + r + t] = acc[w + r - 1]; }
    for (let x = 0; x < w; x++) {
      let s = kd[r] * acc[x + r];
      for (let t = 0; t < r; t++) s += kd[t] * (acc[x + t] + acc[x + size - 1 - t]);
      const frac = s - Math.floor(s);
      row[x] = frac > 0.498 && frac < 0.502 ? exactPixel(src, w, h, k, x, y) : Math.round(s);
    }
    emit(y, row);
  }
}

/** One pixel of the float32 blur with OpenCV's order of operations (row taps in order, then the
 * column folded around the centre), rounded half to even. */
function exactPixel(src: Uint8Array | Uint8ClampedArray, w: number, h: number, k: Float32Array, x: number, y: number): number {
  const size = k.length, r = size >> 1;
  const rowVal = (yy: number): number => {
    const o = (yy < 0 ? 0 : yy >= h ? h - 1 : yy) * w;
    let s = f32(k[0] * src[o + (x - r < 0 ? 0 : x - r >= w ? w - 1 : x - r)]);
    for (let t = 1; t < size; t++) { const xx = x - r + t; s = f32(s + f32(k[t] * src[o + (xx < 0 ? 0 : xx >= w ? w - 1 : xx)])); }
    return s;
  };
  let s = f32(k[r] * rowVal(y));
  for (let t = 1; t <= r; t++) s = f32(s + f32(k[r + t] * f32(rowVal(y + t) + rowVal(y - t))));
  return roundHalfEven(s);
}

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

/**
 * Rounded box mean of a gray image with replicated borders (OpenCV boxFilter, normalize=true),
 * streamed row by row: running column sums, then a running sum along the row. `emit(y, row)`
 * receives each row of means (the buffer is reused).
 */
export function boxMeanRows(src: Uint8Array | Uint8ClampedArray, w: number, h: number, size: number, emit: (y: number, mean: Uint8Array) => void): void {
  const r = size >> 1, inv = 1 / (size * size);
  const col = new Int32Array(w + 2 * r);
  const row = new Uint8Array(w);
  for (let t = -r; t <= r; t++) {
    const o = (t < 0 ? 0 : t >= h ? h - 1 : t) * w;
    for (let x = 0; x < w; x++) col[x + r] += src[o + x];
  }
  for (let y = 0; y < h; y++) {
    for (let t = 0; t < r; t++) { col[t] = col[r]; col[w + r + t] = col[w + r - 1]; }
    let s = 0;
    for (let t = 0; t < size; t++) s += col[t];
    for (let x = 0; x < w; x++) {
      row[x] = Math.floor(s * inv + 0.5);
      if (x + 1 < w) s += col[x + size] - col[x];
    }
    emit(y, row);
    if (y + 1 < h) {
      const add = Math.min(y + 1 + r, h - 1) * w, sub = Math.max(y - r, 0) * w;
      for (let x = 0; x < w; x++) col[x + r] += src[add + x] - src[sub + x];
    }
  }
}

/** Rounded box mean into `out` (width*height). */
export function boxMean(src: Uint8Array | Uint8ClampedArray, w: number, h: number, size: number, out: Uint8Array): Uint8Array {
  boxMeanRows(src, w, h, size, (y, row) => out.set(row, y * w));
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
  const d = invert ? Math.floor(C) : Math.ceil(C);
  const k = wasmKernels();
  if (k && (method === 'mean' ? k.boxThreshold(src, w, h, bs, d, maxValue, invert, out) : k.gaussThreshold(src, w, h, gaussianKernelF32(bs), d, maxValue, invert, out))) return out;
  // tab[diff + 255] with diff = src - mean in [-255, 255]
  const tab = new Uint8Array(511);
  for (let i = 0; i < 511; i++) tab[i] = invert ? (i - 255 <= -d ? maxValue : 0) : (i - 255 > -d ? maxValue : 0);
  const emit = (y: number, mean: Uint8Array): void => {
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = tab[src[o + x] - mean[x] + 255];
  };
  if (method === 'mean') boxMeanRows(src, w, h, bs, emit);
  else gaussianMeanRows(src, w, h, bs, emit);
  return out;
}
