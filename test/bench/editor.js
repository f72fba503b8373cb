// Editor benchmark (npm run bench:editor): what a user feels while painting, through the test
// harness (code-server + headless Chromium, software rendering). For each size (default 1024, 4096,
// 8192) it opens an image with a semantic and an instance mask (both layers shown) in Maskwright,
// in VS Code's built-in image preview (opening time and memory only) and in two trivial reference
// editors (test/bench/trivialEditor, side-loaded as a second extensionDevelopmentPath: an <img>
// and an empty canvas; the same drawing a 6x6 dot per pointer move, the least visible change);
// opening is timed from the open command to two frames after the webview shows the image (the
// preview's <img> loaded and decoded, Maskwright's first draw), then it drives a real 2 s circular mouse drag
// (page.mouse, one circle a second, a move every few ms of real time): with the brush, and with the
// threshold tool (a rectangle dragged over its whole-image preview). Inside the webview frame a
// recorder injected through Playwright (no code of the product) keeps requestAnimationFrame times
// and counts pointermove events (and their coalesced positions). Prints rAF interval p50/p95/max,
// moves delivered and their ratio to the trivial row, and the memory opening the image cost
// (Chromium's processes, proportional set size; and the webview's JS heap). Figures, never pass/fail.
// usage: node test/bench/editor.js [sizes, default 1024,4096,8192]
// env: MW_BENCH_STEP_MS: pause between mouse moves (default 4);
//      MW_BENCH_PROFILE=<size> records a CPU profile of the brush drag at that size
//      (test-results/bench-<size>-brush.cpuprofile) and prints the functions with the most self time;
//      MW_BENCH_TRACE=<size> records a Chrome trace of the trivial and the brush drag at that size
//      (test-results/bench-<size>-<editor>.trace.json) and prints the busiest threads and their events;
//      MW_BENCH_MEM=1 prints each Chromium process's PSS change (renderer, GPU, ...) at each memory reading.
'use strict';
/* global window, document, requestAnimationFrame */
const fs = require('fs');
const path = require('path');
const { startHarness, REPO } = require('../harness/run');
const { launch, workbenchUrl, remoteUri, waitForEditorFrame, waitForFrame } = require('../harness/browser');
const { makeWorkspace } = require('../harness/workspace');
const { stageOf } = require('../e2e/workbench');
const { pssOfTree, pssByProcess, summarizeProfile, summarizeTrace, stats } = require('./editorFigures');

const sizes = (process.argv[2] || '1024,4096,8192').split(',').map(Number);
const PROFILE = Number(process.env.MW_BENCH_PROFILE) || 0;
const TRACE = Number(process.env.MW_BENCH_TRACE) || 0;
const MEM = process.env.MW_BENCH_MEM === '1';
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'viz', 'cc', 'input', 'blink'];
const DRAG_MS = 2000;
/** Real time between two page.mouse.move calls, each of which also waits for the browser's ack (MW_BENCH_STEP_MS, default 4). */
const STEP_MS = Number(process.env.MW_BENCH_STEP_MS || 4);
/** Drags per row (MW_BENCH_REPS, default 3): moves are their median, rAF intervals pooled. */
const REPS = Number(process.env.MW_BENCH_REPS || 3);

async function makeImages(ws) {
  const sharp = require('sharp');
  const { encodeIndexedPng, encodeGray16Png } = require(path.join(REPO, 'out', 'src', 'io', 'labelPng.js'));
  const images = [];
  for (const s of sizes) {
    const rgb = Buffer.alloc(s * s * 3);
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
      const i = (y * s + x) * 3;
      rgb[i] = (x * 255) / s; rgb[i + 1] = (y * 255) / s; rgb[i + 2] = ((x ^ y) & 255);
    }
    const file = path.join(ws, `bench${s}.png`);
    await sharp(rgb, { raw: { width: s, height: s, channels: 3 } }).png({ compressionLevel: 1 }).toFile(file);
    const ids = new Uint8Array(s * s), inst = new Uint16Array(s * s);
    for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
      const i = y * s + x;
      if (x > s / 8 && x < s / 2 && y > s / 8 && y < s / 2) ids[i] = 1; else if (y > (3 * s) / 4) ids[i] = 2;
      // a 4x4 grid of instances, one per cell's middle half
      const cx = Math.floor((x * 4) / s), cy = Math.floor((y * 4) / s), fx = (x * 4) % s, fy = (y * 4) % s;
      if (fx > s / 4 && fx < (3 * s) / 4 && fy > s / 4 && fy < (3 * s) / 4) inst[i] = 1 + cy * 4 + cx;
    }
    const pal = new Uint8Array(768); pal.set([0, 0, 0, 128, 0, 0, 0, 128, 0]);
    fs.writeFileSync(path.join(ws, `bench${s}.mask.png`), encodeIndexedPng(s, s, ids, pal));
    fs.writeFileSync(path.join(ws, `bench${s}.instances.png`), encodeGray16Png(s, s, inst));
    images.push({ path: file, width: s, height: s });
  }
  return images;
}

