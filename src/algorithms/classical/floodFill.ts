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
  /** Reused mask (width*height); it is cleared first. */
  out?: Uint8Array;
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
  mask.fill(0);
  const sx = options.x, sy = options.y;
  // inRange(i): every channel within [lo_c, lo_c + span_c] (unsigned compare trick).
  const s = (sy * w + sx) * ch;
  const lo = [0, 0, 0], span = [0, 0, 0];
  const nc = ch === 1 ? 1 : 3;
  for (let c = 0; c < nc; c++) { lo[c] = Math.max(0, data[s + c] - tol); span[c] = Math.min(255, data[s + c] + tol) - lo[c]; }
  const lo0 = lo[0], sp0 = span[0], lo1 = lo[1], sp1 = span[1], lo2 = lo[2], sp2 = span[2];
  const ok = ch === 1
    ? (i: number): boolean => mask[i] === 0 && ((data[i] - lo0) >>> 0) <= sp0
    : (i: number): boolean => {
      if (mask[i] !== 0) return false;
      const p = i * ch;
      return ((data[p] - lo0) >>> 0) <= sp0 && ((data[p + 1] - lo1) >>> 0) <= sp1 && ((data[p + 2] - lo2) >>> 0) <= sp2;
    };
  const ext = conn === 8 ? 1 : 0;
  let stack = new Int32Array(3 * 256), sp = 0;
  let area = 0, x0 = sx, x1 = sx, y0 = sy, y1 = sy;
  // Fill the seed's run, then process runs: each scans the rows above and below for new runs.
  const fillRun = (row: number, xs: number): void => {
    const o = row * w;
    let l = xs, r = xs;
    mask[o + xs] = value;
    while (l > 0 && ok(o + l - 1)) mask[o + --l] = value;
    while (r < w - 1 && ok(o + r + 1)) mask[o + ++r] = value;
    area += r - l + 1;
    if (l < x0) x0 = l;
    if (r > x1) x1 = r;
    if (row < y0) y0 = row;
    if (row > y1) y1 = row;
    if (sp + 3 > stack.length) { const t = new Int32Array(stack.length * 2); t.set(stack); stack = t; }
    stack[sp++] = row; stack[sp++] = l; stack[sp++] = r;
  };
  fillRun(sy, sx);
  while (sp > 0) {
    const r = stack[--sp], l = stack[--sp], row = stack[--sp];
    const a = Math.max(0, l - ext), b = Math.min(w - 1, r + ext);
    for (let ny = row - 1; ny <= row + 1; ny += 2) {
      if (ny < 0 || ny >= h) continue;
      const o = ny * w;
      for (let x = a; x <= b; x++) if (ok(o + x)) fillRun(ny, x);
    }
  }
  return { mask, area, bbox: { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } };
}
