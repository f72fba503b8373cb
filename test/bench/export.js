#!/usr/bin/env node
// Export benchmark: N images of SIZE x SIZE with ~20 instances each (random disks and ellipses,
// some touching, a stuff class underneath), written once as mask sets, then exported to COCO RLE
// by the same code as `maskwright export`. Prints images/s, the median per-image time and the
// JSON size. Figures, not a test; single process, one core.
//
//   npm run bench:export [-- --images 1000] [--size 1024] [--instances 20] [--format coco] [--dir D] [--keep]
// The generated dataset is kept in --dir (default: a temp folder) between runs with the same
// parameters when --keep is given.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const OUT = path.resolve(__dirname, '..', '..', 'out');
const { writeMaskSet } = require(path.join(OUT, 'src', 'io', 'maskSet.js'));
const { encodeGray8Png } = require(path.join(OUT, 'src', 'io', 'labelPng.js'));
const { exportDataset } = require(path.join(OUT, 'src', 'interchange', 'exportDataset.js'));
const { parseConfig, stableStringify } = require(path.join(OUT, 'src', 'shared', 'config.js'));
const { prng } = require(path.join(OUT, 'src', 'algorithms', 'classical', 'kmeans.js'));

function args() {
  const a = { images: 1000, size: 1024, instances: 20, format: 'coco', dir: '', keep: false };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i].replace(/^--/, '');
    if (k === 'keep') a.keep = true;
    else if (k in a) a[k] = typeof a[k] === 'number' ? Number(v[++i]) : v[++i];
    else throw new Error(`unknown option ${v[i]}`);
  }
  return a;
}

const CONFIG = { version: 1, classes: [{ id: 0, name: 'background', kind: 'stuff' }, { id: 1, name: 'cell', kind: 'thing' }, { id: 2, name: 'tissue', kind: 'stuff' }], ignoreIndex: 255, backgroundId: 0 };

/** Label maps of image k: a tissue band, then `n` random disks / ellipses (later ones on top). */
function makeMaps(k, size, n) {
  const rnd = prng(1000 + k);
  const semantic = new Uint8Array(size * size);
  const instances = new Uint16Array(size * size);
  const y0 = Math.floor(rnd() * size * 0.5);
  semantic.fill(2, y0 * size, Math.min(size, y0 + Math.floor(size * 0.2)) * size);
  const info = [];
  for (let id = 1; id <= n; id++) {
    const cx = rnd() * size, cy = rnd() * size, rx = 15 + rnd() * size * 0.06, ry = rx * (0.6 + rnd() * 0.8);
    const x0 = Math.max(0, Math.floor(cx - rx)), x1 = Math.min(size - 1, Math.ceil(cx + rx));
    const yy0 = Math.max(0, Math.floor(cy - ry)), yy1 = Math.min(size - 1, Math.ceil(cy + ry));
    for (let y = yy0; y <= yy1; y++) for (let x = x0; x <= x1; x++) {
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) { semantic[y * size + x] = 1; instances[y * size + x] = id; }
    }
    info.push({ id, class: 1, source: 'tool:bench' });
  }
  const present = new Set(instances);
  return { maps: { width: size, height: size, semantic, instances }, info: info.filter((i) => present.has(i.id)) };
}

async function dataset(a) {
  const dir = a.dir ? path.resolve(a.dir) : path.join(os.tmpdir(), `maskwright-bench-export-${a.images}-${a.size}-${a.instances}`);
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'maskwright.json'), stableStringify(CONFIG));
  const config = parseConfig(JSON.stringify(CONFIG));
  // The export reads only each image's header: one gray PNG, hard-linked under every name.
  const proto = path.join(dir, '.proto.png');
  fs.writeFileSync(proto, encodeGray8Png(a.size, a.size, new Uint8Array(a.size * a.size).fill(128)));
  const t0 = performance.now();
  for (let k = 0; k < a.images; k++) {
    const file = path.join(dir, `img_${String(k).padStart(5, '0')}.png`);
    fs.linkSync(proto, file);
    const { maps, info } = makeMaps(k, a.size, a.instances);
    await writeMaskSet(file, maps, info, config, { prelabel: { source: 'tool:bench', date: new Date().toISOString() } });
    if ((k + 1) % 100 === 0) process.stderr.write(`generated ${k + 1}/${a.images} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  fs.writeFileSync(done, '');
  return dir;
}

async function main() {
  const a = args();
  const dir = await dataset(a);
  const out = path.join(os.tmpdir(), `maskwright-bench-export-out-${process.pid}`, a.format === 'coco' || a.format === 'coco-panoptic' ? 'dataset.json' : '');
  const times = [];
  let last = 0;
  const t0 = performance.now();
  const summary = await exportDataset({
    format: a.format, out, inputs: [dir],
    onProgress: (p) => { const t = performance.now(); if (p.finished > 0) times.push(t - last); last = t; },
  });
  const seconds = (performance.now() - t0) / 1000;
  times.sort((x, y) => x - y);
  const median = times.length ? times[Math.floor(times.length / 2)] : NaN;
  const bytes = summary.files.reduce((s, f) => s + fs.statSync(f).size, 0);
  console.log(`export --format ${a.format}: ${summary.images} images of ${a.size}x${a.size}, ${summary.annotations} annotations (~${(summary.annotations / Math.max(1, summary.images)).toFixed(1)} per image), ${summary.failed} failed`);
  console.log(`  ${seconds.toFixed(1)} s total, ${(summary.images / seconds).toFixed(1)} images/s, ${(100 * seconds / Math.max(1, summary.images)).toFixed(2)} s per 100 images, median ${median.toFixed(1)} ms per image`);
  console.log(`  output ${(bytes / 1e6).toFixed(1)} MB; node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (one thread)`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  if (!a.keep && !a.dir) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
