// Region fills by scanline: the 4-connected region of equal label (flood fill) and of similar
// colour (magic wand). Visited pixels are kept in a bitset (w*h/8 bytes). Pure.
import type { SpanVisitor } from './spans';

function checkSeed(width: number, height: number, sx: number, sy: number, n: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`size ${width}x${height} is not a positive integer size`);
  if (n < width * height) throw new RangeError(`data holds ${n} values, fewer than ${width}x${height}`);
  if (!Number.isInteger(sx) || !Number.isInteger(sy) || sx < 0 || sy < 0 || sx >= width || sy >= height) throw new RangeError(`seed ${sx},${sy} is outside the ${width}x${height} image`);
}

/** Generic 4-connected scanline fill over pixels for which `match(index)` is true. */
export function scanFill(width: number, height: number, sx: number, sy: number, match: (i: number) => boolean, visit: SpanVisitor): number {
  const seen = new Uint32Array(Math.ceil((width * height) / 32));
  const ok = (i: number): boolean => (seen[i >>> 5] & (1 << (i & 31))) === 0 && match(i);
  const mark = (i: number): void => { seen[i >>> 5] |= 1 << (i & 31); };
  const stack: number[] = [sx, sy];
  let count = 0;
  while (stack.length) {
    const y = stack.pop() as number, x = stack.pop() as number;
    const row = y * width;
    if (!ok(row + x)) continue;
    let l = x, r = x;
    while (l > 0 && ok(row + l - 1)) l--;
    while (r < width - 1 && ok(row + r + 1)) r++;
    for (let i = l; i <= r; i++) mark(row + i);
    visit(y, l, r + 1);
    count += r - l + 1;
    for (const ny of [y - 1, y + 1]) {
      if (ny < 0 || ny >= height) continue;
      const nrow = ny * width;
      let inRun = false;
      for (let i = l; i <= r; i++) {
        if (ok(nrow + i)) {
          if (!inRun) { stack.push(i, ny); inRun = true; }
        } else inRun = false;
      }
    }
  }
  return count;
}

/** The 4-connected region of pixels whose label equals the seed's. Returns the pixel count. */
export function floodLabel(labels: Uint8Array | Uint16Array, width: number, height: number, sx: number, sy: number, visit: SpanVisitor): number {
  checkSeed(width, height, sx, sy, labels.length);
  const v = labels[sy * width + sx];
  return scanFill(width, height, sx, sy, (i) => labels[i] === v, visit);
}

/**
 * Magic wand: the 4-connected region of pixels whose RGB differs from the seed's by at most
 * `tolerance` (0..255, max over channels). Returns the pixel count.
 */
export function wandRegion(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, sx: number, sy: number, tolerance: number, visit: SpanVisitor): number {
  checkSeed(width, height, sx, sy, rgba.length / 4);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 255) throw new RangeError(`tolerance ${tolerance} must be 0..255`);
  const s = (sy * width + sx) * 4, r = rgba[s], g = rgba[s + 1], b = rgba[s + 2];
  return scanFill(width, height, sx, sy, (i) => {
    const p = i * 4;
    return Math.abs(rgba[p] - r) <= tolerance && Math.abs(rgba[p + 1] - g) <= tolerance && Math.abs(rgba[p + 2] - b) <= tolerance;
  }, visit);
}
