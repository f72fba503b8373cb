// Editor state: the label maps, instance table, palette, UI state and view; applies edits from the
// host, commits local edits (applied at once, reverted if the host refuses), and schedules redraws:
// at most one frame per requestAnimationFrame, redrawing the overlays only where pixels changed.
import { applyEdit, applyMeta, nextInstanceId, revertEdit, type InstanceInfo, type LabelMaps, type MaskEdit, type MetaChange, type SemanticIds } from '../src/shared/maskModel';
import type { InitMessage, UiState, ViewConfig } from '../src/shared/protocol';
import { buildClassLut, paletteEntries, type PaletteEntry } from './core/palette';
import { colorizeInstances, colorizeSemantic, type TileTarget } from './core/colorize';
import { EditRecorder } from './core/recorder';
import { editBounds } from './core/paint';
import { EMPTY, type Rect } from './core/rect';
import { fitView, type View } from './core/viewport';
import { addDamage, Renderer, TileLayer, type Layers, type MaskDamage, type OverlayBounds } from './render';
import { awaitReply, newId, post, saveView } from './host';
import { packEdit, packsLater } from './wire';

export type ToolName = 'brush' | 'eraser' | 'lasso' | 'fill' | 'pick' | 'select' | 'wand' | 'threshold' | 'edgefill' | 'watershed' | 'kmeans' | 'sam';
export const TOOLS: readonly ToolName[] = ['brush', 'eraser', 'lasso', 'fill', 'pick', 'select', 'wand', 'threshold', 'edgefill', 'watershed', 'kmeans', 'sam'];

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface Ui {
  tool: ToolName;
  classId: number;
  brushSize: number;
  paintMode: 'all' | 'unlabelled';
  instanceMode: boolean;
  opacity: number;
  showSemantic: boolean;
  showInstances: boolean;
}

export function defaultUi(config: ViewConfig, opacity: number): Ui {
  const first = paletteEntries(config)[0];
  return { tool: 'brush', classId: first ? first.id : 1, brushSize: 12, paintMode: 'all', instanceMode: false, opacity, showSemantic: true, showInstances: true };
}

export function restoreUi(s: UiState | undefined, config: ViewConfig, opacity: number): Ui {
  const d = defaultUi(config, opacity);
  if (!s) return d;
  const tool = (TOOLS as readonly string[]).includes(s.tool) ? (s.tool as ToolName) : d.tool;
  // A class of another dataset that this one's maps cannot hold (300 after a 16-bit dataset) is not kept.
  const classId = s.classId <= (config.semanticBits === 16 ? 65535 : 255) ? s.classId : d.classId;
  return { tool, classId, brushSize: s.brushSize, paintMode: s.paintMode, instanceMode: s.instanceMode, opacity: s.opacity, showSemantic: s.showSemantic, showInstances: s.showInstances };
}

export class Editor {
  readonly maps: LabelMaps;
  readonly instances = new Map<number, InstanceInfo>();
  config: ViewConfig;
  palette: PaletteEntry[];
  lut: Uint32Array;
  ui: Ui;
  view: View;
  /** Selected instance (select tool, N, or last painted); 0 = none. */
  selected = 0;
  /** An id reserved by N that has no pixels yet; created (with meta) by the first stroke. */
  reserved = 0;
  readonly layers: Layers;
  readonly readonly: boolean;
  /** Preview mask (tool result before commit): 1 = inside. */
  preview: Uint8Array | null = null;
  overlay: ((ctx: CanvasRenderingContext2D) => OverlayBounds) | undefined;
  onChange: () => void = () => undefined;
  onError: (m: string) => void = () => undefined;
  /** Called at the start of each frame, before drawing (a stroke paints its queued positions). */
  beforeFrame: () => void = () => undefined;
  private frame = 0;
  private inFrame = false;
  /** Overlay pixels to redraw in the next frame. */
  private damage: MaskDamage = 'all';
  private uiTimer = 0;
  /** The last edit on its way to the host (packing is asynchronous; edits leave in order). */
  private outbox: Promise<void> = Promise.resolve();
  /** Edits made but not yet posted (being packed, or behind one that is). */
  private unsent = 0;

  constructor(readonly init: Extract<InitMessage, { packed?: undefined }>, readonly renderer: Renderer, opacity: number) {
    this.maps = { width: init.width, height: init.height, semantic: init.semantic, instances: init.instances };
    for (const i of init.instanceInfo) this.instances.set(i.id, i);
    this.config = init.config;
    this.palette = paletteEntries(init.config);
    this.lut = buildClassLut(init.config, LITTLE_ENDIAN);
    this.ui = restoreUi(init.uiState, init.config, opacity);
    this.readonly = init.readonly;
    const { width: W, height: H } = this.maps;
    const semantic = new TileLayer(W, H, {
      halo: 0,
      colorize: (r: Rect, t: TileTarget, step: number) => colorizeSemantic(this.maps.semantic, W, r, this.lut, t, step, this.config.backgroundId),
      isBlank: (r: Rect, step: number) => this.blank(this.maps.semantic, { x: r.x * step, y: r.y * step, w: Math.min(W - r.x * step, r.w * step), h: Math.min(H - r.y * step, r.h * step) }, this.config.backgroundId, 1),
    });
    const instances = new TileLayer(W, H, {
      halo: 1,
      colorize: (r: Rect, t: TileTarget, step: number) => colorizeInstances(this.maps.instances, W, H, r, t, { highlightId: this.selected, littleEndian: LITTLE_ENDIAN }, step),
      isBlank: (r: Rect, step: number) => this.blank(this.maps.instances, r, 0, step),
    });
    renderer.onInvalidated = () => this.requestDraw();
    this.layers = { semantic, instances, preview: null };
    this.view = { scale: 1, tx: 0, ty: 0 };
  }

