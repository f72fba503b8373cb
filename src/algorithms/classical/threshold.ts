// Fixed global threshold: out = value > threshold ? maxValue : 0 (OpenCV THRESH_BINARY), or the
// inverse (THRESH_BINARY_INV).
import { checkGray, intOption, outBuffer, type GrayImage } from './image';
import { wasmKernels } from './wasm';

export interface ThresholdOptions {
  /** Threshold; pixels strictly above it are foreground. Default 127. Integer in [-1, 255]. */
  threshold?: number;
  /** Foreground value. Default 255. */
  maxValue?: number;
  /** Foreground = pixels at or below the threshold. Default false. */
  invert?: boolean;
  /** Reused output buffer (width*height). */
  out?: Uint8Array;
}

/** Applies a lookup table of 256 bytes to a gray image, four pixels per step. */
export function applyLut(src: Uint8Array | Uint8ClampedArray, lut: Uint8Array, out: Uint8Array): Uint8Array {
  const n = src.length;
  let i = 0;
  if ((src.byteOffset & 3) === 0 && (out.byteOffset & 3) === 0) {
    const quads = n >> 2;
    const s = new Uint32Array(src.buffer, src.byteOffset, quads);
    const d = new Uint32Array(out.buffer, out.byteOffset, quads);
    for (let q = 0; q < quads; q++) {
      const v = s[q];
      d[q] = (lut[v & 0xff] | (lut[(v >>> 8) & 0xff] << 8) | (lut[(v >>> 16) & 0xff] << 16) | (lut[v >>> 24] << 24)) >>> 0;
    }
    i = quads << 2;
  }
  for (; i < n; i++) out[i] = lut[src[i]];
  return out;
}

export function binaryLut(t: number, maxValue: number, invert: boolean): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = (v > t) !== invert ? maxValue : 0;
  return lut;
}

/**
 * out = (v > t) != invert ? maxValue : 0, four pixels per 32-bit word without a table: the low 7
 * bits of each byte plus (127 - t') carry into bit 7 exactly when they exceed t' (no carry crosses
 * a byte), combined with each byte's own bit 7; the bit is then widened to 0 / maxValue.
 */
export function binarize(src: Uint8Array | Uint8ClampedArray, t: number, maxValue: number, invert: boolean, out: Uint8Array): Uint8Array {
  const n = src.length;
  if (t < 0 || t > 254) return out.fill((t < 0) !== invert ? maxValue : 0);
  if (wasmKernels()?.binarize(src, t, maxValue, invert, out)) return out;
  let i = 0;
  if ((src.byteOffset & 3) === 0 && (out.byteOffset & 3) === 0) {
    const quads = n >> 2;
    const s = new Uint32Array(src.buffer, src.byteOffset, quads);
    const d = new Uint32Array(out.buffer, out.byteOffset, quads);
    const high = t >= 128, add = (127 - (high ? t - 128 : t)) * 0x01010101, flip = invert ? 0x80808080 : 0;
    for (let q = 0; q < quads; q++) {
      const x = s[q];
      const sum = (x & 0x7f7f7f7f) + add;
      const m = ((high ? sum & x : sum | x) & 0x80808080) ^ flip;
      d[q] = (m >>> 7) * maxValue;
    }
    i = quads << 2;
  }
  for (; i < n; i++) out[i] = (src[i] > t) !== invert ? maxValue : 0;
  return out;
}

/** Binary threshold of a gray image. */
export function threshold(image: GrayImage, options: ThresholdOptions = {}): Uint8Array {
  checkGray(image);
  const t = intOption(options.threshold, 127, -1, 255, 'threshold');
  const maxValue = intOption(options.maxValue, 255, 0, 255, 'maxValue');
  const out = outBuffer(options.out, Uint8Array, image.width * image.height);
  return binarize(image.data, t, maxValue, options.invert ?? false, out);
}
