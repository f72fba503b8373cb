// Figure, not a pass/fail test: writeMaskSet of a 4096x4096 label map (median of 5: encode, temps,
// journal, renames, hashes, lock), and the read back.
// Run: npx tsc -p . && node test/bench/io.js
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { readMasks } = require('../../out/src/io/masks');
const { writeMaskSet } = require('../../out/src/io/maskSet');
const writeMasks = (img, maps, info, cfg) => writeMaskSet(img, maps, info, cfg, {});
const { defaultConfig } = require('../../out/src/shared/config');
const { createLabelMaps } = require('../../out/src/shared/maskModel');

async function main() {
  const n = 4096;
  const maps = createLabelMaps(n, n);
  // A plausible label map: blobs of a few classes, a few hundred instances.
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const c = ((x >> 7) * 7 + (y >> 7) * 3) % 5;
    const inBlob = ((x & 127) - 64) ** 2 + ((y & 127) - 64) ** 2 < 50 * 50;
    maps.semantic[y * n + x] = inBlob ? c : 0;
    maps.instances[y * n + x] = inBlob && c ? 1 + (x >> 7) + (y >> 7) * 32 : 0;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-'));
  const img = path.join(dir, 'big.png');
  const cfg = defaultConfig();
  const times = [], readTimes = [];
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await writeMasks(img, maps, [], cfg);
      times.push(performance.now() - t0);
      const t1 = performance.now();
      await readMasks(img, n, n, cfg);
      readTimes.push(performance.now() - t1);
    }
    const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
    const size = (f) => fs.statSync(path.join(dir, f)).size;
    console.log(`writeMaskSet 4096x4096 (semantic + 16-bit instances + sidecar): median ${med(times).toFixed(0)} ms of ${times.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`readMasks  4096x4096: median ${med(readTimes).toFixed(0)} ms`);
    console.log(`sizes: mask ${size('big.mask.png')} B, instances ${size('big.instances.png')} B`);
    const sem = createLabelMaps(n, n);
    sem.semantic.set(maps.semantic);
    const img2 = path.join(dir, 'sem.png');
    const t2 = [];
    for (let i = 0; i < 5; i++) { const t0 = performance.now(); await writeMasks(img2, sem, [], cfg); t2.push(performance.now() - t0); }
    console.log(`writeMaskSet 4096x4096 semantic only: median ${med(t2).toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
