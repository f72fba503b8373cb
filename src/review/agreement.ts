// Agreement between saved masks (the reference) and a prediction (pure): per class IoU and Dice from
// the joint histogram of semantic ids, image means, and dataset means. Pixels whose reference is the
// ignore index are left out, as in every segmentation benchmark.
import type { SemanticIds } from '../shared/maskModel';
import { jointCounts, ratio } from './labelDiff';

export interface ClassAgreement {
  /** Pixels of the class in both (true positives). */
  readonly tp: number;
  /** In the prediction only. */
  readonly fp: number;
  /** In the reference only. */
  readonly fn: number;
  readonly iou: number;
  readonly dice: number;
}

export interface ImageAgreement {
  /** By class id; every class present in either map (ignore pixels excluded). */
  readonly classes: Record<string, ClassAgreement>;
  /**
   * Mean IoU / Dice over the non-background classes present in either map: background dominates most
   * images and would make every prediction look good. 1 when neither map has any such class (both
   * say "nothing here").
   */
  readonly meanIoU: number;
  readonly meanDice: number;
  /** Fraction of the compared pixels with the same class. */
  readonly pixelAccuracy: number;
}

export interface AgreementOptions {
  readonly backgroundId: number;
  readonly ignoreIndex: number;
}

function fromCounts(tp: number, fp: number, fn: number): ClassAgreement {
  return { tp, fp, fn, iou: ratio(tp, tp + fp + fn), dice: ratio(2 * tp, 2 * tp + fp + fn) };
}

/** Agreement of one image's prediction with its reference (both semantic maps of one size). */
export function agreement(reference: SemanticIds, prediction: SemanticIds, opts: AgreementOptions, scratch = new Float64Array(65536)): ImageAgreement {
  if (reference.length !== prediction.length) throw new Error(`the prediction has ${prediction.length} pixels but the saved mask ${reference.length}`);
  const tp = new Map<number, number>(), ref = new Map<number, number>(), pred = new Map<number, number>();
  const add = (m: Map<number, number>, k: number, n: number): void => { m.set(k, (m.get(k) ?? 0) + n); };
  let same = 0, total = 0;
  for (const { before: r, after: p, n } of jointCounts(reference, prediction, scratch)) {
    if (r === opts.ignoreIndex) continue;
    total += n; add(ref, r, n); add(pred, p, n);
    if (r === p) { add(tp, r, n); same += n; }
  }
  const classes: Record<string, ClassAgreement> = {};
  let sumIou = 0, sumDice = 0, k = 0;
  for (const c of [...new Set([...ref.keys(), ...pred.keys()])].sort((x, y) => x - y)) {
    if (c === opts.ignoreIndex) continue;
    const t = tp.get(c) ?? 0;
    const a = fromCounts(t, (pred.get(c) ?? 0) - t, (ref.get(c) ?? 0) - t);
    classes[String(c)] = a;
    if (c !== opts.backgroundId) { sumIou += a.iou; sumDice += a.dice; k++; }
  }
  return { classes, meanIoU: k ? Math.round((sumIou / k) * 1e6) / 1e6 : 1, meanDice: k ? Math.round((sumDice / k) * 1e6) / 1e6 : 1, pixelAccuracy: ratio(same, total) };
}

export interface DatasetAgreement {
  readonly images: number;
  /** Means of the images' meanIoU and meanDice. */
  readonly meanIoU: number;
  readonly meanDice: number;
  /** Per class over all pixels of all images (pooled counts), with the number of images it occurs in. */
  readonly classes: Record<string, ClassAgreement & { images: number }>;
}

/** Dataset means of per-image agreements. */
export function datasetAgreement(items: readonly ImageAgreement[]): DatasetAgreement {
  const pooled = new Map<string, { tp: number; fp: number; fn: number; images: number }>();
  let iou = 0, dice = 0;
  for (const it of items) {
    iou += it.meanIoU; dice += it.meanDice;
    for (const [c, a] of Object.entries(it.classes)) {
      const p = pooled.get(c) ?? { tp: 0, fp: 0, fn: 0, images: 0 };
      p.tp += a.tp; p.fp += a.fp; p.fn += a.fn; p.images++;
      pooled.set(c, p);
    }
  }
  const classes: DatasetAgreement['classes'] = {};
  for (const c of [...pooled.keys()].sort((a, b) => Number(a) - Number(b))) {
    const p = pooled.get(c) as { tp: number; fp: number; fn: number; images: number };
    classes[c] = { ...fromCounts(p.tp, p.fp, p.fn), images: p.images };
  }
  const n = items.length;
  return { images: n, meanIoU: n ? Math.round((iou / n) * 1e6) / 1e6 : 1, meanDice: n ? Math.round((dice / n) * 1e6) / 1e6 : 1, classes };
}
