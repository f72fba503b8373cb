// Canvas 2D renderer: the image, then tiled overlay layers (semantic colours, instance outlines +
// tint, tool previews) drawn only where visible. Each layer keeps 1024^2 tiles of colourised RGBA,
// created lazily when first visible, and recoloured only inside dirty rects.
import { isEmpty, intersect, tileGrid, tileRect, tilesIn, expand, type Rect, type TileGrid } from './core/rect';
import { visibleRect, type View } from './core/viewport';
import type { TileTarget } from './core/colorize';

export const TILE = 1024;

/** A layer's pixel source: colourise `r` (image coords, within one tile) into the tile's pixels. */
export interface LayerSource {
  /** Pixels beyond a changed pixel whose colour depends on it (1 for outlines). */
  readonly halo: number;
  colorize(r: Rect, t: TileTarget): void;
  /** True when the rect holds nothing to draw (the tile can stay unallocated). */
  isBlank(r: Rect): boolean;
}

interface Tile {
  readonly canvas: OffscreenCanvas;
  readonly ctx: OffscreenCanvasRenderingContext2D;
  readonly image: ImageData;
  readonly pixels: Uint32Array;
  readonly rect: Rect;
}

export class TileLayer {
  /** index -> tile; null = known blank; absent = not built yet. */
  private readonly tiles = new Map<number, Tile | null>();
  constructor(private readonly grid: TileGrid, private readonly width: number, private readonly height: number, public source: LayerSource) {}

  /** Recolours a dirty rect in the tiles already built (others are built when next visible). */
  invalidate(r: Rect): void {
    const d = expand(r, this.source.halo, this.width, this.height);
    for (const i of tilesIn(this.grid, d)) {
      const t = this.tiles.get(i);
      if (t === undefined) continue;
      if (t === null) { this.tiles.delete(i); continue; }
      const sub = intersect(d, t.rect);
      if (isEmpty(sub)) continue;
      this.source.colorize(sub, { pixels: t.pixels, stride: t.rect.w, x0: t.rect.x, y0: t.rect.y });
      t.ctx.putImageData(t.image, 0, 0, sub.x - t.rect.x, sub.y - t.rect.y, sub.w, sub.h);
    }
  }

  /** Drops every tile (palette change, whole maps replaced). */
  clear(): void {
    this.tiles.clear();
  }

  private build(i: number): Tile | null {
    const rect = tileRect(this.grid, i, this.width, this.height);
    if (this.source.isBlank(rect)) return null;
    const canvas = new OffscreenCanvas(rect.w, rect.h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context for an overlay tile');
    const image = ctx.createImageData(rect.w, rect.h);
    const pixels = new Uint32Array(image.data.buffer);
    this.source.colorize(rect, { pixels, stride: rect.w, x0: rect.x, y0: rect.y });
    ctx.putImageData(image, 0, 0);
    return { canvas, ctx, image, pixels, rect };
  }

  draw(ctx: CanvasRenderingContext2D, v: View, vis: Rect): void {
    for (const i of tilesIn(this.grid, vis)) {
      let t = this.tiles.get(i);
      if (t === undefined) {
        t = this.build(i);
        this.tiles.set(i, t);
      }
      if (t) ctx.drawImage(t.canvas, t.rect.x * v.scale + v.tx, t.rect.y * v.scale + v.ty, t.rect.w * v.scale, t.rect.h * v.scale);
    }
  }
}

export interface Layers {
  semantic: TileLayer;
  instances: TileLayer;
  preview: TileLayer | null;
}

export interface DrawOptions {
  readonly opacity: number;
  readonly showSemantic: boolean;
  readonly showInstances: boolean;
  /** Tool overlay drawn last in screen coordinates (brush cursor, lasso path). */
  readonly overlay?: (ctx: CanvasRenderingContext2D) => void;
}

export class Renderer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  readonly grid: TileGrid;
  private cssW = 1;
  private cssH = 1;

  constructor(host: HTMLElement, readonly width: number, readonly height: number, private bitmap: ImageBitmap) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'mw-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('aria-label', 'Image and masks');
    host.appendChild(this.canvas);
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    this.grid = tileGrid(width, height, TILE);
  }

  /** Matches the backing store to the element's CSS size and the device pixel ratio. */
  resize(): { w: number; h: number } {
    const r = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.cssW = Math.max(1, Math.round(r.width));
    this.cssH = Math.max(1, Math.round(r.height));
    const bw = Math.round(this.cssW * dpr), bh = Math.round(this.cssH * dpr);
    if (this.canvas.width !== bw || this.canvas.height !== bh) {
      this.canvas.width = bw;
      this.canvas.height = bh;
    }
    return { w: this.cssW, h: this.cssH };
  }

  get size(): { w: number; h: number } {
    return { w: this.cssW, h: this.cssH };
  }

  replaceBitmap(b: ImageBitmap): void {
    this.bitmap = b;
  }

  draw(v: View, layers: Layers, o: DrawOptions): void {
    const ctx = this.ctx, dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = getComputedStyle(this.canvas).getPropertyValue('--mw-canvas-bg').trim() || '#1e1e1e';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Crisp pixels once an image pixel is bigger than a screen pixel; smooth when zoomed out.
    ctx.imageSmoothingEnabled = v.scale < 1;
    ctx.imageSmoothingQuality = 'high';
    const vis = visibleRect(v, this.cssW, this.cssH, this.width, this.height);
    if (vis) {
      ctx.drawImage(this.bitmap, vis.x, vis.y, vis.w, vis.h, vis.x * v.scale + v.tx, vis.y * v.scale + v.ty, vis.w * v.scale, vis.h * v.scale);
      // Label overlays never blend between pixels: nearest neighbour at every zoom.
      ctx.imageSmoothingEnabled = false;
      if (o.showSemantic && o.opacity > 0) {
        ctx.globalAlpha = o.opacity;
        layers.semantic.draw(ctx, v, vis);
      }
      ctx.globalAlpha = 1;
      if (o.showInstances) layers.instances.draw(ctx, v, vis);
      if (layers.preview) layers.preview.draw(ctx, v, vis);
    }
    ctx.globalAlpha = 1;
    o.overlay?.(ctx);
  }
}
