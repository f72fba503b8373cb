// Pointer tools on the canvas: brush, eraser, lasso/polygon, flood fill, pick, select, and the
// preview tools (wand, threshold, edge fill, watershed: previewTools.ts; segment anything: samTool.ts); pan (space+drag, middle
// button) and wheel zoom about the cursor. Pointer handlers only record positions (every
// coalesced one); painting and drawing happen once per frame (Editor.beforeFrame).
import type { MetaChange } from '../src/shared/maskModel';
import { brushCentre, rasterSegment } from './core/brush';
import { floodLabel } from './core/flood';
import { spanPainter, clearInstance, type PaintOp } from './core/paint';
import { fillPolygon } from './core/polygon';
import { EditRecorder } from './core/recorder';
import { pan, toImage, toScreen, zoomAt } from './core/viewport';
import type { SpanVisitor } from './core/spans';
import type { Editor } from './editor';
import type { PixelWorker } from './workerClient';
import { post } from './host';
import { PreviewTools } from './previewTools';
import { BrushCursor } from './brushCursor';
import { growBounds, type OverlayBounds } from './render';

export interface Hover {
  x: number;
  y: number;
  inside: boolean;
}

interface Stroke {
  rec: EditRecorder;
  paint: SpanVisitor;
  last: { x: number; y: number };
  label: string;
  meta?: MetaChange[];
  /** Script time of each frame's painting (rasterise + recolour), for the 'strokeFrame' perf marks. */
  frames: number[];
  pointerId: number;
  /** Image positions (x, y pairs) received since the last frame, painted as connected segments then. */
  queued: number[];
}

/** Distance in screen pixels within which a click closes an open polygon on its first point. */
const CLOSE_PX = 8;

export class Tools {
  hover: Hover = { x: -1, y: -1, inside: false };
  private screen = { x: -100, y: -100 };
  private spaceDown = false;
  private panning: { x: number; y: number; id: number } | null = null;
  private stroke: Stroke | null = null;
  /** Open polygon / lasso (image coordinates, flat x,y). */
  lasso: number[] = [];
  private lassoDrag: { id: number; moved: boolean } | null = null;
  private rectDrag: { x0: number; y0: number; x1: number; y1: number; id: number } | null = null;
  /** Segment anything: a press that becomes a point (click) or a box (drag of 4+ screen pixels). */
  private samDrag: { x0: number; y0: number; x1: number; y1: number; sx: number; sy: number; id: number; negative: boolean; moved: boolean } | null = null;
  readonly preview: PreviewTools;
  private readonly brushCursor: BrushCursor;
  /** Told when the pointer moved over the canvas (`dragging`: a button is down) or left it. */
  onHover: (dragging: boolean) => void = () => undefined;

  /** `signal` removes the window listeners when this editor is replaced (a new init). */
  constructor(private readonly ed: Editor, private readonly canvas: HTMLCanvasElement, worker: PixelWorker, signal?: AbortSignal) {
    this.preview = new PreviewTools(ed, worker);
    this.brushCursor = new BrushCursor(canvas.parentElement ?? document.body);
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    canvas.addEventListener('pointerleave', () => { this.hover = { ...this.hover, inside: false }; this.screen = { x: -100, y: -100 }; this.ed.requestFrame(); this.onHover(false); });
    canvas.addEventListener('dblclick', () => { if (this.ed.ui.tool === 'lasso') this.closeLasso(); });
    canvas.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    window.addEventListener('keydown', (e) => { if (e.code === 'Space' && !isTyping(e)) { this.spaceDown = true; this.cursor(); if (e.target === canvas) e.preventDefault(); } }, { signal });
    window.addEventListener('keyup', (e) => { if (e.code === 'Space') { this.spaceDown = false; this.cursor(); } }, { signal });
    window.addEventListener('blur', () => { this.spaceDown = false; this.cursor(); }, { signal });
    ed.overlay = (ctx) => this.drawOverlay(ctx);
    ed.beforeFrame = () => this.paintQueued();
  }

  /** `r`: the canvas's client rect when the caller already has it (one per event, not per coalesced position). */
  private img(e: { clientX: number; clientY: number }, r: DOMRect = this.canvas.getBoundingClientRect()): { x: number; y: number; sx: number; sy: number } {
    const sx = e.clientX - r.left, sy = e.clientY - r.top;
    const p = toImage(this.ed.view, sx, sy);
    return { x: p.x, y: p.y, sx, sy };
  }

