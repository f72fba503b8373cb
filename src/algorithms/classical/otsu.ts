// Otsu's threshold, identical to OpenCV's THRESH_OTSU for 8-bit images (same arithmetic, same
// tie rule: the first level with the largest between-class variance). camera.png -> 102.
import { checkGray, intOption, outBuffer, type GrayImage } from './image';
import { binarize } from './threshold';
import { wasmKernels } from './wasm';

/** 256-bin histogram of a gray image (four interleaved sub-histograms avoid store stalls). */
export function histogram(image: GrayImage): Int32Array {
  checkGray(image);
  const src = image.data, n = src.length;
  const hk = wasmKernels()?.histogram(src);
  if (hk) return hk;
  const h = new Int32Array(1024);
  let i = 0;
  if ((src.byteOffset & 3) === 0) {
    const quads = n >> 2;
    const s = new Uint32Array(src.buffer, src.byteOffset, quads);
    for (let q = 0; q < quads; q++) {
      const v = s[q];
      h[v & 0xff]++;
      h[256 + ((v >>> 8) & 0xff)]++;
      h[512 + ((v >>> 16) & 0xff)]++;
      h[768 + (v >>> 24)]++;
    }
    i = quads << 2;
  }
  for (; i < n; i++) h[src[i]]++;
  const out = new Int32Array(256);
  for (let v = 0; v < 256; v++) out[v] = h[v] + h[256 + v] + h[512 + v] + h[768 + v];
  return out;
}

const FLT_EPSILON = 1.1920928955078125e-7;

/** Otsu level from a 256-bin histogram: foreground = values > level. */
export function otsuLevel(hist: ArrayLike<number>): number {
  if (hist.length !== 256) throw new RangeError(`hist: expected 256 bins, got ${hist.length}`);
  let total = 0, weighted = 0;
  for (let v = 0; v < 256; v++) { total += hist[v]; weighted += v * hist[v]; }
  if (total <= 0) throw new RangeError('hist: empty histogram');
  const scale = 1 / total;
  const mean = weighted * scale;
  let meanLow = 0, wLow = 0, best = 0, level = 0;
  for (let v = 0; v < 256; v++) {
    const p = hist[v] * scale;
    meanLow *= wLow;
    wLow += p;
    const wHigh = 1 - wLow;
    if (Math.min(wLow, wHigh) < FLT_EPSILON || Math.max(wLow, wHigh) > 1 - FLT_EPSILON) continue;
    meanLow = (meanLow + v * p) / wLow;
    const meanHigh = (mean - wLow * meanLow) / wHigh;
    const d = meanLow - meanHigh;
    const between = wLow * wHigh * d * d;
    if (between > best) { best = between; level = v; }
  }
  return level;
}

export interface OtsuOptions {
  /** Foreground value. Default 255. */
  maxValue?: number;
  /** Foreground = pixels at or below the level. Default false. */
  invert?: boolean;
  /** Reused output buffer (width*height). */
  out?: Uint8Array;
}

/** Otsu threshold of a gray image: the chosen level and the binary mask (value > level). */
export function otsu(image: GrayImage, options: OtsuOptions = {}): { threshold: number; mask: Uint8Array } {
  checkGray(image);
  const maxValue = intOption(options.maxValue, 255, 0, 255, 'maxValue');
  const invert = options.invert ?? false;
  const out = outBuffer(options.out, Uint8Array, image.width * image.height);
  // wasm: the image is copied into the module once for both passes
  const k = wasmKernels();
  const level = k ? k.otsu(image.data, otsuLevel, maxValue, invert, out) : -1;
  if (level >= 0) return { threshold: level, mask: out };
  const t = otsuLevel(histogram(image));
  return { threshold: t, mask: binarize(image.data, t, maxValue, invert, out) };
}
