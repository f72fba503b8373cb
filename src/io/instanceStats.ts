// Per-instance class histograms: which semantic classes each instance id covers.
import type { SemanticIds } from '../shared/maskModel';

/** For every instance id present (non-zero), the pixel count of each semantic class under it. */
export function instanceClassStats(semantic: SemanticIds, instances: Uint16Array): Map<number, Map<number, number>> {
  if (semantic instanceof Uint16Array) return sparseStats(semantic, instances);
  const hist = new Map<number, Uint32Array>();
  // Counted by runs of one (instance, class) pair: label maps are long runs.
  let lastId = 0, lastClass = 0, run = 0;
  let lastHist: Uint32Array | undefined;
  for (let i = 0; i < instances.length; i++) {
    const id = instances[i], c = semantic[i];
    if (id === lastId && c === lastClass) { run++; continue; }
    if (lastHist) lastHist[lastClass] += run;
    if (id !== lastId) {
      lastHist = undefined;
      if (id !== 0) {
        lastHist = hist.get(id);
        if (!lastHist) { lastHist = new Uint32Array(256); hist.set(id, lastHist); }
      }
      lastId = id;
    }
    lastClass = c;
    run = 1;
  }
  if (lastHist) lastHist[lastClass] += run;
  const out = new Map<number, Map<number, number>>();
  for (const id of [...hist.keys()].sort((a, b) => a - b)) {
    const h = hist.get(id)!;
    const m = new Map<number, number>();
    for (let c = 0; c < 256; c++) if (h[c] > 0) m.set(c, h[c]);
    out.set(id, m);
  }
  return out;
}

/** 16-bit class ids: a map per instance (a dense table of 65536 counts per instance would not do). */
function sparseStats(semantic: Uint16Array, instances: Uint16Array): Map<number, Map<number, number>> {
  const hist = new Map<number, Map<number, number>>();
  for (let i = 0; i < instances.length; i++) {
    const id = instances[i];
    if (id === 0) continue;
    let m = hist.get(id);
    if (!m) { m = new Map(); hist.set(id, m); }
    m.set(semantic[i], (m.get(semantic[i]) ?? 0) + 1);
  }
  const out = new Map<number, Map<number, number>>();
  for (const id of [...hist.keys()].sort((a, b) => a - b)) out.set(id, new Map([...hist.get(id)!].sort((a, b) => a[0] - b[0])));
  return out;
}
