// Flood fill / magic wand: the connected region around a seed whose pixels are within a fixed
// tolerance of the seed's value in every channel (OpenCV floodFill with FLOODFILL_FIXED_RANGE,
// loDiff = upDiff = tolerance). Span-based: each row segment is scanned once per neighbour row.
import { checkConnectivity, checkImage, checkPoint, intOption, outBuffer, type Connectivity, type ImageU8 } from './image';

export interface FloodFillOptions {
  /** Seed column and row (integers inside the image). Required. */
  x: number;
  y: number;
  /** Largest per-channel difference from the seed's value that joins the region, 0..255. Default 0. */
  tolerance?: number;
  /** 4 or 8. Default 4. */
  connectivity?: Connectivity;
  /** Value written into the mask for region pixels. Default 255. */
  value?: number;
  /** Reused mask (width*height); it is cleared first unless `clear` is false. */
  out?: Uint8Array;
  /** Clear `out` before filling. Default true; pass false when it is known to be all zero (a
   * caller reusing one mask can zero just the previous result's bbox rows instead). */
  clear?: boolean;
}

export interface Bbox { x: number; y: number; width: number; height: number }

export interface FloodFillResult {
  /** value inside the region, 0 elsewhere. */
  mask: Uint8Array;
  area: number;
  bbox: Bbox;
}

/** Magic wand on a gray, RGB or RGBA image (alpha ignored). */
export function floodFill(image: ImageU8, options: FloodFillOptions): FloodFillResult {
  const ch = checkImage(image);
  const { width: w, height: h, data } = image;
  if (!options || typeof options !== 'object') throw new TypeError('options: expected { x, y }');
  checkPoint(options.x, options.y, w, h, 'seed');
  const tol = intOption(options.tolerance, 0, 0, 255, 'tolerance');
  const conn = checkConnectivity(options.connectivity, 4);
  const value = intOption(options.value, 255, 1, 255, 'value');
  const mask = outBuffer(options.out, Uint8Array, w * h);
  if (options.clear !== false || options.out === undefined) mask.fill(0);
  const sx = options.x, sy = options.y;
  const s = (sy * w + sx) * ch, nc = ch === 1 ? 1 : 3;
  const lo = new Int32Array(3), span = new Int32Array(3);
  for (let c = 0; c < nc; c++) { lo[c] = Math.max(0, data[s + c] - tol); span[c] = Math.min(255, data[s + c] + tol) - lo[c]; }
  const r = fillSpans(data, ch, w, h, sx, sy, lo, span, conn === 8 ? 1 : 0, value, mask);
  const { area, x0, y0, x1, y1 } = r;
  return { mask, area, bbox: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } };
}

let stackCache = new Int32Array(6 * 1024);

type Bytes = Uint8Array | Uint8ClampedArray;

/** Whether pixel q is within the range: (v - lo) >>> 0 <= span for each channel. */
function inRange(data: Bytes, ch: number, q: number, lo0: number, sp0: number, lo1: number, sp1: number, lo2: number, sp2: number): boolean {
  if (ch === 1) return ((data[q] - lo0) >>> 0) <= sp0;
  const p = q * ch;
  return ((data[p] - lo0) >>> 0) <= sp0 && ((data[p + 1] - lo1) >>> 0) <= sp1 && ((data[p + 2] - lo2) >>> 0) <= sp2;
}

/** The constants of wordInRange for the range [lo, lo + span]. */
interface WordRange { loLow: number; loNot: number; add: number; high: boolean }

function wordRange(lo: number, span: number): WordRange {
  const lo4 = lo * 0x01010101;
  return { loLow: lo4 & 0x7f7f7f7f, loNot: ~lo4, add: (127 - (span >= 128 ? span - 128 : span)) * 0x01010101, high: span >= 128 };
}

/**
 * Whether all four bytes v of a word have (v - lo) mod 256 <= span, without carries between
 * bytes: d = the bytes' differences v - lo (subtracted with each byte's top bit set, then that bit
 * corrected), then the low seven bits of d plus 127 - span' carry into bit 7 exactly when they
 * exceed span' (span' = span, or span - 128 for spans of 128 and more, where d's own bit 7 must
 * also be set to exceed).
 */
function wordInRange(x: number, r: WordRange): boolean {
  const d = ((x | 0x80808080) - r.loLow) ^ ((x ^ r.loNot) & 0x80808080);
  const t = (d & 0x7f7f7f7f) + r.add;
  return ((r.high ? t & d : t | d) & 0x80808080) === 0;
}

/** Right end of the in-range run through q, up to e. With `words` (a gray image's aligned 32-bit
 * words) four in-range bytes are skipped at once. */
function runRight(data: Bytes, ch: number, q: number, e: number, words: Uint32Array | null, wr: WordRange,
  lo0: number, sp0: number, lo1: number, sp1: number, lo2: number, sp2: number): number {
  if (words !== null) {
    while (q < e && (q & 3) !== 3) { if (((data[q + 1] - lo0) >>> 0) > sp0) return q; q++; }
    while (q + 4 <= e && wordInRange(words[(q + 1) >> 2], wr)) q += 4;
  }
  while (q < e && inRange(data, ch, q + 1, lo0, sp0, lo1, sp1, lo2, sp2)) q++;
  return q;
}

