// `maskwright components`: connected components of the saved semantic mask (object count per
// class); --write-instances turns them into instances.
import type { CliCommand } from '../command';
import { componentInstances } from '../../algorithms/maskOps';
import { COMMON_HELP, COMMON_OPTIONS, choiceArg, intArg, runClassical } from './classicalJob';

export const componentsCommand: CliCommand = {
  name: 'components',
  summary: 'Count connected objects of the saved mask; optionally write them as instances',
  help: [
    'usage: maskwright components IMAGE|DIR... [--connectivity 4|8] [--min-area N] [--write-instances] [options]',
    '',
    'Reads STEM.mask.png and labels the connected regions of each class (background and the',
    'ignore index excluded; with --class only that class).',
    '',
    'Options:',
    '  --connectivity C  4 or 8 (default 8)',
    '  --min-area N      ignore components smaller than N pixels (default 1)',
    '  --write-instances write the components as STEM.instances.png (+ sidecar, source tool:components)',
    ...COMMON_HELP,
    '',
    'JSON fields: image, count, perClass {classId: count}, written.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, connectivity: { type: 'string' }, 'min-area': { type: 'string' }, 'write-instances': { type: 'boolean' } },
  run(values, positionals, io) {
    const connectivity = Number(choiceArg(values, 'connectivity', '8', ['4', '8'])) as 4 | 8;
    const minArea = intArg(values, 'min-area', 1, 1, Number.MAX_SAFE_INTEGER);
    const onlyClass = values.class !== undefined;
    return runClassical('components', values, positionals, io, async ({ masks, config, cls }) => {
      const saved = await masks();
      if (!saved.existing.mask) return { summary: { count: 0, perClass: {} }, params: {}, nothing: 'the image has no saved mask to count' };
      const r = componentInstances(saved.maps.semantic, saved.maps.width, saved.maps.height, {
        backgroundId: config.backgroundId, ignoreIndex: config.ignoreIndex, onlyClass: onlyClass ? cls : undefined, connectivity, minArea,
      });
      const summary = { count: r.count, perClass: r.perClass };
      if (values['write-instances'] !== true) return { summary, params: {} };
      return { summary, instances: { map: r.map, info: r.info }, params: { connectivity, minArea } };
    });
  },
};
