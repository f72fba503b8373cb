// Colourises a rectangle of the label maps into a tile's RGBA pixels (as a Uint32Array view).
// Only dirty rects are recoloured; the whole image is never recoloured per stroke. Pure.
import type { Rect } from './viewport';
import { instanceRGB, packRGBA } from './palette';

export interface TileTarget {
  /** Packed RGBA pixels of the tile, row-major, `stride` pixels per row. */
  readonly pixels: Uint32Array;
  readonly stride: number;
  /** Image coordinates of the tile's top-left pixel. */
  readonly x0: number;
  readonly y0: number;
}

/** Writes lut[semantic] for every pixel of `r` (image coordinates, inside the tile). */
export function colorizeSemantic(semantic: Uint8Array, width: number, r: Rect, lut: Uint32Array, t: TileTarget): void {
  for (let y = r.y; y < r.y + r.h; y++) {
    let s = y * width + r.x;
    let d = (y - t.y0) * t.stride + (r.x - t.x0);
    for (let i = 0; i < r.w; i++) t.pixels[d++] = lut[semantic[s++]];
  }
}

/** Options of colorizeInstances. */
export interface InstanceStyle {
  /** Alpha of the faint tint inside an instance (0..255; default 56). */
  readonly tintAlpha?: number;
  /** Alpha of boundary pixels (default 255). */
  readonly outlineAlpha?: number;
  /** Instance drawn with a stronger tint (the selected one); 0 = none. */
  readonly highlightId?: number;
  readonly littleEndian?: boolean;
}

const colorCache = new Map<number, [number, number, number]>();
function rgbOf(id: number): [number, number, number] {
  let c = colorCache.get(id);
  if (!c) {
    c = instanceRGB(id);
    if (colorCache.size < 70000) colorCache.set(id, c);
  }
  return c;
}

/**
 * Instance layer: boundary pixels (a 4-neighbour inside the image has another id, or the pixel
 * is on the image edge) in the instance's colour, interior pixels in a faint tint, id 0 clear.
 */
export function colorizeInstances(instances: Uint16Array, width: number, height: number, r: Rect, t: TileTarget, style: InstanceStyle = {}): void {
  const tint = style.tintAlpha ?? 56, outline = style.outlineAlpha ?? 255, hi = style.highlightId ?? 0, le = style.littleEndian ?? true;
  let lastId = -1, lastTint = 0, lastLine = 0;
  for (let y = r.y; y < r.y + r.h; y++) {
    const row = y * width;
    let d = (y - t.y0) * t.stride + (r.x - t.x0);
    for (let x = r.x; x < r.x + r.w; x++, d++) {
      const id = instances[row + x];
      if (id === 0) { t.pixels[d] = 0; continue; }
      if (id !== lastId) {
        const [cr, cg, cb] = rgbOf(id);
        lastId = id;
        lastTint = packRGBA(cr, cg, cb, id === hi ? Math.min(255, tint * 3) : tint, le);
        lastLine = packRGBA(cr, cg, cb, outline, le);
      }
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1
        || instances[row + x - 1] !== id || instances[row + x + 1] !== id
        || instances[row - width + x] !== id || instances[row + width + x] !== id;
      t.pixels[d] = edge ? lastLine : lastTint;
    }
  }
}
