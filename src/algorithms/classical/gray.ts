// RGB(A) -> gray, bit-exact with OpenCV's cvtColor(RGB2GRAY) fixed point:
// gray = (9798 R + 19235 G + 3735 B + 16384) >> 15.
import { checkImage, outBuffer, type ImageU8 } from './image';

export interface GrayOptions {
  /** Reused output buffer of width*height bytes. Default: a new Uint8Array. */
  out?: Uint8Array;
}

const CR = 9798, CG = 19235, CB = 3735, HALF = 1 << 14;

/** Converts a 1-, 3- (RGB) or 4-channel (RGBA, alpha ignored) image to gray. */
export function toGray(image: ImageU8, options: GrayOptions = {}): Uint8Array {
  const ch = checkImage(image, 'image');
  const n = image.width * image.height;
  const out = outBuffer(options.out, Uint8Array, n);
  const src = image.data;
  if (ch === 1) {
    out.set(src);
    return out;
  }
  let i = 0;
  if (ch === 3 && (src.byteOffset & 3) === 0 && (out.byteOffset & 3) === 0) {
    // Four pixels per step: three 32-bit loads (12 bytes), one 32-bit store (little endian).
    const quads = n >> 2;
    const s = new Uint32Array(src.buffer, src.byteOffset, quads * 3);
    const d = new Uint32Array(out.buffer, out.byteOffset, quads);
    for (let q = 0, k = 0; q < quads; q++, k += 3) {
      const w0 = s[k], w1 = s[k + 1], w2 = s[k + 2];
      const g0 = ((w0 & 0xff) * CR + ((w0 >>> 8) & 0xff) * CG + ((w0 >>> 16) & 0xff) * CB + HALF) >>> 15;
      const g1 = ((w0 >>> 24) * CR + (w1 & 0xff) * CG + ((w1 >>> 8) & 0xff) * CB + HALF) >>> 15;
      const g2 = (((w1 >>> 16) & 0xff) * CR + (w1 >>> 24) * CG + (w2 & 0xff) * CB + HALF) >>> 15;
      const g3 = (((w2 >>> 8) & 0xff) * CR + ((w2 >>> 16) & 0xff) * CG + (w2 >>> 24) * CB + HALF) >>> 15;
      d[q] = (g0 | (g1 << 8) | (g2 << 16) | (g3 << 24)) >>> 0;
    }
    i = quads << 2;
  }
  for (let p = i * ch; i < n; i++, p += ch) out[i] = (src[p] * CR + src[p + 1] * CG + src[p + 2] * CB + HALF) >> 15;
  return out;
}
