// Integer rectangles and tiles: dirty-rect union, clipping, the tiles a rect touches. Pure.
import type { Rect } from './viewport';

export type { Rect };

/** An empty accumulator: union() with it returns the other rect. */
export const EMPTY: Rect = { x: 0, y: 0, w: 0, h: 0 };

export function isEmpty(r: Rect): boolean {
  return r.w <= 0 || r.h <= 0;
}

export function union(a: Rect, b: Rect): Rect {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

export function intersect(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x), y = Math.max(a.y, b.y);
  const w = Math.min(a.x + a.w, b.x + b.w) - x, h = Math.min(a.y + a.h, b.y + b.h) - y;
  return w > 0 && h > 0 ? { x, y, w, h } : EMPTY;
}

/** Grows a rect by `n` pixels on every side, clipped to a width x height image. */
export function expand(r: Rect, n: number, width: number, height: number): Rect {
  if (isEmpty(r)) return EMPTY;
  return intersect({ x: r.x - n, y: r.y - n, w: r.w + 2 * n, h: r.h + 2 * n }, { x: 0, y: 0, w: width, h: height });
}

export interface TileGrid {
  readonly tileSize: number;
  readonly cols: number;
  readonly rows: number;
}

export function tileGrid(width: number, height: number, tileSize: number): TileGrid {
  if (!Number.isInteger(tileSize) || tileSize < 16) throw new RangeError(`tileSize ${tileSize} must be an integer >= 16`);
  return { tileSize, cols: Math.ceil(width / tileSize), rows: Math.ceil(height / tileSize) };
}

/** Indices (row * cols + col) of the tiles a rect touches. */
export function tilesIn(g: TileGrid, r: Rect): number[] {
  if (isEmpty(r)) return [];
  const c0 = Math.max(0, Math.floor(r.x / g.tileSize)), c1 = Math.min(g.cols - 1, Math.floor((r.x + r.w - 1) / g.tileSize));
  const r0 = Math.max(0, Math.floor(r.y / g.tileSize)), r1 = Math.min(g.rows - 1, Math.floor((r.y + r.h - 1) / g.tileSize));
  const out: number[] = [];
  for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) out.push(row * g.cols + col);
  return out;
}

/** The image rect of tile `index`, clipped to the image. */
export function tileRect(g: TileGrid, index: number, width: number, height: number): Rect {
  const col = index % g.cols, row = Math.floor(index / g.cols);
  const x = col * g.tileSize, y = row * g.tileSize;
  return { x, y, w: Math.min(g.tileSize, width - x), h: Math.min(g.tileSize, height - y) };
}
