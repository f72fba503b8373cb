// `maskwright morph`: morphology on one class of the saved mask.
import { UsageError, type CliCommand } from '../command';
import { close, dilate, erode, fillHoles, open, removeSmallObjects } from '../../algorithms/classical';
import { COMMON_HELP, COMMON_OPTIONS, choiceArg, intArg, mergeClass, runClassical } from './classicalJob';
import { classMask } from '../../algorithms/maskOps';

const OPS = ['open', 'close', 'erode', 'dilate', 'fill-holes', 'remove-small'] as const;

export const morphCommand: CliCommand = {
  name: 'morph',
  summary: 'Morphology (open, close, erode, dilate, fill holes, remove small objects) on a class',
  help: [
    'usage: maskwright morph IMAGE|DIR... --op OP [--shape square|disk] [--radius R] [--min-size N] [options]',
    '',
    'Applies OP to the pixels of --class in STEM.mask.png and writes the mask back.',
    '',
    'Options:',
    '  --op OP           open, close, erode, dilate, fill-holes, remove-small (required)',
    '  --shape S         square or disk (default disk)',
    '  --radius R        element radius 0..64 (default 1)',
    '  --min-size N      remove-small: objects under N pixels go (default 64)',
    ...COMMON_HELP,
    '',
    'JSON fields: image, op, before, after (class pixels), written.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, op: { type: 'string' }, shape: { type: 'string' }, radius: { type: 'string' }, 'min-size': { type: 'string' } },
  run(values, positionals, io) {
    if (values.op === undefined) throw new UsageError('--op is required');
    const op = choiceArg(values, 'op', 'open', OPS);
    const shape = choiceArg(values, 'shape', 'disk', ['square', 'disk'] as const);
    const radius = intArg(values, 'radius', 1, 0, 64), minSize = intArg(values, 'min-size', 64, 0, Number.MAX_SAFE_INTEGER);
    return runClassical('morph', values, positionals, io, async ({ masks, config, cls }) => {
      const saved = await masks();
      const { width, height } = saved.maps;
      const img = { data: classMask(saved.maps.semantic, cls), width, height };
      if (!saved.existing.mask) return { summary: { op, before: 0, after: 0 }, params: {}, nothing: 'the image has no saved mask to clean up' };
      let out: Uint8Array;
      if (op === 'fill-holes') out = fillHoles(img);
      else if (op === 'remove-small') out = removeSmallObjects(img, { minSize }).mask;
      else out = { open, close, erode, dilate }[op](img, { shape, radius });
      const count = (a: Uint8Array): number => { let n = 0; for (let i = 0; i < a.length; i++) if (a[i]) n++; return n; };
      return { summary: { op, before: count(img.data), after: count(out) }, semantic: mergeClass(saved.maps.semantic, out, cls, config.backgroundId), params: { op, shape, radius, minSize } };
    });
  },
};