  private pixelAt(x: number, y: number): number {
    const { width: W, height: H } = this.ed.maps;
    const px = Math.floor(x), py = Math.floor(y);
    return px >= 0 && py >= 0 && px < W && py < H ? py * W + px : -1;
  }

  cursor(): void {
    const t = this.ed.ui.tool;
    this.canvas.dataset.cursor = this.panning ? 'grabbing' : this.spaceDown ? 'grab' : t === 'pick' ? 'pick' : t === 'select' ? 'select' : 'paint';
  }

  /** Told after every tool change (e.g. to say at once that a tool cannot work here). */
  onToolChanged: (tool: string) => void = () => undefined;

  toolChanged(): void {
    this.cancel();
    if (this.ed.ui.tool === 'threshold') void this.preview.threshold();
    this.cursor();
    this.onToolChanged(this.ed.ui.tool);
  }

  /** Esc: drops the open polygon, a preview, a rectangle in progress. */
  cancel(): void {
    this.lasso = [];
    this.lassoDrag = null;
    this.rectDrag = null;
    this.samDrag = null;
    this.preview.cancel();
    this.ed.requestDraw();
    this.ed.onChange();
  }

  // ---- pointer ----------------------------------------------------------------------------

  private down(e: PointerEvent): void {
    this.canvas.focus();
    const p = this.img(e);
    if (e.button === 1 || (e.button === 0 && this.spaceDown)) {
      e.preventDefault();
      this.panning = { x: e.clientX, y: e.clientY, id: e.pointerId };
      this.canvas.setPointerCapture(e.pointerId);
      this.cursor();
      return;
    }
    if (e.button !== 0) return;
    const i = this.pixelAt(p.x, p.y);
    const tool = this.ed.ui.tool;
    if (tool === 'sam' && !this.ed.readonly) {
      // Alt+click is a background point here, not the pick shortcut.
      this.samDrag = { x0: p.x, y0: p.y, x1: p.x, y1: p.y, sx: p.sx, sy: p.sy, id: e.pointerId, negative: e.shiftKey || e.altKey, moved: false };
      this.canvas.setPointerCapture(e.pointerId);
      return;
    }
    if (e.altKey || tool === 'pick') { if (i >= 0) this.pick(i); return; }
    if (tool === 'select') { if (i >= 0) this.ed.selectInstance(this.ed.maps.instances[i]); return; }
    if (this.ed.readonly) { this.ed.onError('This image is opened read-only: edits are not possible.'); return; }
    switch (tool) {
      case 'brush':
      case 'eraser':
        this.beginStroke(p.x, p.y, e.pointerId);
        this.canvas.setPointerCapture(e.pointerId);
        return;
      case 'lasso':
        this.lassoDown(p.x, p.y, p.sx, p.sy, e.pointerId);
        this.canvas.setPointerCapture(e.pointerId);
        return;
      case 'fill':
        if (i >= 0) void this.fill(i);
        return;
      case 'wand':
      case 'edgefill':
      case 'kmeans':
        if (i >= 0) {
          const W = this.ed.maps.width, x = i % W, y = Math.floor(i / W);
          if (this.preview.from === tool && this.ed.preview?.[i]) void this.preview.commit();
          else if (tool === 'wand') void this.preview.wand(x, y);
          else if (tool === 'edgefill') void this.preview.edgeFill(x, y);
          else void this.preview.cluster(x, y);
        }
        return;
      case 'watershed':
        if (i >= 0) void this.preview.watershedSeed(i % this.ed.maps.width, Math.floor(i / this.ed.maps.width), e.shiftKey);
        return;
      case 'threshold':
        this.rectDrag = { x0: p.x, y0: p.y, x1: p.x, y1: p.y, id: e.pointerId };
        this.canvas.setPointerCapture(e.pointerId);
        return;
      default:
        return;
    }
  }

