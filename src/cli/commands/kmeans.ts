// `maskwright kmeans`: cluster pixel colours; clusters (ranked dark to bright) map to classes.
import { UsageError, type CliCommand } from '../command';
import { kmeans } from '../../algorithms/classical';
import { COMMON_HELP, COMMON_OPTIONS, intArg, runClassical } from './classicalJob';
import { maxSemanticValue, newSemantic } from '../../shared/config';

export const kmeansCommand: CliCommand = {
  name: 'kmeans',
  summary: 'k-means colour clustering into classes',
  help: [
    'usage: maskwright kmeans IMAGE|DIR... [--k K] [--seed S] [--max-iter N] [--map IDS] [options]',
    '',
    'Clusters the RGB colours (k-means++ init, seeded: the same input gives the same result) and',
    'writes STEM.mask.png with cluster r (ranked by brightness, 0 = darkest) as class map[r].',
    '',
    'Options:',
    '  --k K             clusters 2..64 (default 4)',
    '  --seed S          random seed (default 1)',
    '  --max-iter N      Lloyd iterations (default 20)',
    '  --map IDS         comma-separated class ids, one per cluster rank (default 0,1,...,k-1)',
    ...COMMON_HELP.filter((l) => !l.includes('--class')),
    '',
    'JSON fields: image, k, centers (RGB, dark to bright), sizes, compactness, iterations, written.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, k: { type: 'string' }, seed: { type: 'string' }, 'max-iter': { type: 'string' }, map: { type: 'string' } },
  run(values, positionals, io) {
    const k = intArg(values, 'k', 4, 2, 64), seed = intArg(values, 'seed', 1, 0, 0xffffffff), maxIterations = intArg(values, 'max-iter', 20, 1, 1000);
    let map = Array.from({ length: k }, (_, i) => i);
    if (values.map !== undefined) {
      map = String(values.map).split(',').map((s) => Number(s.trim()));
      if (map.length !== k || map.some((v) => !Number.isInteger(v) || v < 0 || v > 65535)) throw new UsageError(`--map ${String(values.map)} must list ${k} class ids 0..65535 (above 255: a 16-bit dataset)`);
    }
    return runClassical('kmeans', values, positionals, io, ({ rgb, config }) => {
      const big = map.find((v) => v > maxSemanticValue(config.semanticBits));
      if (big !== undefined) throw new Error(`--map class id ${big} does not fit the dataset's 8-bit semantic masks (ids above 255 need "semanticBits": 16 in the config)`);
      const r = kmeans(rgb, { k, seed, maxIterations });
      const bright = (c: number): number => r.centers[c * 3] * 0.299 + r.centers[c * 3 + 1] * 0.587 + r.centers[c * 3 + 2] * 0.114;
      const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => bright(a) - bright(b));
      const rank = new Uint8Array(k);
      order.forEach((c, i) => { rank[c] = i; });
      const sizes = new Array<number>(k).fill(0);
      const semantic = newSemantic(config, r.labels.length);
      for (let i = 0; i < semantic.length; i++) { const q = rank[r.labels[i]]; sizes[q]++; semantic[i] = map[q]; }
      const centers = order.map((c) => [0, 1, 2].map((j) => Math.round(r.centers[c * 3 + j] * 100) / 100));
      return { summary: { k, centers, sizes, compactness: r.compactness, iterations: r.iterations }, semantic, params: { k, seed, maxIterations, map } };
    });
  },
};
