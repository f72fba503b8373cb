// Turns a label diff or an agreement into what the editor's change layer shows (pure).
import type { CompareLayer, CompareRow } from '../shared/protocol';
import type { SemanticIds } from '../shared/maskModel';
import type { ImageAgreement } from './agreement';
import type { LabelDiff } from './labelDiff';

export function layerFromDiff(title: string, beforeLabel: string, afterLabel: string, before: SemanticIds, d: LabelDiff, showBefore = false): CompareLayer {
  const rows: CompareRow[] = Object.entries(d.classes).map(([id, c]) => ({ id: Number(id), before: c.before, after: c.after, intersection: c.intersection, iou: c.iou }));
  const i = d.instances;
  const summary = `Instances: ${i.added.length} added, ${i.removed.length} removed, ${i.changed.length} changed.`;
  return { title, beforeLabel, afterLabel, before, changedPixels: d.changedPixels, rows, summary, ...(showBefore ? { showBefore } : {}) };
}

/** A model's prediction as the other version: the table carries IoU and Dice per class. */
export function layerFromAgreement(title: string, prediction: SemanticIds, current: SemanticIds, a: ImageAgreement): CompareLayer {
  let changed = 0;
  for (let i = 0; i < current.length; i++) if (prediction[i] !== current[i]) changed++;
  const rows: CompareRow[] = Object.entries(a.classes).map(([id, c]) => ({ id: Number(id), before: c.tp + c.fp, after: c.tp + c.fn, intersection: c.tp, iou: c.iou, dice: c.dice }));
  return { title, beforeLabel: 'model', afterLabel: 'masks', before: prediction, changedPixels: changed, rows, summary: `Mean IoU ${a.meanIoU.toFixed(3)}, mean Dice ${a.meanDice.toFixed(3)} (classes other than background).` };
}