  private move(e: PointerEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const p = this.img(e, rect);
    this.screen = { x: p.sx, y: p.sy };
    const { width: W, height: H } = this.ed.maps;
    this.hover = { x: Math.floor(p.x), y: Math.floor(p.y), inside: p.x >= 0 && p.y >= 0 && p.x < W && p.y < H };
    this.onHover(e.buttons !== 0);
    if (this.panning && e.pointerId === this.panning.id) {
      this.ed.setView(pan(this.ed.view, e.clientX - this.panning.x, e.clientY - this.panning.y));
      this.panning.x = e.clientX;
      this.panning.y = e.clientY;
      return;
    }
    if (this.stroke && e.pointerId === this.stroke.pointerId) {
      // Every position the browser merged into this event, in order: a fast circle stays a circle.
      const evs = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      for (const ce of evs.length ? evs : [e]) {
        const q = this.img(ce, rect);
        this.stroke.queued.push(q.x, q.y);
      }
      this.ed.requestFrame();
      return;
    }
    if (this.lassoDrag && e.pointerId === this.lassoDrag.id) {
      const n = this.lasso.length;
      const last = toScreen(this.ed.view, this.lasso[n - 2], this.lasso[n - 1]);
      if (Math.hypot(p.sx - last.x, p.sy - last.y) >= 3) {
        this.lasso.push(p.x, p.y);
        this.lassoDrag.moved = true;
      }
    }
    if (this.rectDrag && e.pointerId === this.rectDrag.id) {
      this.rectDrag.x1 = p.x;
      this.rectDrag.y1 = p.y;
    }
    if (this.samDrag && e.pointerId === this.samDrag.id) {
      this.samDrag.x1 = p.x;
      this.samDrag.y1 = p.y;
      if (Math.hypot(p.sx - this.samDrag.sx, p.sy - this.samDrag.sy) >= 4) this.samDrag.moved = true;
    }
    this.ed.requestFrame();
  }

  private up(e: PointerEvent): void {
    if (this.panning && e.pointerId === this.panning.id) {
      this.panning = null;
      this.cursor();
      return;
    }
    if (this.stroke && e.pointerId === this.stroke.pointerId) {
      const q = this.img(e);
      this.stroke.queued.push(q.x, q.y);
      void this.endStroke();
      return;
    }
    if (this.lassoDrag && e.pointerId === this.lassoDrag.id) {
      const dragged = this.lassoDrag.moved;
      this.lassoDrag = null;
      if (dragged && this.lasso.length >= 6) this.closeLasso();
      return;
    }
    if (this.samDrag && e.pointerId === this.samDrag.id) {
      const d = this.samDrag;
      this.samDrag = null;
      if (d.moved) { void this.preview.sam.setBox(d.x0, d.y0, d.x1, d.y1); return; }
      const i = this.pixelAt(d.x0, d.y0);
      if (i < 0) return;
      if (!d.negative && this.preview.from === 'sam' && this.ed.preview?.[i]) void this.preview.commit();
      else void this.preview.sam.addPoint(Math.floor(d.x0), Math.floor(d.y0), d.negative);
      return;
    }
    if (this.rectDrag && e.pointerId === this.rectDrag.id) {
      const r = this.rectDrag;
      this.rectDrag = null;
      const { width: W, height: H } = this.ed.maps;
      const x0 = Math.max(0, Math.floor(Math.min(r.x0, r.x1))), y0 = Math.max(0, Math.floor(Math.min(r.y0, r.y1)));
      const x1 = Math.min(W, Math.ceil(Math.max(r.x0, r.x1))), y1 = Math.min(H, Math.ceil(Math.max(r.y0, r.y1)));
      const big = (x1 - x0) * this.ed.view.scale >= 4 && (y1 - y0) * this.ed.view.scale >= 4;
      this.preview.thresholdRect = big && x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
      void this.preview.threshold();
    }
  }