/** Installs the recorder in the webview frame: rAF times and pointermoves between pointerdown and pointerup. */
function installRecorder() {
  if (window.__mwBench) window.__mwBench.on = false;
  const b = { raf: [], moves: 0, positions: 0, down: -1, up: -1, on: true };
  const cap = { capture: true };
  window.addEventListener('pointerdown', (e) => { if (b.down < 0) b.down = e.timeStamp; }, cap);
  window.addEventListener('pointerup', (e) => { if (b.down >= 0 && b.up < 0) b.up = e.timeStamp; }, cap);
  window.addEventListener('pointermove', (e) => {
    if (!b.on || b.down < 0 || b.up >= 0) return;
    b.moves++;
    b.positions += typeof e.getCoalescedEvents === 'function' ? Math.max(1, e.getCoalescedEvents().length) : 1;
  }, cap);
  const loop = (t) => { if (!b.on) return; if (b.raf.length < 20000) b.raf.push(t); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  window.__mwBench = b;
}

function collectRecorder() {
  const b = window.__mwBench;
  b.on = false;
  const iv = [];
  for (let i = 1; i < b.raf.length; i++) if (b.raf[i - 1] >= b.down && b.raf[i] <= b.up + 17) iv.push(b.raf[i] - b.raf[i - 1]);
  return { intervals: iv, moves: b.moves, positions: b.positions, dragMs: b.up - b.down };
}

/** REPS circular drags; the median drag's counts and the pooled rAF intervals. */
async function circleDrags(page, frame, cx, cy, radius) {
  const runs = [];
  for (let i = 0; i < REPS; i++) runs.push(await circleDrag(page, frame, cx, cy, radius));
  const mid = [...runs].sort((a, b) => a.moves - b.moves)[Math.floor(runs.length / 2)];
  const s = stats(runs.flatMap((r) => r.intervals));
  return { sent: mid.sent, moves: mid.moves, positions: mid.positions, movesEach: runs.map((r) => r.moves), frames: s.n, p50: s.p50, p95: s.p95, max: s.max };
}

/** A 2 s circular drag (one circle a second) about (cx, cy); figures from the frame's recorder. */
async function circleDrag(page, frame, cx, cy, radius) {
  await frame.evaluate(installRecorder);
  await page.mouse.move(cx + radius, cy);
  await page.waitForTimeout(300);
  await page.mouse.down();
  let sent = 0;
  const t0 = Date.now();
  for (let t = 0; t < DRAG_MS; t = Date.now() - t0) {
    const a = (2 * Math.PI * t) / 1000;
    await page.mouse.move(cx + radius * Math.cos(a), cy + radius * Math.sin(a));
    sent++;
    await page.waitForTimeout(STEP_MS);
  }
  await page.mouse.move(cx + radius, cy);
  await page.mouse.up();
  await page.waitForTimeout(400);
  const r = await frame.evaluate(collectRecorder);
  return { sent, moves: r.moves, positions: r.positions, intervals: r.intervals };
}

/** A CDP session for the webview frame when it runs in its own process, else for the page. */
async function cdpFor(page, frame) {
  try { return { session: await page.context().newCDPSession(frame), oopif: true }; } catch { return { session: await page.context().newCDPSession(page), oopif: false }; }
}

async function profiled(page, frame, name, fn) {
  const { session, oopif } = await cdpFor(page, frame);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 200 });
  await session.send('Profiler.start');
  const r = await fn();
  const { profile } = await session.send('Profiler.stop');
  fs.writeFileSync(path.join(REPO, 'test-results', `${name}.cpuprofile`), JSON.stringify(profile));
  r.profile = { oopif, top: summarizeProfile(profile, 14) };
  await session.detach();
  return r;
}

