// Canvas 2D renderer in three stacked canvases, so that a frame redraws only what changed: the
// image (redrawn when the view, the size or the display filter changes), the label overlays (tiled
// layers: semantic colours, instance outlines + tint, tool previews, a comparison's changes;
// redrawn inside the screen rect of changed pixels when only pixels changed) and, on top, the tool
// layer (brush cursor, lasso, rectangles, seeds; small, redrawn each frame; it takes the pointer
// events). Each overlay layer keeps 1024^2 tiles of colourised RGBA, created lazily when first
// visible, and recoloured only inside dirty rects.
import { isEmpty, intersect, tileGrid, tileRect, tilesIn, expand, union, type Rect, type TileGrid } from './core/rect';
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
  /** Tool overlay drawn last in screen coordinates (brush cursor, lasso path); returns where it drew. */
  readonly overlay?: (ctx: CanvasRenderingContext2D) => OverlayBounds;
  /** CSS filter for the image layer only (the display window: brightness / contrast). */
  readonly imageFilter?: string;
}

/**
 * What of the label overlays a frame redraws: 'all', the image rect of changed label pixels, or
 * null (nothing; the image and the overlays are redrawn anyway when the view or an option changed).
 */
export type MaskDamage = 'all' | Rect | null;

/** Adds a changed image rect to the damage a frame will redraw. */
export function addDamage(d: MaskDamage, r: Rect | 'all'): MaskDamage {
  if (d === 'all' || r === 'all') return 'all';
  return d ? union(d, r) : r;
}

/**
 * Where a tool overlay drew, in CSS pixels of the canvas (line widths included): the next frame
 * clears only that on the tool layer, so a moving brush cursor damages a few hundred pixels, not
 * the whole view. 'all' when the overlay cannot say; null when it drew nothing.
 */
export type OverlayBounds = Rect | 'all' | null;

/** Adds a screen rect (x0, y0)-(x1, y1) to overlay bounds, with a margin for line widths. */
export function growBounds(b: OverlayBounds, x0: number, y0: number, x1: number, y1: number, margin = 3): OverlayBounds {
  if (b === 'all') return b;
  const r = { x: Math.floor(Math.min(x0, x1)) - margin, y: Math.floor(Math.min(y0, y1)) - margin, w: Math.ceil(Math.abs(x1 - x0)) + 2 * margin + 1, h: Math.ceil(Math.abs(y1 - y0)) + 2 * margin + 1 };
  return b ? union(b, r) : r;
}

/** Theme colours the canvases use, read from CSS once and again when the theme changes. */
export interface CanvasColors {
  readonly background: string;
  readonly outline: string;
}

/**
 * A canvas of the stack. The top one is the page's `canvas.mw-canvas` (the stylesheet's rules, the
 * tests' handle); the ones under it are placed the same way here and take no pointer events.
 */
function layerCanvas(host: HTMLElement, alpha: boolean, top: boolean): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  if (top) canvas.className = 'mw-canvas';
  else {
    canvas.className = 'mw-layer';
    canvas.setAttribute('aria-hidden', 'true');
    Object.assign(canvas.style, { position: 'absolute', inset: '0', width: '100%', height: '100%', display: 'block', pointerEvents: 'none' });
  }
  host.appendChild(canvas);
  const ctx = canvas.getContext('2d', { alpha });
  if (!ctx) throw new Error('no 2D canvas context');
  return { canvas, ctx };
}

export class Renderer {
  /** The top canvas (tool layer): pointer events, focus, the cursor style. */
  readonly canvas: HTMLCanvasElement;
  private readonly imageCtx: CanvasRenderingContext2D;
  private readonly maskCtx: CanvasRenderingContext2D;
  private readonly toolCtx: CanvasRenderingContext2D;
  private readonly layerCanvases: HTMLCanvasElement[];
  /** Downscaled copies of the image for zoomed-out views (display only), by level step. */
  private readonly pyramid = new Map<number, ImageBitmap | 'pending'>();
  private cssW = 1;
  private cssH = 1;
  /** What the image and the overlay canvases show now; a frame redraws a canvas when its key changed. */
  private imageKey = '';
  private maskKey = '';
  /** Device-pixel rect the tool layer holds drawings in ('all': unknown, null: none). */
  private toolDrawn: Rect | 'all' | null = 'all';
  private themeColors: CanvasColors | null = null;

  /** `signal` stops following theme changes when this renderer is replaced. */
  constructor(host: HTMLElement, readonly width: number, readonly height: number, private bitmap: ImageBitmap, signal?: AbortSignal) {
    const image = layerCanvas(host, false, false), masks = layerCanvas(host, true, false), tool = layerCanvas(host, true, true);
    this.imageCtx = image.ctx;
    this.maskCtx = masks.ctx;
    this.toolCtx = tool.ctx;
    this.layerCanvases = [image.canvas, masks.canvas, tool.canvas];
    this.canvas = tool.canvas;
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('aria-label', 'Image and masks');
    // VS Code restyles the page (body class, the root's CSS variables) when the theme changes.
    const mo = new MutationObserver(() => { this.themeColors = null; this.imageKey = ''; this.onInvalidated(); });
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    mo.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    signal?.addEventListener('abort', () => mo.disconnect());
  }

