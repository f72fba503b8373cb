// Tools that compute a preview in the pixel worker and commit it on Enter (or a click inside it):
// magic wand, threshold (Otsu or a level; whole image or a rectangle), fill bounded by Canny
// edges, watershed from clicked seeds, k-means colour clusters (click picks a cluster), and the
// promptable model's mask (samTool.ts). A commit is an edit in the current class, or a new
// instance (meta source "tool:<name>", or "model:<id>" with the model's score) in instance mode.
import { nextInstanceId, type MetaChange } from '../src/shared/maskModel';
import { spanPainter } from './core/paint';
import { EditRecorder } from './core/recorder';
import { toScreen, type Rect } from './core/viewport';
import { SamTool } from './samTool';
import type { Editor } from './editor';
import type { PixelWorker } from './workerClient';

export type PreviewKind = 'wand' | 'threshold' | 'edgefill' | 'watershed' | 'kmeans' | 'sam';
const LABELS: Record<PreviewKind, string> = { wand: 'Magic wand', threshold: 'Threshold', edgefill: 'Edge-bounded fill', watershed: 'Watershed', kmeans: 'k-means cluster', sam: 'Segment anything' };

interface QueuedRun {
  readonly kind: PreviewKind;
  readonly req: Parameters<PixelWorker['run']>[0];
  readonly after?: (level?: number) => void;
  readonly ticket: number;
}

/** Where a preview came from when it was not a tool of this file: instance meta source and score. */
export interface PreviewOrigin {
  readonly source: string;
  readonly score?: number;
}

export class PreviewTools {
  /** Magic wand tolerance, 0..255 per channel (default 24). */
  wandTolerance = 24;
  private wandSeed: { x: number; y: number } | null = null;
  /** Threshold level; null = Otsu (default). */
  thresholdLevel: number | null = null;
  thresholdInvert = false;
  thresholdRect: Rect | null = null;
  /** The Otsu level of the last automatic threshold (shown on the slider). */
  otsuLevel = 128;
  /** Watershed seeds: [x, y, 1 = object | 2 = background] triples. */
  seeds: number[] = [];
  /** Number of k-means clusters (default 4). */
  clusters = 4;
  private clusterSeed: { x: number; y: number } | null = null;
  from: PreviewKind | null = null;
  private origin: PreviewOrigin | null = null;
  private ticket = 0;
  /** The worker request waiting for the one in flight (latest wins), and the loop running them. */
  private next: QueuedRun | null = null;
  private running: Promise<void> | null = null;
  readonly sam: SamTool;

  constructor(private readonly ed: Editor, private readonly worker: PixelWorker) {
    this.sam = new SamTool(ed, this);
  }

  /** Shows a preview computed elsewhere (the host's model); null clears it. */
  show(kind: PreviewKind, mask: Uint8Array | null, origin?: PreviewOrigin): void {
    this.from = mask ? kind : null;
    this.origin = mask ? origin ?? null : null;
    this.ed.setPreview(mask);
    this.ed.onChange();
  }

  /**
   * Computes a preview in the worker. One request at a time: asked again while one runs (a slider
   * dragged, Shift+wheel on the wand), only the latest request runs next and the ones between are
   * dropped. Resolves when the worker is idle again (this request's preview, or a newer one's, shown).
   */
  private run(kind: PreviewKind, req: Parameters<PixelWorker['run']>[0], after?: (level?: number) => void): Promise<void> {
    this.next = { kind, req, after, ticket: ++this.ticket };
    return (this.running ??= this.drain());
  }

  private async drain(): Promise<void> {
    try {
      for (let n = this.next; n; n = this.next) {
        this.next = null;
        await this.runOne(n);
      }
    } finally {
      this.running = null;
    }
  }

  private async runOne({ kind, req, after, ticket }: QueuedRun): Promise<void> {
    try {
      const r = await this.worker.run(req);
      if (ticket !== this.ticket || this.ed.ui.tool !== kind) return;
      after?.(r.level);
      this.from = kind;
      this.origin = null;
      this.ed.setPreview(r.mask);
    } catch (e) {
      if (ticket === this.ticket) this.ed.onError(`${LABELS[kind]}: ${(e as Error).message}`);
    }
    this.ed.onChange();
  }

  wand(x: number, y: number): Promise<void> {
    this.wandSeed = { x, y };
    return this.run('wand', { type: 'wand', x, y, tolerance: this.wandTolerance });
  }

  setTolerance(v: number): void {
    this.wandTolerance = Math.max(0, Math.min(255, Math.round(v)));
    if (this.wandSeed) void this.wand(this.wandSeed.x, this.wandSeed.y);
    else this.ed.onChange();
  }

  threshold(): Promise<void> {
    return this.run('threshold', { type: 'threshold', level: this.thresholdLevel, invert: this.thresholdInvert, rect: this.thresholdRect }, (level) => {
      if (this.thresholdLevel === null && level !== undefined) this.otsuLevel = level;
    });
  }

