// The uncertainty of a model's draft, as batch pre-labelling records it (uncertainty.ts has the measures).
import { buildClassMap } from '../algorithms/models/classMap';
import type { Geometry } from '../algorithms/models/geometry';
import type { FloatTensor } from '../algorithms/models/preprocess';
import type { PrelabelResult } from '../algorithms/models/result';
import type { ModelEntry } from '../inference/manifest';
import type { MapOptions } from '../inference/runner';
import { modelUncertainty, type Uncertainty } from './uncertainty';

/** Never throws: a measure that cannot be taken is left out (undefined), the draft is still written. */
export function draftUncertainty(e: ModelEntry, outputs: readonly FloatTensor[], g: Geometry, r: PrelabelResult, map: MapOptions): Uncertainty | undefined {
  try {
    const pp = { ...(e.postprocess ?? {}), ...(map.postprocess ?? {}) };
    const cm = buildClassMap(e.id, e.classes, map.config, { mapping: map.classMap, fallbackClass: map.fallbackClass });
    const labelled = Array.from(cm, (c) => c >= 0 && c !== map.config.backgroundId);
    return modelUncertainty(e.family, pp, outputs, g, r, labelled);
  } catch {
    return undefined;
  }
}
