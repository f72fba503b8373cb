// `--split train=0.8,val=0.2 --seed N`: parse the proportions and assign items to splits with a
// seeded shuffle, so the same seed and the same image list give the same split everywhere. Pure.
import { prng } from '../algorithms/classical/kmeans';

export interface SplitSpec { name: string; fraction: number }

/** Parses "train=0.8,val=0.2"; fractions must be positive and sum to 1 (within 1e-6). Throws naming the problem. */
export function parseSplit(text: string): SplitSpec[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new RangeError('--split needs NAME=FRACTION pairs, e.g. train=0.8,val=0.2');
  const out: SplitSpec[] = [];
  for (const p of parts) {
    const m = /^([A-Za-z][A-Za-z0-9_-]*)=([0-9]*\.?[0-9]+)$/.exec(p);
    if (!m) throw new RangeError(`--split part "${p}" must look like NAME=FRACTION (e.g. val=0.2)`);
    const f = Number(m[2]);
    if (!(f > 0 && f <= 1)) throw new RangeError(`--split fraction of ${m[1]} must be in (0, 1], got ${m[2]}`);
    if (out.some((s) => s.name === m[1])) throw new RangeError(`--split names ${m[1]} twice`);
    out.push({ name: m[1], fraction: f });
  }
  const sum = out.reduce((a, s) => a + s.fraction, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new RangeError(`--split fractions sum to ${+sum.toFixed(6)}, not 1`);
  return out;
}

/**
 * Split name per item index: a Fisher-Yates shuffle seeded with `seed`, then consecutive blocks of
 * round(fraction * n) items (the last split takes the rest).
 */
export function assignSplits(count: number, specs: readonly SplitSpec[], seed: number): string[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const rnd = prng(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  const out = new Array<string>(count);
  let at = 0;
  specs.forEach((s, k) => {
    const take = k === specs.length - 1 ? count - at : Math.min(count - at, Math.round(s.fraction * count));
    for (let i = 0; i < take; i++) out[order[at + i]] = s.name;
    at += take;
  });
  return out;
}