  edgeFill(x: number, y: number): Promise<void> {
    return this.run('edgefill', { type: 'edgefill', x, y });
  }

  /** Adds a seed (Shift = background) and floods once there is an object and a background seed. */
  watershedSeed(x: number, y: number, background: boolean): Promise<void> {
    this.seeds.push(x, y, background ? 2 : 1);
    this.ed.requestDraw();
    this.ed.onChange();
    let obj = false, bg = false;
    for (let i = 2; i < this.seeds.length; i += 3) if (this.seeds[i] === 1) obj = true; else bg = true;
    if (!obj || !bg) return Promise.resolve();
    return this.run('watershed', { type: 'watershed', seeds: Int32Array.from(this.seeds) });
  }

  /** The k-means cluster of the clicked pixel (clusters are computed once per k). */
  cluster(x: number, y: number): Promise<void> {
    this.clusterSeed = { x, y };
    return this.run('kmeans', { type: 'kmeans', k: this.clusters, x, y });
  }

  setClusters(k: number): void {
    this.clusters = Math.max(2, Math.min(16, Math.round(k)));
    if (this.clusterSeed) void this.cluster(this.clusterSeed.x, this.clusterSeed.y);
    else this.ed.onChange();
  }

  /** Esc: drops the preview and the seeds. */
  cancel(): void {
    this.ticket++;
    this.next = null;
    this.wandSeed = null;
    this.clusterSeed = null;
    this.thresholdRect = null;
    this.seeds = [];
    this.sam.clear();
    this.origin = null;
    if (this.from) {
      this.from = null;
      this.ed.setPreview(null);
    }
  }

  /** Enter: commits the preview as an edit. */
  async commit(): Promise<void> {
    const m = this.ed.preview, from = this.from, origin = this.origin;
    if (!m || !from || this.ed.readonly) return;
    const { width: W, height: H } = this.ed.maps;
    const rec = new EditRecorder(this.ed.maps);
    let meta: MetaChange[] | undefined;
    let instance: number | null = null;
    if (this.ed.ui.instanceMode) {
      instance = nextInstanceId(this.ed.maps.instances, this.ed.instances.keys());
      if (!instance) { this.ed.onError('all 65535 instance ids are in use'); return; }
      const score = origin?.score !== undefined ? { score: Math.round(origin.score * 1e4) / 1e4 } : {};
      meta = [{ id: instance, before: null, after: { id: instance, class: this.ed.ui.classId, source: origin?.source ?? `tool:${from}`, ...score } }];
    }
    const bg = this.ed.config.backgroundId;
    const paint = spanPainter(this.ed.maps, rec, { semantic: this.ed.ui.classId, instance, onlyBackground: this.ed.ui.paintMode === 'unlabelled', background: bg });
    for (let y = 0; y < H; y++) {
      const o = y * W;
      let x = 0;
      while (x < W) {
        if (!m[o + x]) { x++; continue; }
        let e = x;
        while (e < W && m[o + e]) e++;
        paint(y, x, e);
        x = e;
      }
    }
    if (from === 'threshold' && !instance) this.clearBelow(m, rec);
    this.cancel();
    this.ed.invalidate(rec.takeDirty());
    if (instance) this.ed.selected = instance;
    await this.ed.commit(rec, LABELS[from], meta);
  }

  /**
   * Threshold replaces its class within its region (the dragged rectangle, or the whole image), as
   * the CLI and the palette command do: pixels of the class there that fall below the level become
   * background. Instance ids are left as they are.
   */
  private clearBelow(m: Uint8Array, rec: EditRecorder): void {
    const { width: W, height: H, semantic: sem } = this.ed.maps;
    const cls = this.ed.ui.classId, bg = this.ed.config.backgroundId;
    if (cls === bg) return;
    const r = this.thresholdRect ?? { x: 0, y: 0, w: W, h: H };
    const clear = spanPainter(this.ed.maps, rec, { semantic: bg, instance: null, onlyBackground: false, background: bg });
    for (let y = r.y; y < r.y + r.h; y++) {
      const o = y * W, end = r.x + r.w;
      let x = r.x;
      while (x < end) {
        if (m[o + x] || sem[o + x] !== cls) { x++; continue; }
        let e = x;
        while (e < end && !m[o + e] && sem[o + e] === cls) e++;
        clear(y, x, e);
        x = e;
      }
    }
  }

  /** Watershed seeds as dots: filled = object, hollow = background. */
  drawSeeds(ctx: CanvasRenderingContext2D): void {
    if (this.ed.ui.tool !== 'watershed') return;
    for (let i = 0; i + 2 < this.seeds.length; i += 3) {
      const s = toScreen(this.ed.view, this.seeds[i] + 0.5, this.seeds[i + 1] + 0.5);
      ctx.beginPath();
      ctx.arc(s.x, s.y, 4, 0, Math.PI * 2);
      if (this.seeds[i + 2] === 1) ctx.fill(); else ctx.stroke();
    }
  }
}
