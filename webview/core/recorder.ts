// Records the original bytes of the blocks a tool touches, so the tool can mutate the label maps
// in place (instant feedback) and afterwards emit one invertible edit whose patches cover only the
// pixels that changed (tight bounding rect per layer). Pure.
import { readRect, type LabelMaps, type MaskEdit, type MetaChange, type Patch, type SemanticIds } from '../../src/shared/maskModel';
import { EMPTY, union, type Rect } from './rect';

interface Saved {
  readonly sem: SemanticIds;
  readonly inst: Uint16Array;
  readonly rect: Rect;
}

export class EditRecorder {
  private readonly saved = new Map<number, Saved>();
  private readonly cols: number;
  private dirty: Rect = EMPTY;

  /**
   * `block`: side of the blocks whose originals are saved on first touch (default 64).
   * `bandLimit`: when a layer's changed bounding rect exceeds this many pixels (default 2^20), the
   * layer's change is sent as one patch per block row instead, so a long diagonal stroke on a
   * large image costs about its own area, not its bounding rect's.
   */
  constructor(private readonly maps: LabelMaps, private readonly block = 64, private readonly bandLimit = 1 << 20) {
    if (!Number.isInteger(block) || block < 8) throw new RangeError(`block ${block} must be an integer >= 8`);
    if (!(bandLimit >= 1)) throw new RangeError(`bandLimit ${bandLimit} must be >= 1`);
    this.cols = Math.ceil(maps.width / block);
  }

  /** Call before writing any pixel of the rect (image coordinates, clipped here). */
  touch(x: number, y: number, w: number, h: number): void {
    const { width, height } = this.maps;
    const x0 = Math.max(0, x), y0 = Math.max(0, y), x1 = Math.min(width, x + w), y1 = Math.min(height, y + h);
    if (x1 <= x0 || y1 <= y0) return;
    this.dirty = union(this.dirty, { x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
    const b = this.block;
    for (let by = Math.floor(y0 / b); by <= Math.floor((y1 - 1) / b); by++) {
      for (let bx = Math.floor(x0 / b); bx <= Math.floor((x1 - 1) / b); bx++) {
        const key = by * this.cols + bx;
        if (this.saved.has(key)) continue;
        const rect = { x: bx * b, y: by * b, w: Math.min(b, width - bx * b), h: Math.min(b, height - by * b) };
        this.saved.set(key, {
          rect,
          sem: readRect(this.maps, 'semantic', rect.x, rect.y, rect.w, rect.h),
          inst: readRect(this.maps, 'instances', rect.x, rect.y, rect.w, rect.h) as Uint16Array,
        });
      }
    }
  }

  /** The rect touched since the last call (for redrawing), then resets it. */
  takeDirty(): Rect {
    const d = this.dirty;
    this.dirty = EMPTY;
    return d;
  }

  get touched(): boolean {
    return this.saved.size > 0;
  }

  /** Builds the edit from originals vs the current maps; null when no pixel and no meta changed. */
  finish(label: string, meta?: readonly MetaChange[]): MaskEdit | null {
    const patches: Patch[] = [];
    for (const layer of ['semantic', 'instances'] as const) {
      const p = this.patchOf(layer, 0, this.maps.height);
      if (!p) continue;
      if (p.w * p.h <= this.bandLimit) { patches.push(p); continue; }
      for (let y = p.y - (p.y % this.block); y < p.y + p.h; y += this.block) {
        const band = this.patchOf(layer, y, y + this.block);
        if (band) patches.push(band);
      }
    }
    if (patches.length === 0) return null;
    return meta && meta.length ? { label, patches, meta } : { label, patches };
  }

  /** Writes the originals back (e.g. the host refused the edit, or the tool was cancelled); returns the rect to redraw. */
  restore(): Rect {
    let r: Rect = EMPTY;
    for (const s of this.saved.values()) {
      this.write(s.rect, s.sem, s.inst);
      r = union(r, s.rect);
    }
    return r;
  }

  private write(rect: Rect, sem: SemanticIds, inst: Uint16Array): void {
    const w = this.maps.width;
    for (let row = 0; row < rect.h; row++) {
      const o = (rect.y + row) * w + rect.x;
      this.maps.semantic.set(sem.subarray(row * rect.w, (row + 1) * rect.w), o);
      this.maps.instances.set(inst.subarray(row * rect.w, (row + 1) * rect.w), o);
    }
  }

  /** Tight patch of the changed pixels of a layer within rows rowMin..rowMax-1 (block-aligned). */
  private patchOf(layer: 'semantic' | 'instances', rowMin: number, rowMax: number): Patch | null {
    const cur = layer === 'semantic' ? this.maps.semantic : this.maps.instances;
    const w = this.maps.width;
    let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
    for (const s of this.saved.values()) {
      if (s.rect.y >= rowMax || s.rect.y + s.rect.h <= rowMin) continue;
      const orig = layer === 'semantic' ? s.sem : s.inst;
      for (let row = 0; row < s.rect.h; row++) {
        const o = (s.rect.y + row) * w + s.rect.x;
        for (let c = 0; c < s.rect.w; c++) {
          if (orig[row * s.rect.w + c] !== cur[o + c]) {
            const x = s.rect.x + c, y = s.rect.y + row;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
          }
        }
      }
    }
    if (x1 < 0) return null;
    const pw = x1 - x0 + 1, ph = y1 - y0 + 1;
    const after = readRect(this.maps, layer, x0, y0, pw, ph);
    const before = after.slice();
    const box: Rect = { x: x0, y: y0, w: pw, h: ph };
    for (const s of this.saved.values()) {
      const orig = layer === 'semantic' ? s.sem : s.inst;
      const ix0 = Math.max(box.x, s.rect.x), iy0 = Math.max(box.y, s.rect.y);
      const ix1 = Math.min(box.x + box.w, s.rect.x + s.rect.w), iy1 = Math.min(box.y + box.h, s.rect.y + s.rect.h);
      if (ix1 <= ix0 || iy1 <= iy0) continue;
      for (let y = iy0; y < iy1; y++) {
        const src = orig.subarray((y - s.rect.y) * s.rect.w + (ix0 - s.rect.x), (y - s.rect.y) * s.rect.w + (ix1 - s.rect.x));
        before.set(src, (y - box.y) * pw + (ix0 - box.x));
      }
    }
    return { layer, x: x0, y: y0, w: pw, h: ph, before, after };
  }
}
