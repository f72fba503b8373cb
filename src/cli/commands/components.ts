// `maskwright components`: connected components of the saved semantic mask (object count per
// class); --write-instances turns them into instances.
import type { CliCommand } from '../command';
import { connectedComponents } from '../../algorithms/classical';
import type { InstanceInfo } from '../../shared/maskModel';
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
      const sem = saved.maps.semantic;
      // class 0 (when it is not the background) is carried as 256 so that 0 stays "no object"
      const data = Uint16Array.from(sem, (v) => (v === config.backgroundId || v === config.ignoreIndex || (onlyClass && v !== cls) ? 0 : v === 0 ? 256 : v));
      const r = connectedComponents({ data, width: saved.maps.width, height: saved.maps.height }, { connectivity, byValue: true });
      const st = r.stats!;
      const keepId = new Int32Array(r.count + 1);
      const perClass: Record<string, number> = {};
      const info: InstanceInfo[] = [];
      let count = 0;
      for (let l = 1; l <= r.count; l++) {
        if (st.area[l] < minArea) continue;
        const c = st.value[l] === 256 ? 0 : st.value[l];
        perClass[c] = (perClass[c] ?? 0) + 1;
        keepId[l] = ++count;
        info.push({ id: count, class: c, source: 'tool:components' });
      }
      const summary = { count, perClass };
      if (values['write-instances'] !== true) return { summary, params: {} };
      if (count > 65535) throw new Error(`${count} components exceed the 65535 instance ids of a 16-bit instance map`);
      const map = new Uint16Array(r.labels.length);
      for (let i = 0; i < map.length; i++) map[i] = keepId[r.labels[i]];
      return { summary, instances: { map, info }, params: { connectivity, minArea } };
    });
  },
};
