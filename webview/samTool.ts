// "Segment anything" (key A): prompts for the host's promptable (SAM-family) model. Clicks add
// object points (Shift/Alt+click: background points), a drag sets the box; every change posts
// 'samPrompt' and the reply's mask becomes the preview, committed by PreviewTools (Enter or a
// click inside) in the current class, or as a new instance with source "model:<id>" and score.
import { MAX_SAM_POINTS, type SamPromptBox, type SamPromptPoint } from '../src/shared/protocol';
import { toScreen } from './core/viewport';
import type { Editor } from './editor';
import { awaitReply, newId, post } from './host';
import type { PreviewTools } from './previewTools';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

/** The reply's mask placed on a full-size width x height 0/1 mask; throws when the reply does not fit the image. */
export function placeSamResult(result: unknown, width: number, height: number): { mask: Uint8Array; score: number; modelId: string; area: number } {
  if (!isObj(result) || !isObj(result.rect) || !(result.mask instanceof Uint8Array) || typeof result.score !== 'number' || typeof result.modelId !== 'string') {
    throw new Error('the host\'s reply is not a mask result');
  }
  const { x, y, w, h } = result.rect;
  if (!isInt(x, 0, width) || !isInt(y, 0, height) || !isInt(w, 0, width - x) || !isInt(h, 0, height - y) || result.mask.length !== w * h) {
    throw new Error(`the mask rectangle ${String(x)},${String(y)} ${String(w)}x${String(h)} does not fit the ${width}x${height} image`);
  }
  const mask = new Uint8Array(width * height), src = result.mask;
  let area = 0;
  for (let r = 0; r < h; r++) {
    const o = (y + r) * width + x;
    for (let c = 0; c < w; c++) if (src[r * w + c]) { mask[o + c] = 1; area++; }
  }
  return { mask, score: result.score, modelId: result.modelId, area };
}

export class SamTool {
  /** Prompt points in image pixel coordinates (pixel centres); label 1 = object, 0 = background. */
  points: SamPromptPoint[] = [];
  box: SamPromptBox | null = null;
  /** True while a prompt is with the host. */
  busy = false;
  /** The last result's model and score, shown in the hint. */
  last: { modelId: string; score: number; area: number } | null = null;
  private ticket = 0;

  constructor(private readonly ed: Editor, private readonly preview: PreviewTools) {}

  /** A click: an object point, or a background point (`negative`), at the clicked pixel's centre. */
  addPoint(px: number, py: number, negative: boolean): Promise<void> {
    if (this.points.length >= MAX_SAM_POINTS) {
      this.ed.onError(`Segment anything: at most ${MAX_SAM_POINTS} points per prompt (Esc starts over)`);
      return Promise.resolve();
    }
    this.points.push({ x: px + 0.5, y: py + 0.5, label: negative ? 0 : 1 });
    return this.send();
  }

  /** A dragged box (image coordinates, clamped to the image); replaces the previous box. */
  setBox(x0: number, y0: number, x1: number, y1: number): Promise<void> {
    const { width: W, height: H } = this.ed.maps;
    const cx = (v: number): number => Math.max(0, Math.min(W, Math.round(v)));
    const cy = (v: number): number => Math.max(0, Math.min(H, Math.round(v)));
    const b = { x0: cx(Math.min(x0, x1)), y0: cy(Math.min(y0, y1)), x1: cx(Math.max(x0, x1)), y1: cy(Math.max(y0, y1)) };
    if (b.x1 <= b.x0 || b.y1 <= b.y0) return Promise.resolve();
    this.box = b;
    return this.send();
  }

  /** Drops the prompt and any reply still on its way (the preview itself is PreviewTools'). */
  clear(): void {
    this.ticket++;
    this.points = [];
    this.box = null;
    this.busy = false;
    this.last = null;
  }

  private async send(): Promise<void> {
    const ticket = ++this.ticket;
    const id = newId();
    this.busy = true;
    this.ed.requestDraw();
    this.ed.onChange();
    post({ type: 'samPrompt', id, prompt: { points: this.points.map((p) => ({ ...p })), ...(this.box ? { box: { ...this.box } } : {}) } });
    const r = await awaitReply(id);
    if (ticket !== this.ticket || this.ed.ui.tool !== 'sam') return;
    this.busy = false;
    try {
      if (!r.ok) throw new Error(r.error ?? 'the host refused the prompt');
      const m = placeSamResult(r.result, this.ed.maps.width, this.ed.maps.height);
      this.last = { modelId: m.modelId, score: m.score, area: m.area };
      if (m.area === 0) this.preview.show('sam', null);
      else this.preview.show('sam', m.mask, { source: `model:${m.modelId}`, score: m.score });
    } catch (e) {
      this.ed.onError(`Segment anything: ${(e as Error).message}`);
      this.ed.onChange();
    }
  }

  /** Points (filled = object, hollow = background) and the box. */
  draw(ctx: CanvasRenderingContext2D, drag: { x0: number; y0: number; x1: number; y1: number } | null): void {
    const v = this.ed.view;
    const b = drag ?? this.box;
    if (b) {
      const a = toScreen(v, Math.min(b.x0, b.x1), Math.min(b.y0, b.y1));
      ctx.setLineDash([6, 4]);
      ctx.strokeRect(a.x, a.y, Math.abs(b.x1 - b.x0) * v.scale, Math.abs(b.y1 - b.y0) * v.scale);
      ctx.setLineDash([]);
    }
    for (const p of this.points) {
      const s = toScreen(v, p.x, p.y);
      ctx.beginPath();
      ctx.arc(s.x, s.y, 4, 0, Math.PI * 2);
      if (p.label === 1) ctx.fill(); else ctx.stroke();
    }
  }
}
