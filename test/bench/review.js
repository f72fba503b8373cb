#!/usr/bin/env node
// Review benchmark: N small images (SIZE x SIZE) with complete mask sets (semantic, instances,
// sidecar with status and uncertainty), then `queue` (sidecars only) and `stats` (every mask PNG
// decoded) over the folder by the same code as the CLI. Prints seconds and images/s for each.
// Figures, not a test; one process.
//
//   npm run bench:review [-- --images 10000] [--size 64] [--dir D] [--keep]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const OUT = path.resolve(__dirname, '..', '..', 'out');
const { encodeGray8Png, encodeGray16Png, encodeIndexedPng } = require(path.join(OUT, 'src', 'io', 'labelPng.js'));
const { collectQueue, collectStats } = require(path.join(OUT, 'src', 'review', 'dataset.js'));
const { rankQueue } = require(path.join(OUT, 'src', 'review', 'queue.js'));
const { defaultConfig, paletteOf, stableStringify } = require(path.join(OUT, 'src', 'shared', 'config.js'));
const { prng } = require(path.join(OUT, 'src', 'algorithms', 'classical', 'kmeans.js'));

function args() {
  const a = { images: 10000, size: 64, dir: '', keep: false };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i].replace(/^--/, '');
    if (k === 'keep') a.keep = true;
    else if (k in a) a[k] = typeof a[k] === 'number' ? Number(v[++i]) : v[++i];
    else throw new Error(`unknown option ${v[i]}`);
  }
  return a;
}

function generate(dir, n, size) {
  const rand = prng(7);
  const pal = paletteOf(defaultConfig());
  const image = encodeGray8Png(size, size, new Uint8Array(size * size).fill(128));
  const statuses = ['draft', 'edited', 'reviewed'];
  for (let k = 0; k < n; k++) {
    const stem = `img${String(k).padStart(6, '0')}`;
    const sem = new Uint8Array(size * size), inst = new Uint16Array(size * size);
    const instances = [];
    const count = 1 + Math.floor(rand() * 4);
    for (let id = 1; id <= count; id++) {
      const cls = 1 + Math.floor(rand() * 3);
      const x0 = Math.floor(rand() * size * 0.7), y0 = Math.floor(rand() * size * 0.7);
      const w = 2 + Math.floor(rand() * size * 0.3), h = 2 + Math.floor(rand() * size * 0.3);
      for (let y = y0; y < Math.min(size, y0 + h); y++) for (let x = x0; x < Math.min(size, x0 + w); x++) { sem[y * size + x] = cls; inst[y * size + x] = id; }
      instances.push({ id, class: cls, source: 'model:bench' });
    }
    const status = statuses[k % 3];
    const side = {
      version: 1, image: { file: `${stem}.png`, width: size, height: size }, instances,
      prelabel: { source: 'model:bench', date: '2026-01-01T00:00:00Z', uncertainty: { measure: 'low-margin-share', value: Math.round(rand() * 1e4) / 1e4 } },
      ...(status === 'edited' ? { edited: { at: '2026-01-02T00:00:00Z', layers: ['semantic'] } } : {}),
      reviewed: status === 'reviewed', ...(status === 'reviewed' ? { review: { at: '2026-01-03T00:00:00Z' } } : {}),
    };
    fs.writeFileSync(path.join(dir, `${stem}.png`), image);
    fs.writeFileSync(path.join(dir, `${stem}.mask.png`), encodeIndexedPng(size, size, sem, pal));
    fs.writeFileSync(path.join(dir, `${stem}.instances.png`), encodeGray16Png(size, size, inst));
    fs.writeFileSync(path.join(dir, `${stem}.mask.json`), stableStringify(side));
  }
}

async function main() {
  const a = args();
  const dir = a.dir ? path.resolve(a.dir) : path.join(os.tmpdir(), `mw-bench-review-${a.images}-${a.size}`);
  const marker = path.join(dir, '.complete');
  if (!(a.keep && fs.existsSync(marker))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const t = performance.now();
    generate(dir, a.images, a.size);
    fs.writeFileSync(marker, '');
    console.log(`generated ${a.images} images of ${a.size}x${a.size} with mask sets in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  try {
    let t = performance.now();
    const { items } = await collectQueue({ dirs: [dir] });
    const ranked = rankQueue(items);
    const qs = (performance.now() - t) / 1000;
    console.log(`queue: ${ranked.length} images ranked in ${qs.toFixed(2)} s (${Math.round(ranked.length / qs)} images/s); first: ${path.basename(ranked[0].image)} ${ranked[0].score}`);
    t = performance.now();
    const s = await collectStats({ dirs: [dir] });
    const ss = (performance.now() - t) / 1000;
    console.log(`stats: ${s.images} images, ${s.totalInstances} instances in ${ss.toFixed(2)} s (${Math.round(s.images / ss)} images/s); status ${JSON.stringify(s.status)}`);
  } finally {
    if (!a.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
