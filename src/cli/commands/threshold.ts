// `maskwright threshold`: fixed, Otsu, multi-level Otsu or adaptive threshold into a class.
import { UsageError, type CliCommand } from '../command';
import { adaptiveThreshold, multiOtsu, otsu, threshold } from '../../algorithms/classical';
import { COMMON_HELP, COMMON_OPTIONS, choiceArg, intArg, mergeClass, numArg, runClassical } from './classicalJob';

const METHODS = ['otsu', 'fixed', 'multi-otsu', 'adaptive-mean', 'adaptive-gaussian'] as const;

export const thresholdCommand: CliCommand = {
  name: 'threshold',
  summary: 'Threshold images (Otsu, fixed, multi-level Otsu, adaptive) into a class',
  help: [
    'usage: maskwright threshold IMAGE|DIR... [--method M] [options]',
    '',
    'Pixels whose gray value (OpenCV weights) is above the threshold become --class in',
    'STEM.mask.png; pixels of that class below it become background. Other classes are kept.',
    '',
    'Options:',
    '  --method M        otsu (default), fixed, multi-otsu, adaptive-mean, adaptive-gaussian',
    '  --value T         fixed threshold 0..255 (default 127)',
    '  --classes K       multi-otsu classes 2..5 (default 3); the brightest class is written',
    '  --block-size N    adaptive neighbourhood, odd (default 31)',
    '  --c C             adaptive constant subtracted from the local mean (default 5)',
    '  --invert          foreground = at or below the threshold',
    ...COMMON_HELP,
    '',
    'JSON fields: image, method, threshold (or thresholds), foreground (pixels), written.',
    'Example: maskwright threshold --method otsu --json data/cells',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS, method: { type: 'string' }, value: { type: 'string' }, classes: { type: 'string' },
    'block-size': { type: 'string' }, c: { type: 'string' }, invert: { type: 'boolean' },
  },
  run(values, positionals, io) {
    const method = choiceArg(values, 'method', 'otsu', METHODS);
    const value = intArg(values, 'value', 127, 0, 255);
    const classes = intArg(values, 'classes', 3, 2, 5);
    const blockSize = intArg(values, 'block-size', 31, 3, 255);
    if (blockSize % 2 === 0) throw new UsageError(`--block-size ${blockSize} must be odd`);
    const C = numArg(values, 'c', 5, -255, 255);
    const invert = values.invert === true;
    return runClassical('threshold', values, positionals, io, async ({ gray, masks, config, cls }) => {
      const summary: Record<string, unknown> = { method };
      let fg: Uint8Array;
      const params: Record<string, unknown> = { method, invert };
      if (method === 'otsu') {
        const r = otsu(gray, { invert });
        summary.threshold = r.threshold; fg = r.mask;
      } else if (method === 'fixed') {
        fg = threshold(gray, { threshold: value, invert }); summary.threshold = value; params.value = value;
      } else if (method === 'multi-otsu') {
        const r = multiOtsu(gray, { classes });
        summary.thresholds = r.thresholds; params.classes = classes;
        fg = r.classes.map((c) => ((c === classes - 1) !== invert ? 1 : 0));
      } else {
        fg = adaptiveThreshold(gray, { method: method === 'adaptive-mean' ? 'mean' : 'gaussian', blockSize, C, invert });
        params.blockSize = blockSize; params.C = C;
      }
      let n = 0;
      for (let i = 0; i < fg.length; i++) if (fg[i]) n++;
      summary.foreground = n;
      const saved = await masks();
      return { summary, semantic: mergeClass(saved.maps.semantic, fg, cls, config.backgroundId), params };
    });
  },
};
