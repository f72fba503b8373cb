// DB text detector (PaddleOCR PP-OCR det) post-processing: probability map -> text mask and one
// instance per text region. Pure.
//
// Recipe (PaddleOCR DBPostProcess, defaults kept): binarise prob > `threshold` (0.3); each 8-connected
// region is a candidate; drop it when its mean probability is below `boxThreshold` (0.6) or its box's
// short side is below `minSize` (3 px, source pixels); then "unclip": the detector predicts shrunk
// regions, so each region grows by d = area * unclipRatio / perimeter (unclipRatio 1.5). PaddleOCR offsets
// the region's rotated box polygon by d with round joins; here the region's pixels are dilated by a disk
// of radius d, which matches it for box-like regions and keeps the region's shape otherwise.
import { labelComponents } from './components';
import type { Geometry } from './geometry';
import { sampleAtSource, type FloatTensor } from './preprocess';
import { emptyResult, expectDims, type DatasetTarget, type PrelabelResult, type ResultInstance } from './result';

export interface TextDbOptions extends DatasetTarget {
  /** Pixel threshold on the probability map (default 0.3). */
  readonly threshold?: number;
  /** Minimum mean probability of a region (default 0.6). */
  readonly boxThreshold?: number;
  /** Minimum short side of a region's box in source pixels (default 3). */
  readonly minSize?: number;
  /** Growth of each region: d = area * unclipRatio / perimeter (default 1.5; 0 = none). */
  readonly unclipRatio?: number;
  /** At most this many regions, highest mean probability first (default 65535). */
  readonly maxInstances?: number;
}

export function decodeTextDb(prob: FloatTensor, g: Geometry, textClass: number, backgroundId: number, opts: TextDbOptions = {}, outputName = 'output'): PrelabelResult {
  expectDims(outputName, prob.dims, [1, 1, null, null], 'text (DB)');
  const threshold = opts.threshold ?? 0.3, boxThreshold = opts.boxThreshold ?? 0.6, minSize = opts.minSize ?? 3;
  const unclip = opts.unclipRatio ?? 1.5, maxInstances = Math.min(opts.maxInstances ?? 65535, 65535);
  for (const [k, v] of Object.entries({ threshold, boxThreshold })) if (!(v >= 0 && v <= 1)) throw new RangeError(`${k}=${v} must be in 0..1`);
  if (!(unclip >= 0)) throw new RangeError(`unclipRatio=${unclip} must be >= 0`);
  const [, , mh, mw] = prob.dims;
  const W = g.srcW, H = g.srcH;
  const p = new Float32Array(W * H);
  sampleAtSource(prob.data, mw, mh, g, (i, v) => { p[i] = v; });
  const bin = new Uint8Array(W * H);
  for (let i = 0; i < p.length; i++) bin[i] = p[i] > threshold ? 1 : 0;
  const { labels, components } = labelComponents(bin, W, H, p);
  const kept = components
    .filter((c) => c.meanScore >= boxThreshold && Math.min(c.x1 - c.x0, c.y1 - c.y0) >= minSize)
    .sort((a, b) => b.meanScore - a.meanScore || a.label - b.label)
    .slice(0, maxInstances);
  const res = emptyResult(W, H, backgroundId, opts.semanticBits);
  const list: ResultInstance[] = [];
  kept.forEach((c, k) => {
    const id = k + 1;
    list.push({ id, class: textClass, score: c.meanScore });
    const r = unclip > 0 ? (c.area * unclip) / c.perimeter : 0;
    const ri = Math.floor(r);
    const bx0 = Math.max(0, c.x0 - ri), by0 = Math.max(0, c.y0 - ri), bx1 = Math.min(W, c.x1 + ri), by1 = Math.min(H, c.y1 + ri);
    // Disk offsets within radius r.
    const offs: number[] = [];
    for (let dy = -ri; dy <= ri; dy++) for (let dx = -ri; dx <= ri; dx++) if (dx * dx + dy * dy <= r * r) offs.push(dx, dy);
    for (let y = c.y0; y < c.y1; y++) {
      for (let x = c.x0; x < c.x1; x++) {
        if (labels[y * W + x] !== c.label) continue;
        // Only boundary pixels need to stamp the disk; interior ones are covered by their neighbours' disks.
        const interior = x > 0 && y > 0 && x < W - 1 && y < H - 1
          && labels[y * W + x - 1] === c.label && labels[y * W + x + 1] === c.label
          && labels[(y - 1) * W + x] === c.label && labels[(y + 1) * W + x] === c.label;
        const o = interior ? [0, 0] : offs;
        for (let j = 0; j < o.length; j += 2) {
          const xx = x + o[j], yy = y + o[j + 1];
          if (xx < bx0 || yy < by0 || xx >= bx1 || yy >= by1) continue;
          const q = yy * W + xx;
          if (res.instances[q] === 0) { res.instances[q] = id; res.semantic[q] = textClass; }
        }
      }
    }
  });
  res.instanceList.push(...list);
  return res;
}
