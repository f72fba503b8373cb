// Canvas 2D renderer: the image, then tiled overlay layers (semantic colours, instance outlines +
// tint, tool previews) drawn only where visible. Each layer keeps 1024^2 tiles of colourised RGBA,
// created lazily when first visible, and recoloured only inside dirty rects.
import { isEmpty, intersect, tileGrid, tileRect, tilesIn, expand, type Rect, type TileGrid } from './core/rect';
import { visibleRect, type View } from './core/viewport';
import { levelSize, toLevelRect, type TileTarget } from './core/colorize';

export const TILE = 1024;

/** A layer's pixel source, at display level `step` (1 = full resolution). */
export interface LayerSource {
  /** Pixels beyond a changed pixel whose colour depends on it (1 for outlines). */
  readonly halo: number;
  /** Colourise level rect `r` (within one tile) into the tile's pixels. */
  colorize(r: Rect, t: TileTarget, step: number): void;
  /** True when the level rect holds nothing to draw (the tile can stay unallocated). */
  isBlank(r: Rect, step: number): boolean;
}

interface Tile {
  readonly canvas: OffscreenCanvas;
  readonly ctx: OffscreenCanvasRenderingContext2D;
  readonly image: ImageData;
  readonly pixels: Uint32Array;
  /** In level coordinates. */
  readonly rect: Rect;
  /** Draw counter when last drawn (least recently drawn tiles are dropped first). */
  used: number;
}

/** Built tiles kept per level (1024^2 RGBA = 4 MiB each); older ones are rebuilt when seen again. */
export const MAX_TILES = 48;

interface Level {
  readonly step: number;
  readonly w: number;
  readonly h: number;
  readonly grid: TileGrid;
  /** index -> tile; null = known blank; absent = not built yet. */
  readonly tiles: Map<number, Tile | null>;
}

/** Display level for a zoom: full resolution from 1:2 up, then one level per halving (step 2^k). */
export function levelStep(scale: number, width: number, height: number): number {
  let step = 1;
  while (scale * step * 2 <= 0.75 && Math.max(width, height) / (step * 2) >= 256) step *= 2;
  return step;
}

export class TileLayer {
  private readonly levels = new Map<number, Level>();
  private clock = 0;
  constructor(private readonly width: number, private readonly height: number, public source: LayerSource) {}

  private level(step: number): Level {
    let l = this.levels.get(step);
    if (!l) {
      const { w, h } = levelSize(this.width, this.height, step);
      l = { step, w, h, grid: tileGrid(w, h, TILE), tiles: new Map() };
      this.levels.set(step, l);
    }
    return l;
  }

  /** Recolours an image rect in the tiles already built, at every level (others are built when next visible). */
  invalidate(r: Rect): void {
    for (const l of this.levels.values()) {
      const d = expand(toLevelRect(r, l.step), this.source.halo, l.w, l.h);
      for (const i of tilesIn(l.grid, d)) {
        const t = l.tiles.get(i);
        if (t === undefined) continue;
        if (t === null) { l.tiles.delete(i); continue; }
        const sub = intersect(d, t.rect);
        if (isEmpty(sub)) continue;
        this.source.colorize(sub, { pixels: t.pixels, stride: t.rect.w, x0: t.rect.x, y0: t.rect.y }, l.step);
        t.ctx.putImageData(t.image, 0, 0, sub.x - t.rect.x, sub.y - t.rect.y, sub.w, sub.h);
      }
    }
  }

  /** Drops every tile (palette change, whole maps replaced). */
  clear(): void {
    this.levels.clear();
  }