  /** True when every sampled pixel of level rect r (level `step`) equals v. */
  private blank(a: Uint8Array | Uint16Array, r: Rect, v: number, step: number): boolean {
    const W = this.maps.width;
    for (let y = r.y; y < r.y + r.h; y++) {
      const o = y * step * W;
      for (let x = r.x; x < r.x + r.w; x++) if (a[o + x * step] !== v) return false;
    }
    return true;
  }

  /** True while the view is the automatic fit (it then follows panel resizes). */
  autoFit = true;

  fit(): void {
    const s = this.renderer.size;
    this.setView(fitView(this.maps.width, this.maps.height, s.w, s.h));
    this.autoFit = true;
  }

  setView(v: View): void {
    this.autoFit = false;
    this.view = v;
    saveView({ file: this.init.fileName, scale: v.scale, tx: v.tx, ty: v.ty });
    this.requestDraw();
    this.onChange();
  }

  /** Recolours the rect in every layer and schedules a redraw of it. */
  invalidate(r: Rect): void {
    if (r.w <= 0 || r.h <= 0) return;
    this.layers.semantic.invalidate(r);
    this.layers.instances.invalidate(r);
    this.damage = addDamage(this.damage, r);
    this.schedule();
  }

  invalidateAll(): void {
    this.layers.semantic.clear();
    this.layers.instances.clear();
    this.requestDraw();
  }

  /** Schedules a frame that redraws every layer (a layer, the view or an option changed). */
  requestDraw(): void {
    this.damage = 'all';
    this.schedule();
  }

