// What a tool writes into the label maps for each covered span. Pure.
import type { LabelMaps, MaskEdit } from '../../src/shared/maskModel';
import type { EditRecorder } from './recorder';
import { EMPTY, union, type Rect } from './rect';
import type { SpanVisitor } from './spans';

export interface PaintOp {
  /** Class written into the semantic layer. */
  readonly semantic: number;
  /** Instance id written into the instances layer; null leaves that layer alone (semantic mode). */
  readonly instance: number | null;
  /** Only pixels whose class is `background` are painted ('unlabelled' paint mode). */
  readonly onlyBackground: boolean;
  readonly background: number;
}

/** A span visitor that records originals in `rec` and paints `op` into the maps. */
export function spanPainter(maps: LabelMaps, rec: EditRecorder, op: PaintOp): SpanVisitor {
  const { semantic: sem, instances: inst, width } = maps;
  return (y, x0, x1) => {
    rec.touch(x0, y, x1 - x0, 1);
    const row = y * width;
    for (let i = row + x0; i < row + x1; i++) {
      if (op.onlyBackground && sem[i] !== op.background) continue;
      sem[i] = op.semantic;
      if (op.instance !== null) inst[i] = op.instance;
    }
  };
}

/** Clears instance `id` from the instances layer (the semantic layer is kept). Returns the pixel count. */
export function clearInstance(maps: LabelMaps, rec: EditRecorder, id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > 65535) throw new RangeError(`instance id ${id} must be 1..65535`);
  const { instances: inst, width, height } = maps;
  let n = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (inst[row + x] !== id) { x++; continue; }
      let e = x;
      while (e < width && inst[row + e] === id) e++;
      rec.touch(x, y, e - x, 1);
      inst.fill(0, row + x, row + e);
      n += e - x;
      x = e;
    }
  }
  return n;
}

/** The rect an edit covers (for redrawing after applying or reverting it). */
export function editBounds(edit: MaskEdit): Rect {
  let r: Rect = EMPTY;
  for (const p of edit.patches) r = union(r, { x: p.x, y: p.y, w: p.w, h: p.h });
  return r;
}
