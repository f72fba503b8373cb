// A model's result on an open image -> ONE undoable MaskEdit: whole-image patches for both layers
// (only those that change) plus instance metadata changes (old instances removed, new ones with
// source "model:<id>" and score). Pure.
import { makePatch, type InstanceInfo, type LabelMaps, type MaskEdit, type MetaChange, type Patch } from '../../shared/maskModel';
import type { PrelabelResult } from './result';

export function prelabelEdit(maps: LabelMaps, current: ReadonlyMap<number, InstanceInfo>, result: PrelabelResult, modelId: string): MaskEdit {
  if (result.width !== maps.width || result.height !== maps.height) {
    throw new Error(`model result is ${result.width}x${result.height}, the image is ${maps.width}x${maps.height}`);
  }
  const patches: Patch[] = [];
  const sem = makePatch(maps, 'semantic', 0, 0, maps.width, maps.height, result.semantic);
  if (sem) patches.push(sem);
  const inst = makePatch(maps, 'instances', 0, 0, maps.width, maps.height, result.instances);
  if (inst) patches.push(inst);
  const source = `model:${modelId}`;
  const next = new Map<number, InstanceInfo>(result.instanceList.map((i) => [i.id, { id: i.id, class: i.class, source, score: Math.round(i.score * 1e4) / 1e4 }]));
  const meta: MetaChange[] = [];
  const ids = [...new Set([...current.keys(), ...next.keys()])].sort((a, b) => a - b);
  for (const id of ids) {
    const before = current.get(id) ?? null, after = next.get(id) ?? null;
    const same = before && after && before.class === after.class && before.source === after.source && before.score === after.score;
    if (!same) meta.push({ id, before, after });
  }
  return { label: `Pre-label with ${modelId}`, patches, ...(meta.length ? { meta } : {}) };
}
