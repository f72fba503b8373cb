// `maskwright edges`: Canny edge pixels (optionally thickened) into a class.
import type { CliCommand } from '../command';
import { canny, dilate, gaussianBlur } from '../../algorithms/classical';
import { COMMON_HELP, COMMON_OPTIONS, intArg, mergeClass, numArg, runClassical } from './classicalJob';

export const edgesCommand: CliCommand = {
  name: 'edges',
  summary: 'Canny edges into a class (outlines)',
  help: [
    'usage: maskwright edges IMAGE|DIR... [--low L] [--high H] [--l2] [--blur K] [--thickness R] [options]',
    '',
    'Canny edge pixels (same edges as OpenCV Canny, aperture 3) become --class in STEM.mask.png.',
    '',
    'Options:',
    '  --low L           low hysteresis threshold (default 50)',
    '  --high H          high hysteresis threshold (default 150)',
    '  --l2              L2 gradient magnitude (default L1)',
    '  --blur K          Gaussian blur of odd size K first (default 0 = none)',
    '  --thickness R     dilate the edges by a disk of radius R (default 0)',
    ...COMMON_HELP,
    '',
    'JSON fields: image, edges (edge pixels before thickening), written.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, low: { type: 'string' }, high: { type: 'string' }, l2: { type: 'boolean' }, blur: { type: 'string' }, thickness: { type: 'string' } },
  run(values, positionals, io) {
    const low = numArg(values, 'low', 50, 0, 100000), high = numArg(values, 'high', 150, 0, 100000);
    const blur = intArg(values, 'blur', 0, 0, 63), thick = intArg(values, 'thickness', 0, 0, 64);
    const l2 = values.l2 === true;
    return runClassical('edges', values, positionals, io, async ({ gray, masks, config, cls }) => {
      const src = blur > 1 ? { ...gray, data: gaussianBlur(gray, { ksize: blur | 1 }) } : gray;
      let e = canny(src, { low, high, l2 });
      let n = 0;
      for (let i = 0; i < e.length; i++) if (e[i]) n++;
      if (thick > 0) e = dilate({ ...gray, data: e }, { shape: 'disk', radius: thick });
      const saved = await masks();
      return { summary: { edges: n }, semantic: mergeClass(saved.maps.semantic, e, cls, config.backgroundId), params: { low, high, l2, blur, thickness: thick } };
    });
  },
};
