// Instance segmentation post-processing for ultralytics YOLO-seg exports (v8 / 11): output0
// [1, 4+nc+nm, N] (cx, cy, w, h in input-tensor pixels, nc class scores, nm mask coefficients;
// [1, N, 4+nc+nm] is accepted too) and output1 [1, nm, ph, pw] prototype masks. Pure.
//
// As ultralytics' predict: score = best class score, keep >= `conf` (0.25), class-aware NMS at
// IoU `iou` (0.7), at most `maxDet` (300); mask = sigmoid(coefficients . prototypes), cropped to
// the box, > 0.5. Masks are sampled bilinearly at source pixel centres through the letterbox
// geometry (padding removed); a pixel claimed by several instances goes to the higher score.
import type { Geometry } from './geometry';
import { sampleAtSource, type FloatTensor } from './preprocess';
import { emptyResult, expectDims, type DatasetTarget, type PrelabelResult } from './result';

export interface YoloSegOptions extends DatasetTarget {
  /** Minimum class score (default 0.25). */
  readonly conf?: number;
  /** NMS IoU threshold (default 0.7). */
  readonly iou?: number;
  /** At most this many instances (default 300). */
  readonly maxDet?: number;
  /** NMS across classes (default false). */
  readonly agnostic?: boolean;
}

export interface Detection {
  /** Box in source pixels (edges), clipped to the image. */
  readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number;
  readonly modelClass: number;
  readonly score: number;
  readonly anchor: number;
}

function iouOf(a: Float32Array, i: number, j: number): number {
  const ix = Math.max(0, Math.min(a[i * 4 + 2], a[j * 4 + 2]) - Math.max(a[i * 4], a[j * 4]));
  const iy = Math.max(0, Math.min(a[i * 4 + 3], a[j * 4 + 3]) - Math.max(a[i * 4 + 1], a[j * 4 + 1]));
  const inter = ix * iy;
  const area = (k: number): number => (a[k * 4 + 2] - a[k * 4]) * (a[k * 4 + 3] - a[k * 4 + 1]);
  const u = area(i) + area(j) - inter;
  return u > 0 ? inter / u : 0;
}

export function decodeYoloSeg(out0: FloatTensor, out1: FloatTensor, g: Geometry, classMap: Int32Array, backgroundId: number, opts: YoloSegOptions = {}, names: readonly [string, string] = ['output0', 'output1']): { result: PrelabelResult; detections: Detection[] } {
  expectDims(names[1], out1.dims, [1, null, null, null], 'instance (YOLO-seg) prototypes');
  expectDims(names[0], out0.dims, [1, null, null], 'instance (YOLO-seg) detections');
  const conf = opts.conf ?? 0.25, iouThr = opts.iou ?? 0.7, maxDet = Math.min(opts.maxDet ?? 300, 65535);
  if (!(conf >= 0 && conf <= 1)) throw new RangeError(`conf=${conf} must be in 0..1`);
  if (!(iouThr > 0 && iouThr <= 1)) throw new RangeError(`iou=${iouThr} must be in (0, 1]`);
  const [, nm, ph, pw] = out1.dims;
  const nc = classMap.length;
  const C = 4 + nc + nm;
  let N: number, at: (row: number, k: number) => number;
  if (out0.dims[1] === C) { N = out0.dims[2]; at = (r, k) => out0.data[r * N + k]; }
  else if (out0.dims[2] === C) { N = out0.dims[1]; at = (r, k) => out0.data[k * C + r]; }
  else throw new Error(`output '${names[0]}' has shape [${out0.dims.join(', ')}]; with ${nc} classes and ${nm} prototypes one axis must be 4+${nc}+${nm}=${C}`);
  // Candidates.
  const cand: { k: number; cls: number; score: number }[] = [];
  for (let k = 0; k < N; k++) {
    let best = -Infinity, cls = -1;
    for (let c = 0; c < nc; c++) { const s = at(4 + c, k); if (s > best) { best = s; cls = c; } }
    if (best >= conf) cand.push({ k, cls, score: best });
  }
  cand.sort((a, b) => b.score - a.score || a.k - b.k);
  const boxes = new Float32Array(cand.length * 4);
  cand.forEach((c, i) => {
    const cx = at(0, c.k), cy = at(1, c.k), w = at(2, c.k), h = at(3, c.k);
    boxes.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], i * 4);
  });
  const keep: number[] = [];
  const dead = new Uint8Array(cand.length);
  for (let i = 0; i < cand.length && keep.length < maxDet; i++) {
    if (dead[i]) continue;
    keep.push(i);
    for (let j = i + 1; j < cand.length; j++) {
      if (!dead[j] && (opts.agnostic || cand[j].cls === cand[i].cls) && iouOf(boxes, i, j) > iouThr) dead[j] = 1;
    }
  }
  const res = emptyResult(g.srcW, g.srcH, backgroundId, opts.semanticBits);
  const detections: Detection[] = [];
  const logits = new Float32Array(ph * pw);
  const sx = pw / g.dstW, sy = ph / g.dstH;
  let nextId = 1;
  for (const i of keep) {
    const c = cand[i];
    const clampX = (v: number): number => Math.min(Math.max(v, 0), g.srcW), clampY = (v: number): number => Math.min(Math.max(v, 0), g.srcH);
    const x0 = clampX((boxes[i * 4] - g.padX) / g.scaleX), y0 = clampY((boxes[i * 4 + 1] - g.padY) / g.scaleY);
    const x1 = clampX((boxes[i * 4 + 2] - g.padX) / g.scaleX), y1 = clampY((boxes[i * 4 + 3] - g.padY) / g.scaleY);
    detections.push({ x0, y0, x1, y1, modelClass: c.cls, score: c.score, anchor: c.k });
    const dataset = classMap[c.cls];
    if (dataset < 0 || x1 <= x0 || y1 <= y0) continue;
    // Mask logits on the prototype grid, over the box (+1 cell for bilinear neighbours).
    const px0 = Math.max(0, Math.floor(boxes[i * 4] * sx) - 1), px1 = Math.min(pw, Math.ceil(boxes[i * 4 + 2] * sx) + 1);
    const py0 = Math.max(0, Math.floor(boxes[i * 4 + 1] * sy) - 1), py1 = Math.min(ph, Math.ceil(boxes[i * 4 + 3] * sy) + 1);
    const coef = new Float32Array(nm);
    for (let m = 0; m < nm; m++) coef[m] = at(4 + nc + m, c.k);
    for (let y = py0; y < py1; y++) {
      for (let x = px0; x < px1; x++) {
        let s = 0;
        const p = y * pw + x;
        for (let m = 0; m < nm; m++) s += coef[m] * out1.data[m * ph * pw + p];
        logits[p] = s;
      }
    }
    const id = nextId++;
    let painted = 0;
    sampleAtSource(logits, pw, ph, g, (q, v) => {
      const x = q % g.srcW, y = (q - x) / g.srcW;
      if (v <= 0 || x + 0.5 <= x0 || x + 0.5 >= x1 || y + 0.5 <= y0 || y + 0.5 >= y1 || res.instances[q] !== 0) return;
      res.instances[q] = id;
      res.semantic[q] = dataset;
      painted++;
    }, { x0: Math.floor(x0), y0: Math.floor(y0), x1: Math.ceil(x1), y1: Math.ceil(y1) });
    if (painted > 0) res.instanceList.push({ id, class: dataset, score: c.score });
    else nextId--;
  }
  return { result: res, detections };
}
