// Save benchmark (npm run bench:save): Ctrl+S to complete files on disk, as a person feels it.
// Through the test harness (code-server + headless Chromium): opens a 1024^2 and a 4096^2 image
// that have a semantic mask, a 16-bit instance map and a sidecar, paints a stroke with the mouse,
// presses Ctrl+S in the workbench and polls the disk until the set is complete (the sidecar has a
// new generation and both PNGs carry it in their tEXt chunk). Repeats; prints medians. Figures,
// never pass/fail.
// usage: node test/bench/save.js [sizes, default 1024,4096] [repetitions, default 5]
'use strict';
const fs = require('fs');
const path = require('path');
const { startHarness, REPO } = require('../harness/run');
const { launch, workbenchUrl, waitForEditorFrame } = require('../harness/browser');
const { makeWorkspace } = require('../harness/workspace');
const { quickOpen, stageOf, stroke } = require('../e2e/workbench');

const sizes = (process.argv[2] || '1024,4096').split(',').map(Number);
const reps = Number(process.argv[3] || 5);
const GENERATION = 'maskwright-generation\0';

/** Blobs of a few classes on a grid, each blob its own instance (a plausible label map). */
function labelMaps(s) {
  const semantic = new Uint8Array(s * s), instances = new Uint16Array(s * s);
  const cell = Math.max(32, s >> 5);
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
    const cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    const c = 1 + ((cx * 7 + cy * 3) % 2);
    const dx = (x % cell) - cell / 2, dy = (y % cell) - cell / 2;
    if (dx * dx + dy * dy < (cell * 0.4) ** 2) { semantic[y * s + x] = c; instances[y * s + x] = 1 + cx + cy * 64; }
  }
  return { semantic, instances };
}

async function makeImages(ws) {
  const sharp = require('sharp');
  const { encodeIndexedPng, encodeGray16Png } = require(path.join(REPO, 'out', 'src', 'io', 'labelPng.js'));
  const images = [];
  for (const s of sizes) {
    const rgb = Buffer.alloc(s * s * 3);
    for (let i = 0; i < s * s; i++) { const x = i % s, y = (i / s) | 0; rgb[3 * i] = (x * 255) / s; rgb[3 * i + 1] = (y * 255) / s; rgb[3 * i + 2] = (x ^ y) & 255; }
    const name = `save${s}`;
    await sharp(rgb, { raw: { width: s, height: s, channels: 3 } }).png({ compressionLevel: 1 }).toFile(path.join(ws, `${name}.png`));
    const { semantic, instances } = labelMaps(s);
    const pal = new Uint8Array(768); pal.set([0, 0, 0, 128, 0, 0, 0, 128, 0]);
    fs.writeFileSync(path.join(ws, `${name}.mask.png`), encodeIndexedPng(s, s, semantic, pal));
    fs.writeFileSync(path.join(ws, `${name}.instances.png`), encodeGray16Png(s, s, instances));
    images.push({ name, size: s });
  }
  return images;
}

/** The generation in a PNG's tEXt chunk (written before the image data), or null. */
function pngGeneration(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, 4096, 0);
    const s = buf.subarray(0, n).toString('latin1');
    const at = s.indexOf(GENERATION);
    return at < 0 ? null : s.slice(at + GENERATION.length, at + GENERATION.length + 16);
  } finally { fs.closeSync(fd); }
}

/** The sidecar's generation when the whole set on disk carries it, else null. */
function completeGeneration(ws, name) {
  let gen;
  try { gen = JSON.parse(fs.readFileSync(path.join(ws, `${name}.mask.json`), 'utf8')).generation; } catch { return null; }
  if (!gen) return null;
  try {
    return pngGeneration(path.join(ws, `${name}.mask.png`)) === gen && pngGeneration(path.join(ws, `${name}.instances.png`)) === gen ? gen : null;
  } catch { return null; }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, what, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

const median = (a) => { const s = [...a].sort((p, q) => p - q); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function main() {
  const h = await startHarness();
  const ws = makeWorkspace(path.join(h.runDir, 'ws-save'), []);
  const images = await makeImages(ws);
  const browser = await launch();
  const rows = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(workbenchUrl(h.cs.base, ws));
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90000 });
    const seen = [];
    for (const img of images) {
      await quickOpen(page, `${img.name}.png`);
      const frame = await waitForEditorFrame(page, 120000, seen);
      seen.push(...page.frames());
      const stage = await stageOf(frame, img.size, img.size);
      const times = [];
      let last = completeGeneration(ws, img.name);
      for (let r = 0; r < reps; r++) {
        const y = img.size * (0.1 + 0.08 * r);
        await stroke(page, stage, [[img.size * 0.1, y], [img.size * 0.9, y]], 8);
        await until(async () => (await page.locator('.tab.dirty', { hasText: `${img.name}.png` }).count()) > 0, 'the stroke to make the tab dirty');
        await sleep(300);
        const t0 = performance.now();
        await page.keyboard.press('Control+S');
        const gen = await until(() => { const g = completeGeneration(ws, img.name); return g && g !== last ? g : null; }, 'a complete new mask set on disk');
        times.push(performance.now() - t0);
        last = gen;
        await until(async () => (await page.locator('.tab.dirty', { hasText: `${img.name}.png` }).count()) === 0, 'the tab to be clean');
        await sleep(500);
      }
      const size = (f) => fs.statSync(path.join(ws, f)).size;
      rows.push({ image: `${img.size}x${img.size}`, medianMs: median(times), times: times.map((t) => Math.round(t)), maskBytes: size(`${img.name}.mask.png`), instancesBytes: size(`${img.name}.instances.png`) });
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+W');
      await sleep(1000);
    }
  } finally {
    await browser.close();
    h.cs.stop();
  }
  fs.mkdirSync(path.join(REPO, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'test-results', 'bench-save.json'), JSON.stringify(rows, null, 2));
  console.log('image       Ctrl+S -> complete set on disk: median ms (each)          mask B  instances B');
  for (const r of rows) console.log(`${r.image.padEnd(11)} ${String(Math.round(r.medianMs)).padStart(6)} (${r.times.join(', ')})`.padEnd(62) + `${String(r.maskBytes).padStart(9)} ${String(r.instancesBytes).padStart(12)}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
