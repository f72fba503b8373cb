// Editor benchmark (npm run bench:editor): through the test harness (code-server + headless
// Chromium), opens 1024^2 and 4096^2 images that have masks and reports time from openWith to the
// webview's first paint, brush-stroke frame times (p50/p95 of the webview's 'strokeFrame' marks),
// save time and the webview's JS heap. Figures, never pass/fail.
// usage: node test/bench/editor.js [sizes, default 1024,4096]
'use strict';
const fs = require('fs');
const path = require('path');
const { startHarness, REPO } = require('../harness/run');
const { launch, workbenchUrl, remoteUri, waitForEditorFrame } = require('../harness/browser');
const { makeWorkspace } = require('../harness/workspace');
const { stageOf, stroke } = require('../e2e/workbench');

const sizes = (process.argv[2] || '1024,4096').split(',').map(Number);

async function makeImages(ws) {
  const sharp = require('sharp');
  const { encodeIndexedPng } = require(path.join(REPO, 'out', 'src', 'io', 'labelPng.js'));
  const images = [];
  for (const s of sizes) {
    const rgb = Buffer.alloc(s * s * 3);
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
      const i = (y * s + x) * 3;
      rgb[i] = (x * 255) / s; rgb[i + 1] = (y * 255) / s; rgb[i + 2] = ((x ^ y) & 255);
    }
    const file = path.join(ws, `bench${s}.png`);
    await sharp(rgb, { raw: { width: s, height: s, channels: 3 } }).png({ compressionLevel: 1 }).toFile(file);
    const ids = new Uint8Array(s * s);
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) if (x > s / 8 && x < s / 2 && y > s / 8 && y < s / 2) ids[y * s + x] = 1; else if (y > (3 * s) / 4) ids[y * s + x] = 2;
    const pal = new Uint8Array(768); pal.set([0, 0, 0, 128, 0, 0, 0, 128, 0]);
    fs.writeFileSync(path.join(ws, `bench${s}.mask.png`), encodeIndexedPng(s, s, ids, pal));
    images.push({ path: file, width: s, height: s });
  }
  return images;
}

async function main() {
  const h = await startHarness();
  const dir = path.join(h.runDir, 'bench');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ws = makeWorkspace(path.join(h.runDir, 'ws-bench'), []);
  const images = await makeImages(ws);
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ images }));
  const browser = await launch();
  let code;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let done;
    const exited = new Promise((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (c) => done(c));
    const payload = [['extensionDevelopmentPath', remoteUri(h.cs.base, h.extDir)], ['extensionTestsPath', remoteUri(h.cs.base, path.join(__dirname, 'editorHost'))]];
    await page.goto(workbenchUrl(h.cs.base, ws, payload));
    let finished = false;
    exited.then((c) => { code = c; finished = true; });
    const seen = [];
    for (let n = 0; n < images.length && !finished; ) {
      const req = path.join(dir, `request-${n}.json`);
      if (!fs.existsSync(req)) { await page.waitForTimeout(100); continue; }
      const img = JSON.parse(fs.readFileSync(req, 'utf8'));
      const answer = {};
      try {
        const frame = await waitForEditorFrame(page, 60000, seen);
        seen.push(...page.frames());
        const stage = await stageOf(frame, img.width, img.height);
        const s = img.width;
        await stroke(page, stage, [[s * 0.2, s * 0.6], [s * 0.8, s * 0.6], [s * 0.8, s * 0.7], [s * 0.2, s * 0.7]], 40);
        await page.waitForTimeout(500);
        answer.webviewHeapMB = await frame.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null));
        await page.screenshot({ path: path.join(REPO, 'test-results', `bench-${s}.png`) }).catch(() => undefined);
      } catch (e) {
        answer.strokeError = String(e.message || e).split('\n')[0];
      }
      fs.writeFileSync(path.join(dir, `answer-${n}.json`), JSON.stringify(answer));
      n++;
    }
    // run() writes results.json and returns; the workbench's exit call may come late or not at all
    const results = path.join(dir, 'results.json');
    for (let t = Date.now(); !finished && !fs.existsSync(results) && Date.now() - t < 300000; ) await page.waitForTimeout(200);
  } finally {
    await browser.close();
    h.cs.stop();
  }
  const file = path.join(dir, 'results.json');
  if (!fs.existsSync(file)) { console.error(`bench did not finish (extension host exit ${code})`); process.exit(1); }
  const rows = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(path.join(REPO, 'test-results', 'bench-editor.json'), JSON.stringify(rows, null, 2));
  const f = (v, d = 0) => (v === null || v === undefined ? 'n/a' : Number(v).toFixed(d));
  console.log('image        size        ready ms  firstPaint ms  strokeFrames  frame p50/p95 ms  save ms  webview heap MB');
  for (const r of rows) {
    console.log(`${r.image.padEnd(12)} ${r.size.padEnd(11)} ${f(r.readyMs).padStart(8)}  ${f(r.firstPaintMs).padStart(13)}  ${String(r.strokeFrames).padStart(12)}  ${(f(r.strokeFrameP50, 2) + '/' + f(r.strokeFrameP95, 2)).padStart(16)}  ${f(r.saveMs).padStart(7)}  ${f(r.webviewHeapMB, 1).padStart(15)}${r.strokeError ? '  (stroke: ' + r.strokeError + ')' : ''}`);
  }
  for (const r of rows) if (r.marks) console.log(`${r.image}: webview marks (ms since its navigation start): ${r.marks}`);
  console.log('firstPaint = wall time from openWith until the host received the webview\'s firstPaint mark; n/a = the webview posted no such mark.');
}

main().catch((e) => { console.error(e); process.exit(1); });
