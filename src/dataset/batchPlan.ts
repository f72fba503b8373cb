// Which images a batch pre-label may (re)write: resume and hand-edit protection.
// - Masks marked reviewed, or not produced by a model (no sidecar, or a prelabel source that is not
//   "model:..."), are never overwritten unless `overwrite`.
// - Resume: masks this model already wrote, complete (mask + sidecar, + instances when the sidecar
//   lists any) and newer than the image, are skipped (unless `overwrite`).
import { promises as fsp } from 'node:fs';
import { maskFilesFor } from '../io/masks';
import type { DatasetConfig } from '../shared/config';
import { parseSidecar } from '../shared/sidecar';

export type PlanDecision =
  | { run: true; reason: 'new' | 'stale' | 'overwrite' | 'model draft' }
  | { run: false; reason: 'reviewed' | 'edited by hand' | 'up to date' };

async function mtimeOf(file: string): Promise<number | null> {
  try { return (await fsp.stat(file)).mtimeMs; } catch { return null; }
}

export async function planImage(image: string, config: DatasetConfig, modelId: string, overwrite: boolean): Promise<PlanDecision> {
  const files = maskFilesFor(image, config);
  const [img, mask, inst, side] = await Promise.all([mtimeOf(image), mtimeOf(files.mask), mtimeOf(files.instances), mtimeOf(files.sidecar)]);
  if (img === null) throw new Error(`${image}: cannot read the image file`);
  if (mask === null && inst === null && side === null) return { run: true, reason: 'new' };
  if (overwrite) return { run: true, reason: 'overwrite' };
  if (side === null) return { run: false, reason: 'edited by hand' };
  let sidecar;
  try { sidecar = parseSidecar(await fsp.readFile(files.sidecar, 'utf8'), files.sidecar); } catch { return { run: false, reason: 'edited by hand' }; }
  if (sidecar.reviewed) return { run: false, reason: 'reviewed' };
  const source = sidecar.prelabel?.source ?? '';
  if (!source.startsWith('model:')) return { run: false, reason: 'edited by hand' };
  const needsInstances = sidecar.instances.length > 0;
  const complete = mask !== null && (!needsInstances || inst !== null);
  const newest = Math.min(mask ?? 0, side, needsInstances ? inst ?? 0 : Infinity);
  if (complete && source === `model:${modelId}` && newest >= img) return { run: false, reason: 'up to date' };
  return { run: true, reason: complete ? 'stale' : 'model draft' };
}