  /** The theme's colours for the canvases, read from CSS on first use after each theme change (not per frame). */
  get colors(): CanvasColors {
    if (!this.themeColors) {
      const st = getComputedStyle(this.canvas);
      this.themeColors = {
        background: st.getPropertyValue('--mw-canvas-bg').trim() || '#1e1e1e',
        outline: st.getPropertyValue('--mw-outline').trim() || '#ffffff',
      };
    }
    return this.themeColors;
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
        .then((b) => { this.pyramid.set(step, b); this.onInvalidated(); })
        .catch(() => this.pyramid.delete(step));
    }
    return { img: this.bitmap, step: 1 };
  }

  /** Called when what the canvases show went stale outside a draw (a downscaled image arrived, the theme changed): the owner redraws. */
  onInvalidated: () => void = () => undefined;

  /** Matches the backing stores to the element's CSS size and the device pixel ratio. */
  resize(): { w: number; h: number } {
    const r = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.cssW = Math.max(1, Math.round(r.width));
    this.cssH = Math.max(1, Math.round(r.height));
    const bw = Math.round(this.cssW * dpr), bh = Math.round(this.cssH * dpr);
    for (const c of this.layerCanvases) {
      if (c.width === bw && c.height === bh) continue;
      c.width = bw;
      c.height = bh;
      this.imageKey = this.maskKey = '';
      this.toolDrawn = 'all';
    }
    return { w: this.cssW, h: this.cssH };
  }

  get size(): { w: number; h: number } {
    return { w: this.cssW, h: this.cssH };
  }

  /**
   * Draws a frame: the image when the view, size or filter changed; the overlays when the view or
   * their options changed, else only inside `damage`; the tool layer always (where it drew before, and anew).
   */
  draw(v: View, layers: Layers, o: DrawOptions, damage: MaskDamage): void {
    const dpr = window.devicePixelRatio || 1;
    const vis = visibleRect(v, this.cssW, this.cssH, this.width, this.height);
    const step = levelStep(v.scale, this.width, this.height);
    const viewKey = `${v.scale} ${v.tx} ${v.ty} ${this.canvas.width}x${this.canvas.height} ${dpr}`;
    const { img, step: imgStep } = this.imageFor(step);
    const imageKey = `${viewKey} ${imgStep} ${o.imageFilter ?? ''} ${this.colors.background}`;
    if (imageKey !== this.imageKey) {
      this.imageKey = imageKey;
      this.drawImage(v, vis, img, imgStep, o.imageFilter, dpr);
    }
    const maskKey = `${viewKey} ${o.opacity} ${o.showSemantic} ${o.showInstances}`;
    if (maskKey !== this.maskKey) {
      this.maskKey = maskKey;
      damage = 'all';
    }
    if (damage) this.drawMasks(v, vis, step, layers, o, damage, dpr);
    const ctx = this.toolCtx, t = this.toolDrawn;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (t === 'all') ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    else if (t) ctx.clearRect(t.x, t.y, t.w, t.h);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const b = o.overlay ? o.overlay(ctx) : null;
    this.toolDrawn = b === 'all' || b === null ? b
      : { x: Math.floor(b.x * dpr) - 1, y: Math.floor(b.y * dpr) - 1, w: Math.ceil(b.w * dpr) + 2, h: Math.ceil(b.h * dpr) + 2 };
  }

  private drawImage(v: View, vis: Rect | null, img: ImageBitmap, step: number, filter: string | undefined, dpr: number): void {
    const ctx = this.imageCtx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this.colors.background;
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    if (!vis) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Crisp pixels once an image pixel is bigger than a screen pixel; smooth when zoomed out.
    ctx.imageSmoothingEnabled = v.scale < 1;
    ctx.imageSmoothingQuality = 'low';
    const s = toLevelRect(vis, step), lw = img.width, lh = img.height;
    const sw = Math.min(s.w, lw - s.x), sh = Math.min(s.h, lh - s.y);
    if (filter) ctx.filter = filter;
    ctx.drawImage(img, s.x, s.y, sw, sh, s.x * step * v.scale + v.tx, s.y * step * v.scale + v.ty, sw * step * v.scale, sh * step * v.scale);
    if (filter) ctx.filter = 'none';
  }

  /** Redraws the overlays everywhere ('all') or inside the screen rect of an image rect. */
  private drawMasks(v: View, vis: Rect | null, step: number, layers: Layers, o: DrawOptions, damage: 'all' | Rect, dpr: number): void {
    const ctx = this.maskCtx;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    let area = vis;
    if (damage === 'all') ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    else {
      // The level pixels holding the changed pixels, and one more around them (instance outlines).
      const { w: lw, h: lh } = levelSize(this.width, this.height, step);
      const lr = expand(toLevelRect(damage, step), 1, lw, lh);
      const k = step * v.scale;
      const x0 = Math.floor((lr.x * k + v.tx) * dpr) - 1, y0 = Math.floor((lr.y * k + v.ty) * dpr) - 1;
      const x1 = Math.ceil(((lr.x + lr.w) * k + v.tx) * dpr) + 1, y1 = Math.ceil(((lr.y + lr.h) * k + v.ty) * dpr) + 1;
      ctx.beginPath();
      ctx.rect(x0, y0, x1 - x0, y1 - y0);
      ctx.clip();
      ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
      area = vis ? intersect(vis, { x: lr.x * step, y: lr.y * step, w: lr.w * step, h: lr.h * step }) : null;
    }
    if (area && !isEmpty(area)) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      // Label overlays never blend between pixels: nearest neighbour at every zoom.
      ctx.imageSmoothingEnabled = false;
      if (o.showSemantic && o.opacity > 0) {
        ctx.globalAlpha = o.opacity;
        layers.semantic.draw(ctx, v, area);
      }
      ctx.globalAlpha = 1;
      if (o.showInstances) layers.instances.draw(ctx, v, area);
      if (layers.preview) layers.preview.draw(ctx, v, area);
      if (layers.compare) layers.compare.draw(ctx, v, area);
    }
    ctx.restore();
  }
}
