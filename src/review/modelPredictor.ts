// A Predictor that runs a model now (in this process, one image at a time), mapping its classes to
// the dataset's as pre-labelling does. The only review module that loads onnxruntime.
import { decodeImage } from '../io/image';
import type { ResolvedModel } from '../inference/manifest';
import type { SessionOptions } from '../inference/providers';
import { getRunner, type MapOptions } from '../inference/runner';
import { fallbackClassFor, type Predictor } from './compareRun';

export function modelPredictor(model: ResolvedModel, opts: SessionOptions = {}): Predictor {
  return async (image, config, configFile) => {
    const runner = await getRunner(model, opts);
    const ref = config.models.find((m) => m.id === model.entry.id);
    const o = ref?.options ?? {};
    const map: MapOptions = {
      config,
      classMap: (o.classMap as MapOptions['classMap']) ?? undefined,
      postprocess: (o.postprocess as MapOptions['postprocess']) ?? undefined,
      fallbackClass: fallbackClassFor(config, configFile),
    };
    const d = await decodeImage(image, { channels: 3 });
    const r = await runner.prelabel({ width: d.width, height: d.height, data: d.data }, map);
    return r.semantic;
  };
}
