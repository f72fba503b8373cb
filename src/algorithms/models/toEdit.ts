// A model's result on an open image -> ONE undoable MaskEdit: whole-image patches for both layers
// (only those that change) plus instance metadata changes (old instances removed, new ones with
// source "model:<id>" and score). Pure.
import { checkClassFits, replaceEdit } from '../maskOps';
import { makePatch, semanticLike, type InstanceInfo, type LabelMaps, type MaskEdit, type MetaChange, type Patch } from '../../shared/maskModel';
import type { PrelabelResult } from './result';

export function prelabelEdit(maps: LabelMaps, current: ReadonlyMap<number, InstanceInfo>, result: PrelabelResult, modelId: string): MaskEdit {
  if (result.width !== maps.width || result.height !== maps.height) {
    throw new Error(`model result is ${result.width}x${result.height}, the image is ${maps.width}x${maps.height}`);
  }
  const source = `model:${modelId}`;
  const info = result.instanceList.map((i) => ({ id: i.id, class: i.class, source, score: Math.round(i.score * 1e4) / 1e4 }));
  const label = `Pre-label with ${modelId}`;
  return replaceEdit(maps, current, { semantic: result.semantic, instances: result.instances, info }, label) ?? { label, patches: [] };
}

/**
 * A promptable model's mask accepted into the maps: painted with `classId` over the mask's bounding
 * rectangle, and, when `instanceId` is given (a free id), also as that new instance with source
 * "model:<id>" and the predicted IoU as score. Returns null for an empty mask.
 */
export function acceptMaskEdit(maps: LabelMaps, mask: Uint8Array, classId: number, modelId: string, score: number, instanceId?: number): MaskEdit | null {
  if (mask.length !== maps.width * maps.height) throw new Error(`mask has ${mask.length} values, the image ${maps.width}x${maps.height}`);
  checkClassFits(maps.semantic, classId, 'classId');
  if (instanceId !== undefined && (!Number.isInteger(instanceId) || instanceId < 1 || instanceId > 65535)) throw new RangeError(`instanceId=${instanceId} must be an integer 1..65535`);
  let x0 = maps.width, y0 = maps.height, x1 = -1, y1 = -1;
  for (let y = 0; y < maps.height; y++) {
    const row = y * maps.width;
    for (let x = 0; x < maps.width; x++) {
      if (!mask[row + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const sem = semanticLike(maps.semantic, w * h), inst = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y0 + y) * maps.width + x0 + x, j = y * w + x;
      sem[j] = mask[i] ? classId : maps.semantic[i];
      inst[j] = mask[i] && instanceId !== undefined ? instanceId : maps.instances[i];
    }
  }
  const patches: Patch[] = [];
  const ps = makePatch(maps, 'semantic', x0, y0, w, h, sem);
  if (ps) patches.push(ps);
  const pi = instanceId !== undefined ? makePatch(maps, 'instances', x0, y0, w, h, inst) : null;
  if (pi) patches.push(pi);
  const meta: MetaChange[] = instanceId !== undefined
    ? [{ id: instanceId, before: null, after: { id: instanceId, class: classId, source: `model:${modelId}`, score: Math.round(score * 1e4) / 1e4 } }]
    : [];
  return { label: `${modelId} mask`, patches, ...(meta.length ? { meta } : {}) };
}
