// A Predictor that runs a model now (in this process, one image at a time), mapping its classes to
// the dataset's as pre-labelling does. The only review module that loads onnxruntime.
import { decodeImage } from '../io/image';
import type { ResolvedModel } from '../inference/manifest';
import type { SessionOptions } from '../inference/providers';
import { datasetMapOptions, getRunner } from '../inference/runner';
import type { Predictor } from './compareRun';

export function modelPredictor(model: ResolvedModel, opts: SessionOptions = {}): Predictor {
  return async (image, config, configFile) => {
    const runner = await getRunner(model, opts);
    const map = datasetMapOptions(model.entry.id, config, configFile);
    const d = await decodeImage(image, { channels: 3 });
    const r = await runner.prelabel({ width: d.width, height: d.height, data: d.data }, map);
    return r.semantic;
  };
}