  /**
   * Schedules a frame without new overlay damage: the tool layer (cursor, lasso, rectangles), and
   * whatever else changed (the view or the display filter: the renderer compares; damaged pixels).
   */
  requestFrame(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.frame || this.inFrame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  /**
   * Display window of the image layer (brightness and contrast, 1 = as decoded). Display only: the
   * classical tools and models see the decoded pixels (16-bit images: their min..max window).
   */
  display = { brightness: 1, contrast: 1 };

  setDisplay(patch: Partial<{ brightness: number; contrast: number }>): void {
    const clamp = (v: number): number => Math.max(0, Math.min(4, v));
    this.display = { brightness: clamp(patch.brightness ?? this.display.brightness), contrast: clamp(patch.contrast ?? this.display.contrast) };
    this.requestFrame();
    this.onChange();
  }

  drawNow(): void {
    this.inFrame = true;
    try {
      this.beforeFrame();
    } finally {
      this.inFrame = false;
    }
    const { brightness: b, contrast: c } = this.display;
    const imageFilter = b === 1 && c === 1 ? undefined : `brightness(${b}) contrast(${c})`;
    const damage = this.damage;
    this.damage = null;
    this.renderer.draw(this.view, this.layers, { opacity: this.ui.opacity, showSemantic: this.ui.showSemantic, showInstances: this.ui.showInstances, overlay: this.overlay, imageFilter }, damage);
  }

  // ---- UI state ---------------------------------------------------------------------------

  setUi(patch: Partial<Ui>): void {
    const before = this.ui;
    this.ui = { ...this.ui, ...patch };
    if (patch.brushSize !== undefined) this.ui.brushSize = Math.max(1, Math.min(512, Math.round(patch.brushSize)));
    if (patch.opacity !== undefined) this.ui.opacity = Math.max(0, Math.min(1, patch.opacity));
    if (before.showInstances !== this.ui.showInstances || before.showSemantic !== this.ui.showSemantic || before.opacity !== this.ui.opacity) this.requestDraw();
    this.onChange();
    clearTimeout(this.uiTimer);
    this.uiTimer = window.setTimeout(() => post({ type: 'uiState', state: { ...this.ui } }), 300);
  }

  selectInstance(id: number): void {
    if (id === this.selected) return;
    const old = this.selected;
    this.selected = id;
    const info = this.instances.get(id);
    if (info) this.setUi({ classId: info.class });
    for (const k of [old, id]) if (k) this.invalidate(this.instanceBounds(k));
    this.onChange();
  }

  /** Bounding rect of an instance's pixels (a scan of the instance map). */
  instanceBounds(id: number): Rect {
    const { instances: a, width: W, height: H } = this.maps;
    let x0 = W, y0 = H, x1 = -1, y1 = -1;
    for (let y = 0; y < H; y++) {
      const o = y * W;
      for (let x = 0; x < W; x++) {
        if (a[o + x] === id) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    return x1 < 0 ? EMPTY : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
  }

  /** N: reserves the next free instance id for the next stroke and selects it. */
  newInstance(): number {
    const taken = [...this.instances.keys()];
    const id = nextInstanceId(this.maps.instances, taken);
    if (id === 0) {
      this.onError('all 65535 instance ids are in use');
      return 0;
    }
    this.reserved = id;
    this.selected = id;
    if (!this.ui.instanceMode) this.setUi({ instanceMode: true });
    this.onChange();
    return id;
  }

  /** Instance id a paint tool writes in instance mode, creating one when none is selected. */
  paintInstance(): { id: number; meta?: MetaChange[] } {
    if (!this.ui.instanceMode) return { id: 0 };
    let id = this.selected;
    if (!id || (!this.instances.has(id) && id !== this.reserved)) id = this.newInstance();
    if (!id) return { id: 0 };
    if (this.instances.has(id)) return { id };
    return { id, meta: [{ id, before: null, after: { id, class: this.ui.classId, source: 'manual' } }] };
  }

  // ---- edits ------------------------------------------------------------------------------

  /** Sends a locally applied edit to the host; reverts it and shows the error if refused. */
  async commit(rec: EditRecorder, label: string, meta?: readonly MetaChange[]): Promise<void> {
    const edit = rec.finish(label, meta);
    if (!edit) return;
    applyMeta(this.instances, edit.meta, 'after');
    if (meta?.some((m) => m.after && m.id === this.reserved)) this.reserved = 0;
    const id = newId();
    const t0 = performance.now();
    // Large patches are deflated first; edits leave in the order they were made, packed or not.
    // One that leaves later is announced now, so a Ctrl+S meanwhile waits for it on the host.
    const later = this.unsent > 0 || packsLater(edit);
    if (later) post({ type: 'editComing', id });
    this.unsent++;
    const sent = this.outbox.then(async () => post({ type: 'edit', id, edit: await packEdit(edit) })).finally(() => { this.unsent--; });
    this.outbox = sent.catch(() => { if (later) post({ type: 'editDropped', id }); });
    let r: { ok: boolean; error?: string };
    try {
      await sent;
      post({ type: 'perf', name: 'editPosted', ms: performance.now() - t0 });
      r = await awaitReply(id);
    } catch (e) {
      r = { ok: false, error: `it could not be sent (${(e as Error).message})` };
    }
    post({ type: 'perf', name: 'editAcknowledged', ms: performance.now() - t0 });
    if (!r.ok) {
      revertEdit(this.maps, edit);
      applyMeta(this.instances, edit.meta, 'before');
      this.invalidate(editBounds(edit));
      this.onError(`The edit "${label}" was not applied: ${r.error ?? 'the host refused it'}`);
    }
    this.onChange();
  }

  /** An edit from the host (undo/redo, another panel, a command). */
  applyHostEdit(edit: MaskEdit, direction: 'forward' | 'backward'): void {
    if (direction === 'forward') {
      applyEdit(this.maps, edit);
      applyMeta(this.instances, edit.meta, 'after');
    } else {
      revertEdit(this.maps, edit);
      applyMeta(this.instances, edit.meta, 'before');
    }
    this.invalidate(editBounds(edit));
    this.onChange();
  }

  reset(semantic: SemanticIds, instances: Uint16Array, info: readonly InstanceInfo[]): void {
    if (semantic.length !== this.maps.semantic.length || instances.length !== this.maps.instances.length) {
      this.onError(`reset carried maps of the wrong size (${semantic.length} / ${instances.length} values for ${this.maps.width}x${this.maps.height})`);
      return;
    }
    this.maps.semantic.set(semantic);
    this.maps.instances.set(instances);
    this.instances.clear();
    for (const i of info) this.instances.set(i.id, i);
    this.invalidateAll();
    this.onChange();
  }

  setConfig(c: ViewConfig): void {
    this.config = c;
    this.palette = paletteEntries(c);
    this.lut = buildClassLut(c, LITTLE_ENDIAN);
    this.invalidateAll();
    this.onChange();
  }

  /** Shows (or clears with null) a full-size 0/1 preview mask in the given colour. */
  setPreview(mask: Uint8Array | null, rgba: number = 0xc0ffff00): void {
    const { width: W, height: H } = this.maps;
    this.preview = mask && mask.length === W * H ? mask : null;
    const m = this.preview;
    this.layers.preview = m ? new TileLayer(W, H, {
      halo: 0,
      colorize: (r: Rect, t: TileTarget, step: number) => {
        for (let y = r.y; y < r.y + r.h; y++) {
          let s = y * step * W + r.x * step, d = (y - t.y0) * t.stride + (r.x - t.x0);
          for (let i = 0; i < r.w; i++, s += step) t.pixels[d++] = m[s] ? rgba : 0;
        }
      },
      isBlank: (r: Rect, step: number) => this.blank(m, r, 0, step),
    }) : null;
    this.requestDraw();
  }
}