async function traced(page, name, fn) {
  const browser = page.context().browser();
  await browser.startTracing(page, { categories: TRACE_CATEGORIES });
  const r = await fn();
  const buf = await browser.stopTracing();
  fs.writeFileSync(path.join(REPO, 'test-results', `${name}.trace.json`), buf);
  r.trace = summarizeTrace(JSON.parse(buf.toString('utf8')), 6).slice(0, 6);
  return r;
}

/** The drag, with a CPU profile or a trace around it when asked for at this size. */
function measure(page, frame, size, name, drag) {
  if (PROFILE === size && name.endsWith('brush')) return profiled(page, frame, name, drag);
  if (TRACE === size && !name.endsWith('threshold')) return traced(page, name, drag);
  return drag();
}

async function maskwrightDrags(page, frame, img, answer, grownMB) {
  const stage = await stageOf(frame, img.width, img.height);
  const c = stage.toPage(img.width / 2, img.height / 2), radius = 0.3 * img.width * stage.scale;
  // The tool is part of the restored UI state: choose it, as a user would, from the toolbar.
  const tool = (name) => frame.evaluate((t) => document.querySelector(`[data-tool="${t}"]`).click(), name);
  await tool('brush');
  answer.pssOpenMB = await grownMB('open');
  const brush = () => circleDrags(page, frame, c.x, c.y, radius);
  answer.brush = await measure(page, frame, img.width, `bench-${img.width}-maskwright-brush`, brush);
  await page.screenshot({ path: path.join(REPO, 'test-results', `bench-${img.width}-brush.png`) }).catch(() => undefined);
  answer.pssBrushMB = await grownMB('after brush');
  await tool('threshold');
  await waitForFrame(page, async (f) => f === frame && (await f.evaluate(() => document.querySelector('.mw-preview-actions')?.hidden === false)), 120000);
  answer.threshold = await circleDrags(page, frame, c.x, c.y, radius);
  await page.screenshot({ path: path.join(REPO, 'test-results', `bench-${img.width}-threshold.png`) }).catch(() => undefined);
}

async function trivialDrag(page, frame, size, editor, answer) {
  const box = await (await frame.$('canvas')).boundingBox();
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  answer.brush = await measure(page, frame, size, `bench-${size}-${editor}-drag`, () => circleDrags(page, frame, cx, cy, 0.3 * Math.min(box.width, box.height)));
}

/** The webview's body once it shows the image, per editor; the preview's <img> is decoded too. */
const SHOWN = {
  preview: { mine: () => document.body.classList.contains('container'), shown: () => document.body.classList.contains('ready') || document.body.classList.contains('error') },
  maskwright: { mine: () => document.body.dataset.worker !== undefined, shown: () => document.body.dataset.state === 'ready' },
  trivial: { mine: () => !!document.getElementById('c') && document.body.dataset.state !== undefined, shown: () => document.body.dataset.state !== 'loading' },
};

/**
 * The new webview frame of this editor and the wall-clock time (ms since the epoch, the
 * webview's clock) of the second animation frame after it showed the image: the first paints it.
 */
async function shownFrame(page, seen, editor, timeoutMs) {
  const kind = SHOWN[editor] || SHOWN.trivial;
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (f === page.mainFrame() || f.isDetached() || seen.includes(f)) continue;
      let mine = false;
      try { mine = await f.evaluate(`!!document.body && (${kind.mine})()`); } catch { continue; }
      if (!mine) continue;
      const at = await f.evaluate(`new Promise((resolve) => {
        const shown = ${kind.shown};
        const after = async () => {
          const img = document.querySelector('img');
          if (${editor === 'preview'} && img) await img.decode().catch(() => undefined);
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now())));
        };
        if (shown()) { after(); return; }
        const mo = new MutationObserver(() => { if (shown()) { mo.disconnect(); after(); } });
        mo.observe(document.body, { attributes: true });
      })`);
      return { frame: f, at };
    }
    await page.waitForTimeout(10);
  }
  throw new Error(`no ${editor} webview showed the image within ${timeoutMs / 1000} s`);
}

