// Semantic segmentation post-processing: per-pixel logits or probabilities [1, C, h, w] -> label
// map in dataset class ids. Scores are sampled bilinearly at each source pixel's centre (through
// the input geometry, so padding is removed), then reduced. Pure.
import type { Geometry } from './geometry';
import { sampleAtSource, type FloatTensor } from './preprocess';
import { emptyResult, expectDims, type DatasetTarget, type PrelabelResult } from './result';

export interface SemanticOptions extends DatasetTarget {
  /**
   * 'argmax' (default): the channel with the highest score wins (softmax is monotonic, so logits work).
   * 'sigmoid': each channel is an independent logit; a pixel takes the highest channel whose sigmoid
   * exceeds `threshold`, else background. 'probability': like 'sigmoid' on values already in 0..1.
   */
  readonly activation?: 'argmax' | 'sigmoid' | 'probability';
  /** For 'sigmoid' / 'probability' (default 0.5). */
  readonly threshold?: number;
}

/**
 * `classMap[c]` is the dataset class id of model channel c, or -1 to leave those pixels background.
 */
export function decodeSemantic(out: FloatTensor, g: Geometry, classMap: Int32Array, backgroundId: number, opts: SemanticOptions = {}, outputName = 'output'): PrelabelResult {
  expectDims(outputName, out.dims, [1, null, null, null], 'semantic');
  const [, C, mh, mw] = out.dims;
  if (classMap.length !== C) throw new Error(`output '${outputName}' has ${C} channels but the model declares ${classMap.length} classes`);
  const act = opts.activation ?? 'argmax';
  const thr = opts.threshold ?? 0.5;
  if (act !== 'argmax' && act !== 'sigmoid' && act !== 'probability') throw new Error(`activation '${String(act)}' is unknown (argmax, sigmoid, probability)`);
  if (!(thr >= 0 && thr <= 1)) throw new RangeError(`threshold=${thr} must be in 0..1`);
  const res = emptyResult(g.srcW, g.srcH, backgroundId, opts.semanticBits);
  const plane = mw * mh;
  const best = new Float32Array(g.srcW * g.srcH).fill(-Infinity);
  const bestC = new Int16Array(g.srcW * g.srcH).fill(-1);
  const cut = act === 'sigmoid' ? Math.log(thr / (1 - thr)) : thr;
  for (let c = 0; c < C; c++) {
    const chan = out.data.subarray(c * plane, (c + 1) * plane);
    sampleAtSource(chan, mw, mh, g, (i, v) => {
      if (act !== 'argmax' && !(v > cut)) return;
      if (v > best[i]) { best[i] = v; bestC[i] = c; }
    });
  }
  for (let i = 0; i < bestC.length; i++) {
    const c = bestC[i];
    if (c >= 0 && classMap[c] >= 0) res.semantic[i] = classMap[c];
  }
  return res;
}