  private wheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.shiftKey && this.ed.ui.tool === 'wand') {
      this.preview.setTolerance(this.preview.wandTolerance + (e.deltaY < 0 ? 2 : -2));
      return;
    }
    const p = this.img(e);
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const factor = Math.exp(-Math.max(-300, Math.min(300, e.deltaY * unit)) * 0.002);
    this.ed.setView(zoomAt(this.ed.view, factor, p.sx, p.sy));
  }

  // ---- painting ---------------------------------------------------------------------------

  private op(eraser: boolean, instanceId: number | null): PaintOp {
    const bg = this.ed.config.backgroundId;
    if (eraser) return { semantic: bg, instance: 0, onlyBackground: false, background: bg };
    return { semantic: this.ed.ui.classId, instance: instanceId, onlyBackground: this.ed.ui.paintMode === 'unlabelled', background: bg };
  }

  /** Starts an edit: a recorder, the paint op for the current tool/mode, and new-instance meta. */
  private startEdit(eraser: boolean): { rec: EditRecorder; paint: SpanVisitor; meta?: MetaChange[] } {
    const rec = new EditRecorder(this.ed.maps);
    const inst = eraser ? { id: 0 } : this.ed.paintInstance();
    const op = this.op(eraser, this.ed.ui.instanceMode && !eraser ? inst.id : null);
    return { rec, paint: spanPainter(this.ed.maps, rec, op), meta: inst.meta };
  }

  private beginStroke(x: number, y: number, pointerId: number): void {
    const eraser = this.ed.ui.tool === 'eraser';
    const s = this.startEdit(eraser);
    const c = brushCentre(this.ed.ui.brushSize, x, y);
    this.stroke = { ...s, last: c, label: eraser ? 'Erase' : 'Brush', frames: [], pointerId, queued: [] };
    const t0 = performance.now();
    rasterSegment(c.x, c.y, c.x, c.y, this.ed.ui.brushSize, this.ed.maps.width, this.ed.maps.height, s.paint);
    this.ed.invalidate(s.rec.takeDirty());
    this.stroke.frames.push(performance.now() - t0);
  }

  private strokeTo(x: number, y: number): void {
    const s = this.stroke;
    if (!s) return;
    const c = brushCentre(this.ed.ui.brushSize, x, y);
    if (c.x === s.last.x && c.y === s.last.y) return;
    rasterSegment(s.last.x, s.last.y, c.x, c.y, this.ed.ui.brushSize, this.ed.maps.width, this.ed.maps.height, s.paint);
    s.last = c;
  }

  /** Paints the positions queued since the last frame as connected segments and recolours what they touched. */
  private paintQueued(): void {
    const s = this.stroke;
    if (!s || s.queued.length === 0) return;
    const t0 = performance.now();
    for (let i = 0; i + 1 < s.queued.length; i += 2) this.strokeTo(s.queued[i], s.queued[i + 1]);
    s.queued.length = 0;
    this.ed.invalidate(s.rec.takeDirty());
    s.frames.push(performance.now() - t0);
  }

  private async endStroke(): Promise<void> {
    const s = this.stroke;
    if (!s) return;
    this.paintQueued();
    this.stroke = null;
    for (const ms of s.frames) post({ type: 'perf', name: 'strokeFrame', ms });
    await this.ed.commit(s.rec, s.label, s.meta);
  }

  private pick(i: number): void {
    this.ed.setUi({ classId: this.ed.maps.semantic[i] });
    const id = this.ed.maps.instances[i];
    if (this.ed.ui.instanceMode && id) this.ed.selectInstance(id);
  }

  private async fill(i: number): Promise<void> {
    const W = this.ed.maps.width;
    const s = this.startEdit(false);
    floodLabel(this.ed.maps.semantic, W, this.ed.maps.height, i % W, Math.floor(i / W), s.paint);
    this.ed.invalidate(s.rec.takeDirty());
    await this.ed.commit(s.rec, 'Fill', s.meta);
  }

  // ---- lasso / polygon --------------------------------------------------------------------

  private lassoDown(x: number, y: number, sx: number, sy: number, id: number): void {
    if (this.lasso.length >= 6) {
      const first = toScreen(this.ed.view, this.lasso[0], this.lasso[1]);
      if (Math.hypot(sx - first.x, sy - first.y) <= CLOSE_PX) { this.closeLasso(); return; }
    }
    this.lasso.push(x, y);
    this.lassoDrag = { id, moved: false };
    this.ed.requestFrame();
  }

  closeLasso(): void {
    const pts = this.lasso;
    this.lasso = [];
    this.lassoDrag = null;
    this.ed.requestFrame();
    if (pts.length < 6 || this.ed.readonly) return;
    const s = this.startEdit(false);
    fillPolygon(pts, this.ed.maps.width, this.ed.maps.height, s.paint);
    this.ed.invalidate(s.rec.takeDirty());
    void this.ed.commit(s.rec, 'Polygon fill', s.meta);
  }

  removeLastPoint(): void {
    this.lasso.splice(-2, 2);
    this.ed.requestFrame();
  }

  // ---- instances --------------------------------------------------------------------------

  async deleteSelectedInstance(): Promise<void> {
    const id = this.ed.selected;
    if (!id) { this.ed.onError('Select an instance first (V, then click it).'); return; }
    if (this.ed.readonly) return;
    const rec = new EditRecorder(this.ed.maps);
    clearInstance(this.ed.maps, rec, id);
    this.ed.invalidate(rec.takeDirty());
    const info = this.ed.instances.get(id);
    const meta: MetaChange[] = info ? [{ id, before: info, after: null }] : [];
    this.ed.selected = 0;
    if (!rec.touched && meta.length === 0) return;
    await this.ed.commit(rec, `Delete instance ${id}`, meta);
  }

  // ---- overlay ----------------------------------------------------------------------------

  /** Draws the tool's decorations (on the tool layer, the brush outline as an element); returns the screen rect they cover on the layer. */
  private drawOverlay(ctx: CanvasRenderingContext2D): OverlayBounds {
    const v = this.ed.view, tool = this.ed.ui.tool;
    const fg = this.ed.renderer.colors.outline;
    let bounds: OverlayBounds = null;
    ctx.lineWidth = 1;
    ctx.strokeStyle = fg;
    if ((tool === 'brush' || tool === 'eraser') && this.hover.inside && !this.spaceDown) {
      const c = brushCentre(this.ed.ui.brushSize, this.hover.x + 0.5, this.hover.y + 0.5);
      const s = toScreen(v, c.x, c.y);
      this.brushCursor.show(s.x, s.y, Math.max(2, (this.ed.ui.brushSize / 2) * v.scale), fg);
    } else this.brushCursor.hide();
    if (this.lasso.length >= 2) {
      ctx.beginPath();
      for (let k = 0; k < this.lasso.length; k += 2) {
        const s = toScreen(v, this.lasso[k], this.lasso[k + 1]);
        if (k === 0) ctx.moveTo(s.x, s.y); else ctx.lineTo(s.x, s.y);
        bounds = growBounds(bounds, s.x - 4, s.y - 4, s.x + 4, s.y + 4);
      }
      if (!this.lassoDrag?.moved && this.screen.x >= 0) {
        ctx.lineTo(this.screen.x, this.screen.y);
        bounds = growBounds(bounds, this.screen.x, this.screen.y, this.screen.x, this.screen.y);
      }
      // A dark halo under a light line: the open polygon shows on dark and on bright images.
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)';
      ctx.stroke();
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
      const f = toScreen(v, this.lasso[0], this.lasso[1]);
      ctx.strokeRect(f.x - 4, f.y - 4, 8, 8);
      ctx.lineWidth = 1;
      ctx.strokeStyle = fg;
    }
    const r = this.rectDrag ? { x: Math.min(this.rectDrag.x0, this.rectDrag.x1), y: Math.min(this.rectDrag.y0, this.rectDrag.y1), w: Math.abs(this.rectDrag.x1 - this.rectDrag.x0), h: Math.abs(this.rectDrag.y1 - this.rectDrag.y0) } : this.preview.thresholdRect;
    if (r && tool === 'threshold') {
      const a = toScreen(v, r.x, r.y);
      ctx.setLineDash([6, 4]);
      ctx.strokeRect(a.x, a.y, r.w * v.scale, r.h * v.scale);
      ctx.setLineDash([]);
      bounds = growBounds(bounds, a.x, a.y, a.x + r.w * v.scale, a.y + r.h * v.scale);
    }
    ctx.fillStyle = fg;
    // Seeds and prompts: few, drawn only with their tools; their bounds are not tracked.
    if (tool === 'watershed' && this.preview.seeds.length) bounds = 'all';
    this.preview.drawSeeds(ctx);
    if (tool === 'sam') {
      this.preview.sam.draw(ctx, this.samDrag?.moved ? this.samDrag : null);
      bounds = 'all';
    }
    return bounds;
  }
}

export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable || t.tagName === 'VSCODE-TEXT-FIELD');
}
