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
  // A per-value table makes the gray test one load; colour tests all three channels.
  const r = fillSpans(data, ch, w, h, sx, sy, lo, span, conn === 8 ? 1 : 0, value, mask);
  const { area, x0, y0, x1, y1 } = r;
  return { mask, area, bbox: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } };
}

let stackCache = new Int32Array(3 * 1024);

/**
 * Span fill: a stack of filled runs (row, left, right); each popped run scans the rows above and
 * below over [left - ext, right + ext] and fills every new run it meets. The mask doubles as the
 * visited set.
 */
function fillSpans(data: Uint8Array | Uint8ClampedArray, ch: number, w: number, h: number, sx: number, sy: number,
  lo: Int32Array, span: Int32Array, ext: number, value: number, mask: Uint8Array): { area: number; x0: number; y0: number; x1: number; y1: number } {
  const inTab = new Uint8Array(256);
  for (let v = lo[0]; v <= lo[0] + span[0]; v++) inTab[v] = 1;
  const lo1 = lo[1], sp1 = span[1], lo2 = lo[2], sp2 = span[2];
  const gray = ch === 1;
  let stack = stackCache, sp = 0;
  let area = 0, x0 = sx, x1 = sx, y0 = sy, y1 = sy;
  // seed run
  {
    const o = sy * w;
    let l = sx, r = sx;
    mask[o + sx] = value;
    if (gray) {
      while (l > 0 && mask[o + l - 1] === 0 && inTab[data[o + l - 1]]) mask[o + --l] = value;
      while (r < w - 1 && mask[o + r + 1] === 0 && inTab[data[o + r + 1]]) mask[o + ++r] = value;
    } else {
      for (;;) { const q = o + l - 1; if (l === 0 || mask[q] !== 0) break; const p = q * ch; if (!inTab[data[p]] || ((data[p + 1] - lo1) >>> 0) > sp1 || ((data[p + 2] - lo2) >>> 0) > sp2) break; mask[q] = value; l--; }
      for (;;) { const q = o + r + 1; if (r === w - 1 || mask[q] !== 0) break; const p = q * ch; if (!inTab[data[p]] || ((data[p + 1] - lo1) >>> 0) > sp1 || ((data[p + 2] - lo2) >>> 0) > sp2) break; mask[q] = value; r++; }
    }
    area += r - l + 1; x0 = l; x1 = r;
    stack[sp++] = sy; stack[sp++] = l; stack[sp++] = r;
  }
  while (sp > 0) {
    const r0 = stack[--sp], l0 = stack[--sp], row = stack[--sp];
    const a = l0 - ext < 0 ? 0 : l0 - ext, b = r0 + ext > w - 1 ? w - 1 : r0 + ext;
    for (let ny = row - 1; ny <= row + 1; ny += 2) {
      if (ny < 0 || ny >= h) continue;
      const o = ny * w;
      for (let x = a; x <= b; x++) {
        const q = o + x;
        if (mask[q] !== 0) continue;
        if (gray) {
          if (!inTab[data[q]]) continue;
        } else {
          const p = q * ch;
          if (!inTab[data[p]] || ((data[p + 1] - lo1) >>> 0) > sp1 || ((data[p + 2] - lo2) >>> 0) > sp2) continue;
        }
        // new run through x: extend both ways
        let l = x, r = x;
        mask[q] = value;
        if (gray) {
          while (l > 0 && mask[o + l - 1] === 0 && inTab[data[o + l - 1]]) mask[o + --l] = value;
          while (r < w - 1 && mask[o + r + 1] === 0 && inTab[data[o + r + 1]]) mask[o + ++r] = value;
        } else {
          for (;;) { const t = o + l - 1; if (l === 0 || mask[t] !== 0) break; const p = t * ch; if (!inTab[data[p]] || ((data[p + 1] - lo1) >>> 0) > sp1 || ((data[p + 2] - lo2) >>> 0) > sp2) break; mask[t] = value; l--; }
          for (;;) { const t = o + r + 1; if (r === w - 1 || mask[t] !== 0) break; const p = t * ch; if (!inTab[data[p]] || ((data[p + 1] - lo1) >>> 0) > sp1 || ((data[p + 2] - lo2) >>> 0) > sp2) break; mask[t] = value; r++; }
        }
        area += r - l + 1;
        if (l < x0) x0 = l;
        if (r > x1) x1 = r;
        if (ny < y0) y0 = ny;
        if (ny > y1) y1 = ny;
        if (sp + 3 > stack.length) { const t = new Int32Array(stack.length * 2); t.set(stack); stack = stackCache = t; }
        stack[sp++] = ny; stack[sp++] = l; stack[sp++] = r;
        x = r + 1;
      }
    }
  }
  return { area, x0, y0, x1, y1 };
}