  private build(l: Level, i: number): Tile | null {
    const rect = tileRect(l.grid, i, l.w, l.h);
    if (this.source.isBlank(rect, l.step)) return null;
    const canvas = new OffscreenCanvas(rect.w, rect.h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context for an overlay tile');
    const image = ctx.createImageData(rect.w, rect.h);
    const pixels = new Uint32Array(image.data.buffer);
    this.source.colorize(rect, { pixels, stride: rect.w, x0: rect.x, y0: rect.y }, l.step);
    ctx.putImageData(image, 0, 0);
    return { canvas, ctx, image, pixels, rect, used: this.clock };
  }

  /** Drops the least recently drawn tiles of a level beyond MAX_TILES. */
  private evict(l: Level): void {
    let built = 0;
    for (const t of l.tiles.values()) if (t) built++;
    if (built <= MAX_TILES) return;
    const order = [...l.tiles.entries()].filter((e): e is [number, Tile] => e[1] !== null).sort((a, b) => a[1].used - b[1].used);
    for (let i = 0; i < built - MAX_TILES; i++) l.tiles.delete(order[i][0]);
  }

  draw(ctx: CanvasRenderingContext2D, v: View, vis: Rect): void {
    const l = this.level(levelStep(v.scale, this.width, this.height));
    const k = l.step * v.scale;
    const clock = ++this.clock;
    let built = false;
    for (const i of tilesIn(l.grid, toLevelRect(vis, l.step))) {
      let t = l.tiles.get(i);
      if (t === undefined) {
        t = this.build(l, i);
        l.tiles.set(i, t);
        built = true;
      }
      if (t) {
        t.used = clock;
        ctx.drawImage(t.canvas, t.rect.x * k + v.tx, t.rect.y * k + v.ty, t.rect.w * k, t.rect.h * k);
      }
    }
    if (built) this.evict(l);
  }
}

export interface Layers {
  semantic: TileLayer;
  instances: TileLayer;
  preview: TileLayer | null;
  /** A comparison's change layer (compareLayer.ts), drawn over the others. */
  compare?: TileLayer | null;
}

export interface DrawOptions {
  readonly opacity: number;
  readonly showSemantic: boolean;
  readonly showInstances: boolean;
  /** Tool overlay drawn last in screen coordinates (brush cursor, lasso path). */
  readonly overlay?: (ctx: CanvasRenderingContext2D) => void;
  /** CSS filter for the image layer only (the display window: brightness / contrast). */
  readonly imageFilter?: string;
}

export class Renderer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  /** Downscaled copies of the image for zoomed-out views (display only), by level step. */
  private readonly pyramid = new Map<number, ImageBitmap | 'pending'>();
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
  }

  /** The image to draw at a level: its downscaled copy once built (async), else the original. */
  private imageFor(step: number): { img: ImageBitmap; step: number } {
    if (step === 1) return { img: this.bitmap, step: 1 };
    const p = this.pyramid.get(step);
    if (p && p !== 'pending') return { img: p, step };
    if (!p) {
      this.pyramid.set(step, 'pending');
      const { w, h } = levelSize(this.width, this.height, step);
      createImageBitmap(this.bitmap, { resizeWidth: w, resizeHeight: h, resizeQuality: 'medium' })
        .then((b) => { this.pyramid.set(step, b); this.onPyramid(); })
        .catch(() => this.pyramid.delete(step));
    }
    return { img: this.bitmap, step: 1 };
  }

  /** Called when a downscaled image copy becomes available (the owner redraws). */
  onPyramid: () => void = () => undefined;

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


  draw(v: View, layers: Layers, o: DrawOptions): void {
    const ctx = this.ctx, dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.fillStyle = getComputedStyle(this.canvas).getPropertyValue('--mw-canvas-bg').trim() || '#1e1e1e';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Crisp pixels once an image pixel is bigger than a screen pixel; smooth when zoomed out.
    ctx.imageSmoothingEnabled = v.scale < 1;
    ctx.imageSmoothingQuality = 'low';
    const vis = visibleRect(v, this.cssW, this.cssH, this.width, this.height);
    if (vis) {
      const { img, step } = this.imageFor(levelStep(v.scale, this.width, this.height));
      const s = toLevelRect(vis, step), lw = img.width, lh = img.height;
      const sw = Math.min(s.w, lw - s.x), sh = Math.min(s.h, lh - s.y);
      if (o.imageFilter) ctx.filter = o.imageFilter;
      ctx.drawImage(img, s.x, s.y, sw, sh, s.x * step * v.scale + v.tx, s.y * step * v.scale + v.ty, sw * step * v.scale, sh * step * v.scale);
      if (o.imageFilter) ctx.filter = 'none';
      // Label overlays never blend between pixels: nearest neighbour at every zoom.
      ctx.imageSmoothingEnabled = false;
      if (o.showSemantic && o.opacity > 0) {
        ctx.globalAlpha = o.opacity;
        layers.semantic.draw(ctx, v, vis);
      }
      ctx.globalAlpha = 1;
      if (o.showInstances) layers.instances.draw(ctx, v, vis);
      if (layers.preview) layers.preview.draw(ctx, v, vis);
      if (layers.compare) layers.compare.draw(ctx, v, vis);
    }
    ctx.globalAlpha = 1;
    o.overlay?.(ctx);
  }
}
