// Cityscapes ground truth: `*_gtFine_labelIds.png` (8-bit class ids) and
// `*_gtFine_instanceIds.png` (16-bit: classId * 1000 + k for a thing instance, classId for pixels
// without an instance). In 16 bits, classId * 1000 + k caps instance classes at 65 (65535).
// Pure.
import type { SemanticIds } from '../shared/maskModel';
import { narrowSemantic } from './narrow';

export class CityscapesError extends Error {
  override name = 'CityscapesError';
}

/**
 * The two Cityscapes maps of an image. k is the instance id when every id is at most 999 (so an
 * import gives the same ids back); otherwise instances are numbered 0, 1, ... per class in id
 * order. Throws CityscapesError naming the instance when its class cannot be encoded.
 */
export function toCityscapes(semantic: SemanticIds, instances: Uint16Array, classOf: (id: number) => number, opts: { width?: number; ignoreIndex?: number } = {}): { labelIds: Uint8Array; instanceIds: Uint16Array } {
  // labelIds is 8-bit: 16-bit class ids above 255 are refused by name (the ignore index of a 16-bit dataset is written as 255).
  const ign = opts.ignoreIndex !== undefined && opts.ignoreIndex > 255 ? { from: opts.ignoreIndex, to: 255 } : undefined;
  const labelIds = semantic instanceof Uint16Array ? narrowSemantic(semantic, opts.width ?? semantic.length, { format: 'Cityscapes labelIds', max: 255, ignore: ign }) : semantic.slice();
  const ids = new Set<number>();
  let max = 0;
  for (let i = 0; i < instances.length; i++) if (instances[i]) { ids.add(instances[i]); if (instances[i] > max) max = instances[i]; }
  const code = new Map<number, number>();
  const perClass = new Map<number, number>();
  for (const id of [...ids].sort((a, b) => a - b)) {
    const cls = classOf(id);
    if (cls > 65) throw new CityscapesError(`instance ${id} has class ${cls}: Cityscapes instanceIds hold classId*1000+k in 16 bits, so classes above 65 cannot carry instances (renumber the class or export another format)`);
    const k = max <= 999 ? id : (perClass.get(cls) ?? 0);
    perClass.set(cls, (perClass.get(cls) ?? 0) + 1);
    const v = cls * 1000 + k;
    if (v > 65535) throw new CityscapesError(`instance ${id} of class ${cls} needs instanceId ${v}, above 65535 (class 65 holds at most 536 instances)`);
    code.set(id, v);
  }
  const instanceIds = new Uint16Array(semantic.length);
  for (let i = 0; i < semantic.length; i++) instanceIds[i] = instances[i] ? (code.get(instances[i]) as number) : labelIds[i];
  return { labelIds, instanceIds };
}

/** Instances of an instanceIds map: raw value -> class and k (values below 1000 are not instances). */
export function cityscapesInstances(instanceIds: ArrayLike<number>): Map<number, { cls: number; k: number }> {
  const out = new Map<number, { cls: number; k: number }>();
  for (let i = 0; i < instanceIds.length; i++) {
    const v = instanceIds[i];
    if (v >= 1000 && !out.has(v)) out.set(v, { cls: Math.floor(v / 1000), k: v % 1000 });
  }
  return out;
}
