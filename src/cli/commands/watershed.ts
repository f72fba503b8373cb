// `maskwright watershed`: split the touching objects of one class of the saved mask (or of the
// Otsu foreground when the image has no mask) into instances: distance-transform peaks as
// markers, watershed of the negated distance.
import type { CliCommand } from '../command';
import { otsu, splitTouching } from '../../algorithms/classical';
import { classMask } from '../../algorithms/maskOps';
import type { InstanceInfo } from '../../shared/maskModel';
import { COMMON_HELP, COMMON_OPTIONS, choiceArg, intArg, mergeClass, runClassical } from './classicalJob';

export const watershedCommand: CliCommand = {
  name: 'watershed',
  summary: 'Split touching objects of a class into instances (distance-peak watershed)',
  help: [
    'usage: maskwright watershed IMAGE|DIR... [--from mask|otsu] [--min-distance D] [options]',
    '',
    'Markers are the maxima of the Euclidean distance transform of the class mask (at least',
    '--min-distance apart); a watershed of the negated distance splits the class into instances',
    '(STEM.instances.png, sidecar source tool:watershed). Other classes and their instances are kept.',
    '',
    'Options:',
    '  --from S          mask: pixels of --class in STEM.mask.png (default);',
    '                    otsu: the Otsu foreground of the image (also written as --class)',
    '  --min-distance D  minimum peak spacing in pixels (default 5)',
    ...COMMON_HELP,
    '',
    'JSON fields: image, count (instances), written.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, from: { type: 'string' }, 'min-distance': { type: 'string' } },
  run(values, positionals, io) {
    const from = choiceArg(values, 'from', 'mask', ['mask', 'otsu'] as const);
    const minDistance = intArg(values, 'min-distance', 5, 1, 256);
    return runClassical('watershed', values, positionals, io, async ({ gray, masks, config, cls }) => {
      const saved = await masks();
      const fg = from === 'otsu' ? otsu(gray).mask : classMask(saved.maps.semantic, cls);
      if (from === 'mask' && !fg.some((v) => v !== 0)) {
        return { summary: { count: 0 }, params: {}, nothing: `the saved mask has no pixels of class ${cls} to split (label them first, or use --from otsu)` };
      }
      const { labels, count } = splitTouching({ ...gray, data: fg }, { minDistance });
      // keep the instances of other classes; renumber ours after them
      const old = saved.maps.instances;
      const keep = saved.instanceInfo.filter((i) => i.class !== cls);
      const keepIds = new Set(keep.map((i) => i.id));
      let next = keep.reduce((m, i) => Math.max(m, i.id), 0);
      if (next + count > 65535) throw new Error(`${count} instances do not fit the 16-bit instance map`);
      const map = new Uint16Array(old.length);
      for (let i = 0; i < map.length; i++) map[i] = labels[i] ? next + labels[i] : keepIds.has(old[i]) ? old[i] : 0;
      const info: InstanceInfo[] = [...keep];
      for (let l = 1; l <= count; l++) info.push({ id: next + l, class: cls, source: 'tool:watershed' });
      next += count;
      const semantic = from === 'otsu' ? mergeClass(saved.maps.semantic, fg, cls, config.backgroundId) : null;
      return { summary: { count }, semantic, instances: { map, info }, params: { from, minDistance } };
    });
  },
};