function printTable(rows) {
  const f = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : Number(v).toFixed(d));
  console.log('\nimage      editor      drag       rAF p50 / p95 / max ms   moves sent/delivered (positions)   moves vs trivial   Chromium PSS +MB   webview heap MB');
  const ref = new Map(rows.filter((r) => r.editor === 'trivial' && r.brush).map((r) => [r.size, r.brush]));
  for (const r of rows) {
    for (const kind of ['brush', 'threshold']) {
      const d = r[kind];
      if (!d) continue;
      const t = ref.get(r.size);
      const label = r.editor === 'maskwright' ? kind : 'drag';
      console.log(`${r.size.padEnd(10)} ${r.editor.padEnd(11)} ${label.padEnd(10)} ${`${f(d.p50)} / ${f(d.p95)} / ${f(d.max)}`.padStart(22)}   ${`${d.sent}/${d.moves} (${d.positions}) [${d.movesEach.join(' ')}]`.padStart(32)}   ${(t ? f((100 * d.moves) / t.moves, 0) + '%' : 'n/a').padStart(16)}   ${f(kind === 'brush' && r.pssBrushMB !== undefined ? r.pssBrushMB : r.pssMB, 0).padStart(16)}   ${f(r.heapMB).padStart(15)}`);
    }
    if (r.error) console.log(`  ${r.size} ${r.editor}: ${r.error}`);
  }
  console.log('\nopening: the open command to the image shown (ms), and Chromium PSS growth once open');
  for (const size of [...new Set(rows.map((r) => r.size))]) {
    const by = Object.fromEntries(rows.filter((r) => r.size === size).map((r) => [r.editor, r]));
    const p = by.preview, m = by.maskwright, t = by.trivial;
    if (!p || !m) continue;
    console.log(`${size.padEnd(10)} built-in preview ${f(p.openMs, 0)} ms (+${f(p.pssOpenMB, 0)} MB), Maskwright ${f(m.openMs, 0)} ms (+${f(m.pssOpenMB, 0)} MB): ${f(m.openMs / p.openMs, 2)}x the preview's time${t ? `; trivial <img> editor ${f(t.openMs, 0)} ms` : ''}`);
  }
  for (const r of rows) if (r.editor === 'maskwright') console.log(`${r.size}: ready ${f(r.readyMs, 0)} ms, first paint ${f(r.firstPaintMs, 0)} ms, save ${f(r.saveMs, 0)} ms; RGBA bytes ${f(r.rgbaMB, 0)} MB; Chromium PSS growth once open +${f(r.pssOpenMB, 0)} MB (${f(r.pssOpenMB / r.rgbaMB, 2)}x), after the brush +${f(r.pssBrushMB, 0)} MB (${f(r.pssBrushMB / r.rgbaMB, 2)}x RGBA), after the threshold preview too +${f(r.pssMB, 0)} MB (${f(r.pssMB / r.rgbaMB, 2)}x)`);
  for (const r of rows) for (const kind of ['brush', 'threshold']) if (r[kind] && r[kind].profile) {
    console.log(`\nCPU profile, ${r.size} ${kind} drag (${r[kind].profile.oopif ? 'webview process' : 'page process'}), self time:`);
    for (const p of r[kind].profile.top) console.log(`  ${p.ms.toFixed(0).padStart(6)} ms  ${p.name}`);
  }
  for (const r of rows) if (r.brush && r.brush.trace) {
    console.log(`\nTrace, ${r.size} ${r.editor} drag: busiest threads (top-level busy ms; events by self ms)`);
    for (const t of r.brush.trace) console.log(`  ${t.busyMs.toFixed(0).padStart(6)} ms  ${t.thread}: ${t.top.map((e) => `${e.name} ${e.ms.toFixed(0)}`).join(', ')}`);
  }
  console.log(`\nrAF = intervals between requestAnimationFrame callbacks in the webview from pointerdown to pointerup; moves = pointermove events the webview got in the median of ${REPS} drags (positions: with coalesced ones; [each drag]); PSS = the Chromium processes after that drag (GC forced) minus before opening the image.`);
}

