// `maskwright compare DIR --model ID | --pred DIR2 [--json]`: agreement of saved masks with a model.
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { CliCommand } from '../command';
import { UsageError } from '../command';
import { findModel } from '../../inference/manifest';
import { parseDevice } from '../../inference/providers';
import { disposeRunners } from '../../inference/runner';
import { cliConfigBoundary } from '../../dataset/scan';
import { compareDataset, folderPredictor } from '../../review/compareRun';
import { modelPredictor } from '../../review/modelPredictor';
import { cliModels } from './models';

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'Agreement (IoU, Dice) of saved masks with a model\'s prediction, per image and class',
  help: [
    'usage: maskwright compare DIR --model ID | --pred DIR2 [--recursive] [--json] [--no-cache]',
    '',
    'For every image of DIR with saved masks: IoU and Dice per class between the saved semantic mask',
    'and a prediction, made now by a model (nothing is written beside the images) or read from the',
    'masks at the same relative path in DIR2. Pixels marked ignore in the saved mask are left out.',
    'An image\'s mean is over the classes other than background present in either map (1 when',
    'neither has one); the dataset means are the means of the images\' means, and each class\'s',
    'dataset IoU/Dice pools its pixels over all images. The per-image means are kept in',
    'DIR/.maskwright/agreement.json so `maskwright queue` can rank by them.',
    '',
    'Options:',
    '  --model ID        run this model (see `maskwright models`)',
    '  --pred DIR2       read predictions from masks in DIR2',
    '  --device D        auto (default), cuda, webgpu or cpu (with --model)',
    '  --recursive       descend into sub-folders',
    '  --no-cache        do not write DIR/.maskwright/agreement.json',
    '  --models-file F   extra model entries (JSON); default $MASKWRIGHT_MODELS',
    '  --json            {"with","images":[{"image","meanIoU","meanDice","pixelAccuracy","classes":{"<id>":',
    '                    {"tp","fp","fn","iou","dice"}}}],"skipped":[{"image","reason"}],"dataset":',
    '                    {"images","meanIoU","meanDice","classes"}}',
    '',
    'Exit codes: 0 compared, 1 error or no image could be compared, 2 bad arguments.',
  ].join('\n'),
  options: {
    model: { type: 'string' }, pred: { type: 'string' }, device: { type: 'string' }, recursive: { type: 'boolean' },
    'no-cache': { type: 'boolean' }, 'models-file': { type: 'string' }, json: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one folder');
    if ((values.model === undefined) === (values.pred === undefined)) throw new UsageError('give either --model ID or --pred DIR2');
    const root = path.resolve(positionals[0]);
    const st = await fsp.stat(root).catch(() => null);
    if (!st?.isDirectory()) throw new UsageError(`${positionals[0]} is not a folder`);
    const stopAt = await cliConfigBoundary(positionals);
    let predict, what: string;
    if (values.pred !== undefined) {
      const pred = path.resolve(String(values.pred));
      if (!(await fsp.stat(pred).catch(() => null))?.isDirectory()) throw new UsageError(`--pred ${String(values.pred)} is not a folder`);
      predict = folderPredictor(root, pred, stopAt);
      what = `pred:${path.relative(process.cwd(), pred) || '.'}`;
    } else {
      let device;
      try { device = parseDevice(values.device); } catch (e) { throw new UsageError((e as Error).message); }
      const { models, problems } = cliModels(values['models-file'] as string | undefined);
      for (const p of problems) io.err(`warning: ${p}`);
      const model = findModel(models, String(values.model));
      predict = modelPredictor(model, { device });
      what = `model:${model.entry.id}`;
    }
    let last = 0;
    try {
      const r = await compareDataset({
        dirs: [root], recursive: values.recursive === true, stopAt, with: what, predict, signal: io.signal, saveCache: values['no-cache'] !== true,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 1000 && done < total) return;
          last = now;
          io.err(`${done}/${total}`);
        },
      });
      const rel = (f: string): string => path.relative(process.cwd(), f) || f;
      if (values.json) {
        io.out(JSON.stringify({ with: r.with, images: r.images.map((i) => ({ ...i, image: rel(i.image) })), skipped: r.skipped.map((s) => ({ ...s, image: rel(s.image) })), dataset: r.dataset }));
      } else {
        io.out(`agreement with ${r.with}: ${r.images.length} image(s), mean IoU ${r.dataset.meanIoU.toFixed(4)}, mean Dice ${r.dataset.meanDice.toFixed(4)}`);
        for (const i of r.images) {
          const per = Object.entries(i.classes).map(([c, a]) => `${c}: iou ${a.iou.toFixed(3)} dice ${a.dice.toFixed(3)}`).join(', ');
          io.out(`  ${rel(i.image)}: mIoU ${i.meanIoU.toFixed(4)} mDice ${i.meanDice.toFixed(4)}  [${per}]`);
        }
        for (const [c, a] of Object.entries(r.dataset.classes)) io.out(`  class ${c}: iou ${a.iou.toFixed(4)} dice ${a.dice.toFixed(4)} over ${a.images} image(s)`);
        for (const s of r.skipped) io.out(`  skipped ${rel(s.image)}: ${s.reason}`);
      }
      if (r.cancelled) return 130;
      return r.images.length === 0 ? 1 : 0;
    } finally {
      await disposeRunners();
    }
  },
};
