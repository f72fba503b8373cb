// Colourises a rectangle of the label maps into a tile's RGBA pixels (as a Uint32Array view).
// Only dirty rects are recoloured; the whole image is never recoloured per stroke. Pure.
import type { SemanticIds } from '../../src/shared/maskModel';
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

/**
 * Writes lut[semantic] (a LUT of 256 entries for 8-bit maps, 65536 for 16-bit) for every pixel of `r`, in the coordinates of display level `step` (1 = full
 * resolution; 2^k for zoomed-out views: display only, the data is never downsampled). At a level,
 * a pixel shows the first non-background class of its step x step block (background only when the
 * whole block is), so thin strokes stay visible when zoomed out. `r` lies inside the tile.
 */
export function colorizeSemantic(semantic: SemanticIds, width: number, r: Rect, lut: Uint32Array, t: TileTarget, step = 1, background = 0): void {
  if (step === 1) {
    for (let y = r.y; y < r.y + r.h; y++) {
      let s = y * width + r.x;
      let d = (y - t.y0) * t.stride + (r.x - t.x0);
      for (let i = 0; i < r.w; i++) t.pixels[d++] = lut[semantic[s++]];
    }
    return;
  }
  const height = Math.floor(semantic.length / width);
  for (let y = r.y; y < r.y + r.h; y++) {
    const sy0 = y * step, sy1 = Math.min(height, sy0 + step);
    let d = (y - t.y0) * t.stride + (r.x - t.x0);
    for (let x = r.x; x < r.x + r.w; x++, d++) {
      const sx0 = x * step, sx1 = Math.min(width, sx0 + step);
      let v = background;
      for (let sy = sy0; sy < sy1 && v === background; sy++) {
        const o = sy * width;
        for (let sx = o + sx0, e = o + sx1; sx < e; sx++) if (semantic[sx] !== background) { v = semantic[sx]; break; }
      }
      t.pixels[d] = lut[v];
    }
  }
}

/** Size of display level `step` of a width x height image. */
export function levelSize(width: number, height: number, step: number): { w: number; h: number } {
  return { w: Math.ceil(width / step), h: Math.ceil(height / step) };
}

/** The level-`step` rect covering image rect r (what to recolour when r changed). */
export function toLevelRect(r: Rect, step: number): Rect {
  const x0 = Math.floor(r.x / step), y0 = Math.floor(r.y / step);
  return { x: x0, y: y0, w: Math.ceil((r.x + r.w) / step) - x0, h: Math.ceil((r.y + r.h) / step) - y0 };
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
 * `r` and the neighbours are in display level `step` coordinates (see colorizeSemantic).
 */
export function colorizeInstances(instances: Uint16Array, width: number, height: number, r: Rect, t: TileTarget, style: InstanceStyle = {}, step = 1): void {
  const tint = style.tintAlpha ?? 56, outline = style.outlineAlpha ?? 255, hi = style.highlightId ?? 0, le = style.littleEndian ?? true;
  let lastId = -1, lastTint = 0, lastLine = 0;
  const { w: lw, h: lh } = levelSize(width, height, step);
  const up = step * width;
  for (let y = r.y; y < r.y + r.h; y++) {
    const row = y * step * width;
    let d = (y - t.y0) * t.stride + (r.x - t.x0);
    for (let x = r.x; x < r.x + r.w; x++, d++) {
      const s = row + x * step;
      const id = instances[s];
      if (id === 0) { t.pixels[d] = 0; continue; }
      if (id !== lastId) {
        const [cr, cg, cb] = rgbOf(id);
        lastId = id;
        lastTint = packRGBA(cr, cg, cb, id === hi ? Math.min(255, tint * 3) : tint, le);
        lastLine = packRGBA(cr, cg, cb, outline, le);
      }
      const edge = x === 0 || y === 0 || x === lw - 1 || y === lh - 1
        || instances[s - step] !== id || instances[s + step] !== id
        || instances[s - up] !== id || instances[s + up] !== id;
      t.pixels[d] = edge ? lastLine : lastTint;
    }
  }
}