/** Left end of the in-range run through q, down to s (as runRight). */
function runLeft(data: Bytes, ch: number, q: number, s: number, words: Uint32Array | null, wr: WordRange,
  lo0: number, sp0: number, lo1: number, sp1: number, lo2: number, sp2: number): number {
  if (words !== null) {
    while (q > s && (q & 3) !== 0) { if (((data[q - 1] - lo0) >>> 0) > sp0) return q; q--; }
    while (q - 4 >= s && wordInRange(words[(q - 4) >> 2], wr)) q -= 4;
  }
  while (q > s && inRange(data, ch, q - 1, lo0, sp0, lo1, sp1, lo2, sp2)) q--;
  return q;
}

/**
 * Span fill. Every filled run is a maximal run of in-range pixels, so the filled part of a row is
 * a union of such runs: an unfilled in-range pixel's run holds no filled pixel, and extending it
 * needs no mask test. A stack holds filled runs (row, left, right, dir, parent left, parent right),
 * each found from row `row - dir`, where its parent run lies. A popped run scans the row ahead
 * over [left - ext, right + ext] and the parent row only outside the parent run (already filled).
 * The mask doubles as the visited set (it must be zero where unvisited).
 */
function fillSpans(data: Bytes, ch: number, w: number, h: number, sx: number, sy: number,
  lo: Int32Array, span: Int32Array, ext: number, value: number, mask: Uint8Array): { area: number; x0: number; y0: number; x1: number; y1: number } {
  const lo0 = lo[0], sp0 = span[0], lo1 = lo[1], sp1 = span[1], lo2 = lo[2], sp2 = span[2];
  const words = ch === 1 && (data.byteOffset & 3) === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2) : null;
  const wr = wordRange(lo0, sp0);
  // Filled stretches met while scanning are skipped four mask bytes at a time.
  const mw = (mask.byteOffset & 3) === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
  const vrep = (value * 0x01010101) >>> 0;
  let stack = stackCache, sp = 0;
  let area = 0, x0 = sx, x1 = sx, y0 = sy, y1 = sy;
  {
    const o = sy * w;
    const l = runLeft(data, ch, o + sx, o, words, wr, lo0, sp0, lo1, sp1, lo2, sp2) - o;
    const r = runRight(data, ch, o + sx, o + w - 1, words, wr, lo0, sp0, lo1, sp1, lo2, sp2) - o;
    mask.fill(value, o + l, o + r + 1);
    area += r - l + 1; x0 = l; x1 = r;
    // both neighbour rows in full: as if its parent were an empty run past the right end
    stack[sp++] = sy; stack[sp++] = l; stack[sp++] = r; stack[sp++] = 1; stack[sp++] = w + 1; stack[sp++] = w;
  }
  while (sp > 0) {
    const pr = stack[--sp], pl = stack[--sp], dir = stack[--sp], r0 = stack[--sp], l0 = stack[--sp], row = stack[--sp];
    const a = l0 - ext < 0 ? 0 : l0 - ext, b = r0 + ext > w - 1 ? w - 1 : r0 + ext;
    for (let k = 0; k < 3; k++) {
      // k = 0: the row ahead over [a, b]; 1, 2: the parent row left and right of the parent run
      const ny = k === 0 ? row + dir : row - dir;
      if (ny < 0 || ny >= h) continue;
      const xa = k === 2 && pr + 1 > a ? pr + 1 : a, xb = k === 1 && pl - 1 < b ? pl - 1 : b;
      const nd = k === 0 ? dir : -dir, o = ny * w, e = o + w - 1;
      for (let x = xa; x <= xb; x++) {
        const q = o + x;
        if (mask[q] !== 0) {
          if (mw !== null) {
            let p = q + 1;
            const end = o + xb;
            while (p <= end && (p & 3) !== 0 && mask[p] !== 0) p++;
            if ((p & 3) === 0) while (p + 3 <= end && mw[p >> 2] === vrep) p += 4;
            x = p - o - 1;
          }
          continue;
        }
        if (!inRange(data, ch, q, lo0, sp0, lo1, sp1, lo2, sp2)) continue;
        const l = runLeft(data, ch, q, o, words, wr, lo0, sp0, lo1, sp1, lo2, sp2) - o;
        const r = runRight(data, ch, q, e, words, wr, lo0, sp0, lo1, sp1, lo2, sp2) - o;
        if (r - l < 16) for (let i = o + l; i <= o + r; i++) mask[i] = value;
        else mask.fill(value, o + l, o + r + 1);
        area += r - l + 1;
        if (l < x0) x0 = l;
        if (r > x1) x1 = r;
        if (ny < y0) y0 = ny;
        if (ny > y1) y1 = ny;
        if (sp + 6 > stack.length) { const t = new Int32Array(stack.length * 2); t.set(stack); stack = stackCache = t; }
        stack[sp++] = ny; stack[sp++] = l; stack[sp++] = r; stack[sp++] = nd; stack[sp++] = l0; stack[sp++] = r0;
        x = r + 1;
      }
    }
  }
  return { area, x0, y0, x1, y1 };
}
