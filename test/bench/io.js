// Figures, not a pass/fail test: where the time of a save and of a read goes, in node. For 1024^2
// and 4096^2 label maps with instances (blobs of two classes, one instance each): the pieces of
// writeMaskSet (row filtering, deflate, both PNGs encoded at once, hashes, temp files with fsync,
// journal, renames) and of readMasks (inflate, unfilter), then the whole of each; medians of N.
// Ctrl+S as a person feels it, through the workbench: npm run bench:save.
// Run: npx tsc -p . && node test/bench/io.js [sizes, default 1024,4096] [repetitions, default 7]
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { readMasks } = require('../../out/src/io/masks');
const { writeMaskSet } = require('../../out/src/io/maskSet');
const { writeTemp, writeFileAtomic, syncDir } = require('../../out/src/io/atomic');
const { encodePng } = require('../../out/src/algorithms/codecs/pngEncode');
const { decodePng } = require('../../out/src/algorithms/codecs/pngDecode');
const { readChunks } = require('../../out/src/algorithms/codecs/pngChunks');
const { deflateLabel, inflateBounded, encodeGray16Png, encodeIndexedPng, encodeGray16PngAsync, encodeIndexedPngAsync } = require('../../out/src/io/labelPng');
const { defaultConfig, paletteOf } = require('../../out/src/shared/config');
const { createLabelMaps } = require('../../out/src/shared/maskModel');

const sizes = (process.argv[2] || '1024,4096').split(',').map(Number);
const reps = Number(process.argv[3] || 7);
const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[s.length >> 1]; };

function labelMaps(n) {
  const maps = createLabelMaps(n, n);
  const cell = Math.max(32, n >> 5);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    const dx = (x % cell) - cell / 2, dy = (y % cell) - cell / 2;
    if (dx * dx + dy * dy < (cell * 0.4) ** 2) { maps.semantic[y * n + x] = 1 + ((cx * 7 + cy * 3) % 2); maps.instances[y * n + x] = 1 + cx + cy * 64; }
  }
  return maps;
}

async function time(fn) {
  const t = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); await fn(); t.push(performance.now() - t0); }
  return median(t);
}

async function main() {
  const cfg = defaultConfig();
  const pal = paletteOf(cfg);
  for (const n of sizes) {
    const maps = labelMaps(n);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-'));
    const img = path.join(dir, 'big.png');
    const rows = {};
    try {
      let filtered16, filtered8;
      const keep16 = (d) => { filtered16 = d; return new Uint8Array(0); }, keep8 = (d) => { filtered8 = d; return new Uint8Array(0); };
      rows['filter rows, 16-bit instances (Up)'] = await time(() => encodePng({ width: n, height: n, colorType: 0, bitDepth: 16, data: maps.instances, filter: 'up' }, keep16));
      rows['filter rows, 8-bit semantic (None)'] = await time(() => encodePng({ width: n, height: n, colorType: 3, bitDepth: 8, data: maps.semantic, palette: pal, filter: 'none' }, keep8));
      rows['deflate 16-bit rows (level 1, RLE)'] = await time(() => deflateLabel(filtered16));
      rows['deflate 8-bit rows (level 1, RLE)'] = await time(() => deflateLabel(filtered8));
      rows['encodeGray16Png (sync)'] = await time(() => encodeGray16Png(n, n, maps.instances));
      rows['encodeIndexedPng (sync)'] = await time(() => encodeIndexedPng(n, n, maps.semantic, pal));
      let pngs;
      rows['both encoded at once (async, as a save)'] = await time(async () => { pngs = await Promise.all([encodeGray16PngAsync(n, n, maps.instances), encodeIndexedPngAsync(n, n, maps.semantic, pal)]); });
      rows['sha256 of both PNGs'] = await time(() => pngs.map((p) => crypto.createHash('sha256').update(p).digest('hex')));
      rows['3 temp files written + fsync'] = await time(async () => {
        const temps = [];
        for (const [f, d] of [['a.png', pngs[0]], ['b.png', pngs[1]], ['c.json', '{"x":1}']]) temps.push(await writeTemp(path.join(dir, f), d));
        for (const t of temps) fs.unlinkSync(t);
      });
      rows['journal written atomically'] = await time(() => writeFileAtomic(path.join(dir, '.j'), '{"moves":[]}'));
      for (const f of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, f), 'x');
      rows['3 renames + folder fsync'] = await time(async () => {
        for (const [from, to] of [['a', 'b'], ['b', 'c'], ['c', 'a']]) await fs.promises.rename(path.join(dir, from), path.join(dir, to));
        await syncDir(dir);
      });
      rows['writeMaskSet (all of the above, lock, checks)'] = await time(() => writeMaskSet(img, maps, [], cfg, {}));
      const inst = new Uint8Array(fs.readFileSync(path.join(dir, 'big.instances.png')));
      const z = Buffer.concat(readChunks(inst).filter((c) => c.type === 'IDAT').map((c) => c.data));
      rows['inflate 16-bit instance rows'] = await time(() => inflateBounded(z, n * (2 * n + 1) + n));
      rows['decode 16-bit instance PNG (inflate + unfilter)'] = await time(() => decodePng(inst, inflateBounded));
      rows['readMasks (read, decode, histograms, checks)'] = await time(() => readMasks(img, n, n, cfg));
      const size = (f) => fs.statSync(path.join(dir, f)).size;
      console.log(`\n${n}x${n}, median of ${reps} (ms); files: mask ${size('big.mask.png')} B, instances ${size('big.instances.png')} B`);
      for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(50)} ${v.toFixed(1).padStart(8)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
