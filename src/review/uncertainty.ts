// Per-image uncertainty of a model's draft, from the model's own outputs (pure). Recorded by
// pre-labelling in the sidecar (prelabel.uncertainty) so the review queue can rank drafts.
//
// The measure, for per-pixel families (text, salient, semantic): the share of the labelled area
// whose decision has a low margin,
//     low-margin pixels / (pixels the model labelled as a class  ∪  low-margin pixels),
// where a pixel's margin is the difference between its two highest class probabilities (for a
// one-map model: foreground p against background 1 - p, i.e. |2p - 1|) and "low" is below 0.5
// (the winner has under 75 % of a two-way vote). Why this and not mean entropy or a whole-image
// fraction: the margin is what the argmax or threshold decision hinges on, so a low-margin pixel is
// one the model could as well have labelled otherwise; normalising by the labelled area (not the
// image) keeps an image with one small, doubtful object from looking certain because of its large,
// easy background, and keeps the value in 0..1 for any number of classes (entropy depends on it).
// 0: every labelled pixel is confident; near 1: most of what was labelled is a coin toss.
// Measured on the model's output grid inside the image's content area (padding excluded).
//
// For the instance family (YOLO-seg) the per-pixel maps are per-detection sigmoids that are
// cropped and thresholded, so the measure is 1 - the area-weighted mean detection score instead.
import type { Geometry } from '../algorithms/models/geometry';
import type { FloatTensor } from '../algorithms/models/preprocess';
import type { PrelabelResult } from '../algorithms/models/result';

export interface Uncertainty {
  /** Which measure `value` is (see the top of this file). */
  readonly measure: 'low-margin-share' | 'instance-score';
  /** 0 (confident) .. 1 (uncertain), 4 decimals. */
  readonly value: number;
}

export const LOW_MARGIN = 0.5;

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** Content area of the output grid: the image's part of an output of size mw x mh. */
function contentBox(g: Geometry, mw: number, mh: number): { x0: number; y0: number; x1: number; y1: number } {
  const sx = mw / g.dstW, sy = mh / g.dstH;
  const x0 = Math.max(0, Math.floor(g.padX * sx)), y0 = Math.max(0, Math.floor(g.padY * sy));
  const x1 = Math.min(mw, Math.ceil((g.padX + g.contentW) * sx)), y1 = Math.min(mh, Math.ceil((g.padY + g.contentH) * sy));
  return { x0, y0, x1, y1 };
}

/** One probability (or logit) map [1, 1, h, w] decided at `threshold`. */
export function binaryUncertainty(map: FloatTensor, g: Geometry, threshold: number, logits = false): Uncertainty {
  const [, , mh, mw] = map.dims;
  const b = contentBox(g, mw, mh);
  let low = 0, area = 0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const v = map.data[y * mw + x];
      const p = logits ? 1 / (1 + Math.exp(-v)) : v;
      const isLow = Math.abs(2 * p - 1) < LOW_MARGIN;
      if (isLow) low++;
      if (isLow || p > threshold) area++;
    }
  }
  return { measure: 'low-margin-share', value: area ? r4(low / area) : 0 };
}

/**
 * Per-class scores [1, C, h, w]: softmax of logits ('argmax') or independent probabilities
 * ('sigmoid' logits / 'probability'); `labelled[c]` says whether channel c maps to a class other than
 * background.
 */
export function multiClassUncertainty(out: FloatTensor, g: Geometry, labelled: readonly boolean[], activation: 'argmax' | 'sigmoid' | 'probability' = 'argmax', threshold = 0.5): Uncertainty {
  const [, C, mh, mw] = out.dims;
  const plane = mw * mh;
  const b = contentBox(g, mw, mh);
  let low = 0, area = 0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const i = y * mw + x;
      let best = -Infinity, second = -Infinity, bc = -1;
      for (let c = 0; c < C; c++) {
        const v = out.data[c * plane + i];
        if (v > best) { second = best; best = v; bc = c; } else if (v > second) second = v;
      }
      let margin: number, fg: boolean;
      if (activation === 'argmax') {
        // softmax p1 - p2 = (1 - e^(s2 - s1)) / sum_c e^(s_c - s1)
        let sum = 0;
        for (let c = 0; c < C; c++) sum += Math.exp(out.data[c * plane + i] - best);
        margin = C > 1 ? (1 - Math.exp(second - best)) / sum : 1;
        fg = labelled[bc] === true;
      } else {
        const p = activation === 'sigmoid' ? 1 / (1 + Math.exp(-best)) : best;
        margin = Math.abs(2 * p - 1);
        fg = p > threshold && labelled[bc] === true;
      }
      const isLow = margin < LOW_MARGIN;
      if (isLow) low++;
      if (isLow || fg) area++;
    }
  }
  return { measure: 'low-margin-share', value: area ? r4(low / area) : 0 };
}

/** Instance models: 1 - the mean detection score weighted by each instance's area. */
export function instanceUncertainty(r: PrelabelResult): Uncertainty {
  const area = new Float64Array(65536);
  for (let i = 0; i < r.instances.length; i++) if (r.instances[i]) area[r.instances[i]]++;
  let w = 0, s = 0;
  for (const inst of r.instanceList) { w += area[inst.id]; s += area[inst.id] * inst.score; }
  return { measure: 'instance-score', value: w ? r4(1 - s / w) : 0 };
}

/** The family's measure for one pre-labelled image (`labelledChannel[c]`: channel c maps to a non-background class). */
export function modelUncertainty(
  family: string, postprocess: Readonly<Record<string, unknown>>, outputs: readonly FloatTensor[], g: Geometry,
  result: PrelabelResult, labelledChannel: readonly boolean[],
): Uncertainty | undefined {
  const num = (k: string, d: number): number => (typeof postprocess[k] === 'number' ? (postprocess[k] as number) : d);
  switch (family) {
    case 'text': return binaryUncertainty(outputs[0], g, num('threshold', 0.3));
    case 'salient': return binaryUncertainty(outputs[0], g, num('threshold', 0.5), postprocess.logits === true);
    case 'semantic': {
      const act = postprocess.activation === 'sigmoid' || postprocess.activation === 'probability' ? postprocess.activation : 'argmax';
      return multiClassUncertainty(outputs[0], g, labelledChannel, act, num('threshold', 0.5));
    }
    case 'instance': return instanceUncertainty(result);
    default: return undefined;
  }
}