async function main() {
  // The extension's test probe (perf marks such as firstPaint) is on only under test or with this.
  process.env.MASKWRIGHT_TEST_PROBE = '1';
  const h = await startHarness();
  const dir = path.join(h.runDir, 'bench');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ws = makeWorkspace(path.join(h.runDir, 'ws-bench'), []);
  const images = await makeImages(ws);
  const cases = images.flatMap((img) => [{ ...img, editor: 'trivial' }, { ...img, editor: 'trivialDraw' }, { ...img, editor: 'preview' }, { ...img, editor: 'maskwright' }]);
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ cases }));
  const browser = await launch();
  let code;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let done;
    const exited = new Promise((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (c) => done(c));
    const payload = [
      ['extensionDevelopmentPath', remoteUri(h.cs.base, h.extDir)],
      ['extensionDevelopmentPath', remoteUri(h.cs.base, path.join(__dirname, 'trivialEditor'))],
      ['extensionTestsPath', remoteUri(h.cs.base, path.join(__dirname, 'editorHost'))],
    ];
    await page.goto(workbenchUrl(h.cs.base, ws, payload));
    let finished = false;
    exited.then((c) => { code = c; finished = true; });
    const gc = async () => { const s = await page.context().newCDPSession(page); await s.send('HeapProfiler.collectGarbage').catch(() => undefined); await s.detach(); };
    const seen = [];
    const exists = (name) => fs.existsSync(path.join(dir, name));
    for (let n = 0; n < cases.length && !finished; ) {
      if (!exists(`ask-${n}.json`)) { await page.waitForTimeout(100); continue; }
      await gc();
      await page.waitForTimeout(300);
      const base = pssOfTree(process.pid);
      const baseBy = new Map(pssByProcess(process.pid).map((q) => [q.pid, q.kb]));
      const c = cases[n];
      const answer = { rgbaMB: (c.width * c.height * 4) / 1048576 };
      const t0 = Date.now();
      fs.writeFileSync(path.join(dir, `go-${n}.json`), '{}');
      let shown = null;
      try {
        shown = await shownFrame(page, seen, c.editor, 180000);
        answer.openMs = shown.at - t0;
      } catch (e) { answer.error = String(e.message || e).split('\n')[0]; }
      while (!exists(`request-${n}.json`) && !finished) await page.waitForTimeout(100);
      const grownMB = async (what) => {
        await gc();
        await page.waitForTimeout(300);
        if (MEM && what) {
          // Where it grew: each Chromium process's PSS change (renderer, GPU process, ...) since before opening.
          const by = pssByProcess(process.pid).map((q) => ({ ...q, mb: (q.kb - (baseBy.get(q.pid) || 0)) / 1024 })).filter((q) => Math.abs(q.mb) >= 1).sort((a, b) => b.mb - a.mb);
          console.log(`[memory] ${c.editor} ${c.width}^2 ${what}: ${by.map((q) => `${q.kind} ${q.pid} ${q.mb >= 0 ? '+' : ''}${q.mb.toFixed(0)} MB`).join(', ')}`);
        }
        return (pssOfTree(process.pid) - base) / 1024;
      };
      try {
        if (!shown) throw new Error(answer.error);
        const frame = c.editor !== 'maskwright'
          ? await waitForFrame(page, async (f) => f === shown.frame && (await f.evaluate(() => document.body.dataset.state === 'trivial-ready' || document.body.classList.contains('ready'))), 180000)
          : await waitForEditorFrame(page, 180000, seen);
        seen.push(...page.frames());
        await page.waitForTimeout(1000);
        if (c.editor === 'preview') answer.pssOpenMB = await grownMB('open');
        else if (c.editor !== 'maskwright') await trivialDrag(page, frame, c.width, c.editor, answer);
        else await maskwrightDrags(page, frame, c, answer, grownMB);
        answer.pssMB = await grownMB('end');
        answer.heapMB = await frame.evaluate(() => (performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null));
      } catch (e) {
        answer.error = String(e.message || e).split('\n')[0];
      }
      fs.writeFileSync(path.join(dir, `answer-${n}.json`), JSON.stringify(answer));
      n++;
    }
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
  printTable(rows);
}

main().catch((e) => { console.error(e); process.exit(1); });
