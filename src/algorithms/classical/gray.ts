// RGB(A) -> gray, bit-exact with OpenCV's cvtColor(RGB2GRAY) fixed point:
// gray = (9798 R + 19235 G + 3735 B + 16384) >> 15.
import { checkImage, outBuffer, type ImageU8 } from './image';
import { wasmKernels } from './wasm';

export interface GrayOptions {
  /** Reused output buffer of width*height bytes. Default: a new Uint8Array. */
  out?: Uint8Array;
}

const CR = 9798, CG = 19235, CB = 3735, HALF = 1 << 14;

let tables: [Int32Array, Int32Array] | null = null;

/** rg[r | g << 8] = r CR + g CG + HALF and gb[g | b << 8] = g CG + b CB + HALF (256 KiB each, once). */
function pairTables(): [Int32Array, Int32Array] {
  if (tables) return tables;
  const rg = new Int32Array(65536), gb = new Int32Array(65536);
  for (let hi = 0; hi < 256; hi++) {
    for (let lo = 0; lo < 256; lo++) {
      rg[lo | (hi << 8)] = lo * CR + hi * CG + HALF;
      gb[lo | (hi << 8)] = lo * CG + hi * CB + HALF;
    }
  }
  return (tables = [rg, gb]);
}

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
  if (wasmKernels()?.gray(src, ch === 3 ? 3 : 4, out)) return out;
  let i = 0;
  if (ch === 3 && (src.byteOffset & 3) === 0 && (out.byteOffset & 3) === 0) {
    // Four pixels per step: three 32-bit loads (12 bytes), one 32-bit store (little endian). Two
    // of each pixel's three products come from one table lookup on a 16-bit half word.
    const [rg, gb] = pairTables();
    const quads = n >> 2;
    const s = new Uint32Array(src.buffer, src.byteOffset, quads * 3);
    const d = new Uint32Array(out.buffer, out.byteOffset, quads);
    for (let q = 0, k = 0; q < quads; q++, k += 3) {
      const w0 = s[k], w1 = s[k + 1], w2 = s[k + 2];
      const g0 = (rg[w0 & 0xffff] + ((w0 >>> 16) & 0xff) * CB) >>> 15;
      const g1 = ((w0 >>> 24) * CR + gb[w1 & 0xffff]) >>> 15;
      const g2 = (rg[w1 >>> 16] + (w2 & 0xff) * CB) >>> 15;
      const g3 = (((w2 >>> 8) & 0xff) * CR + gb[w2 >>> 16]) >>> 15;
      d[q] = (g0 | (g1 << 8) | (g2 << 16) | (g3 << 24)) >>> 0;
    }
    i = quads << 2;
  }
  for (let p = i * ch; i < n; i++, p += ch) out[i] = (src[p] * CR + src[p + 1] * CG + src[p + 2] * CB + HALF) >> 15;
  return out;
}
