// Salient-object / foreground post-processing: one probability (or logit) map [1, 1, h, w] -> a
// foreground mask in one dataset class, optionally one instance per connected region. Pure.
import { labelComponents } from './components';
import type { Geometry } from './geometry';
import { sampleAtSource, type FloatTensor } from './preprocess';
import { emptyResult, expectDims, type DatasetTarget, type PrelabelResult } from './result';

export interface SalientOptions extends DatasetTarget {
  /** Foreground where the probability exceeds this (default 0.5). */
  readonly threshold?: number;
  /** The map holds logits: apply a sigmoid first (default false). */
  readonly logits?: boolean;
  /** Regions smaller than this many source pixels are dropped (default 0). */
  readonly minArea?: number;
  /** Make each connected region an instance (default false: semantic only). */
  readonly instances?: boolean;
}

export function decodeSalient(out: FloatTensor, g: Geometry, classId: number, backgroundId: number, opts: SalientOptions = {}, outputName = 'output'): PrelabelResult {
  expectDims(outputName, out.dims, [1, 1, null, null], 'salient');
  const thr = opts.threshold ?? 0.5, minArea = opts.minArea ?? 0;
  if (!(thr > 0 && thr < 1)) throw new RangeError(`threshold=${thr} must be in (0, 1)`);
  const cut = opts.logits ? Math.log(thr / (1 - thr)) : thr;
  const [, , mh, mw] = out.dims;
  const W = g.srcW, H = g.srcH;
  const fg = new Uint8Array(W * H);
  const prob = new Float32Array(W * H);
  sampleAtSource(out.data, mw, mh, g, (i, v) => {
    prob[i] = opts.logits ? 1 / (1 + Math.exp(-v)) : v;
    fg[i] = v > cut ? 1 : 0;
  });
  const res = emptyResult(W, H, backgroundId, opts.semanticBits);
  const { labels, components } = labelComponents(fg, W, H, prob);
  const kept = components.filter((c) => c.area >= minArea).sort((a, b) => b.meanScore - a.meanScore || a.label - b.label).slice(0, 65535);
  const idOf = new Int32Array(components.length + 1);
  kept.forEach((c, k) => { idOf[c.label] = k + 1; });
  for (let i = 0; i < labels.length; i++) {
    const id = idOf[labels[i]];
    if (!id) continue;
    res.semantic[i] = classId;
    if (opts.instances) res.instances[i] = id;
  }
  if (opts.instances) kept.forEach((c, k) => res.instanceList.push({ id: k + 1, class: classId, score: c.meanScore }));
  return res;
}
