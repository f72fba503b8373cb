// The packaged extension as a user gets it: installed from the linux-x64 VSIX into code-server
// (test/installed/run.js), images opened with "Open in Mask Editor" from the Explorer's context menu,
// a stroke painted and saved, "Pre-label with model..." run from the command palette with the
// embedded text detector. Saved PNGs are read with PIL (Debian's python3-pil), not with our code.
'use strict';
/* global describe, it, before, after */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { makeWorkspace, CONFIG, FIXTURE_IMAGES } = require('../harness/workspace');
const w = require('../e2e/workbench');

const PY = '/usr/bin/python3';
const TEXT_CLASS = 3;

/** Facts about a label PNG, read by PIL: mode, bit depth (IHDR), size, value counts, a few pixels [x, y]. */
function pil(file, points = []) {
  const code = [
    'import json, sys',
    'from PIL import Image',
    'im = Image.open(sys.argv[1]); im.load()',
    'pts = json.loads(sys.argv[2])',
    'hist = {}',
    'for v in im.getdata(): hist[v] = hist.get(v, 0) + 1',
    'depth = open(sys.argv[1], "rb").read(26)[24]',
    'print(json.dumps({"mode": im.mode, "depth": depth, "size": im.size, "hist": hist, "at": [im.getpixel(tuple(p)) for p in pts]}))',
  ].join('\n');
  return JSON.parse(execFileSync(PY, ['-c', code, file, JSON.stringify(points)], { encoding: 'utf8' }));
}

/** All files below dir, relative to it. */
function files(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => path.relative(dir, path.join(e.parentPath || e.path, e.name)));
}

/**
 * Right-click > Open in Mask Editor in the Explorer; returns the mask editor's frame once ready. The
 * remote extension host registers the extension's menu items a few seconds after the Explorer first
 * shows, so the menu is reopened until the item is there (and the whole step retried if no editor
 * came up: a click while the menu is still laid out can miss).
 */
async function openFromExplorer(page, name) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 60000 });
  const item = page.locator('.context-view .action-item', { hasText: 'Open in Mask Editor' }).first();
  const earlier = page.frames();
  const end = Date.now() + 120000;
  let labels = [];
  while (Date.now() < end) {
    await row.click({ button: 'right' });
    try {
      await item.waitFor({ timeout: 2000 });
    } catch {
      labels = await page.locator('.context-view .action-label').allTextContents().catch(() => []);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1000);
      continue;
    }
    await page.waitForTimeout(300);
    await item.click();
    try {
      return await w.waitForEditorFrame(page, 30000, earlier);
    } catch { /* no editor: try again */ }
  }
  await page.screenshot({ path: path.join(w.harness().results, `menu-${name}.png`) }).catch(() => undefined);
  throw new Error(`Explorer > Open in Mask Editor did not open ${name} within 120 s; the menu showed: ${labels.join(' | ')}`);
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 30000 });
  await row.click();
}

describe('the linux-x64 VSIX installed into code-server', function () {
  this.timeout(240000);
  let session, ws, extDir;
  const shot = (name) => session && session.page.screenshot({ path: path.join(w.harness().results, name) }).catch(() => undefined);

  before(async () => {
    const h = w.harness();
    const dirs = fs.readdirSync(h.extensionsDir).filter((n) => n.startsWith('maskwright.maskwright-'));
    assert.strictEqual(dirs.length, 1, `one installed Maskwright in ${h.extensionsDir}: ${dirs.join(', ')}`);
    extDir = path.join(h.extensionsDir, dirs[0]);
    ws = makeWorkspace(path.join(h.runDir, 'ws'), ['camera.png']);
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), path.join(ws, 'text.png'));
    fs.chmodSync(path.join(ws, 'text.png'), 0o644);
    const config = { ...CONFIG, classes: [...CONFIG.classes, { id: TEXT_CLASS, name: 'text', color: '#ffe119', kind: 'thing' }] };
    fs.writeFileSync(path.join(ws, 'maskwright.json'), JSON.stringify(config, null, 2) + '\n');
    session = await w.openWorkbench(ws);
  });
  after(async () => { if (session) await session.browser.close(); });

  it('is installed as a plain copy of the package: own node_modules, linux-x64 binaries only, the notices', () => {
    assert.ok(!fs.lstatSync(extDir).isSymbolicLink() && !fs.lstatSync(path.join(extDir, 'node_modules')).isSymbolicLink(), 'no links into a development tree');
    const all = files(extDir);
    assert.deepStrictEqual(fs.readdirSync(path.join(extDir, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6')), ['linux']);
    assert.deepStrictEqual(fs.readdirSync(path.join(extDir, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux')), ['x64']);
    const img = fs.readdirSync(path.join(extDir, 'node_modules', '@img')).sort();
    assert.deepStrictEqual(img, ['colour', 'sharp-libvips-linux-x64', 'sharp-linux-x64']);
    assert.deepStrictEqual(fs.readdirSync(path.join(extDir, 'node_modules', '@gutenye', 'ocr-models', 'assets')), ['ch_PP-OCRv4_det_infer.onnx']);
    assert.ok(all.includes('THIRD-PARTY-NOTICES.txt'));
    const bad = all.filter((f) => /\.(map|ts)$/.test(f) || /^(src|test|webview|out)\//.test(f));
    assert.deepStrictEqual(bad, [], 'no sources, tests or maps');
  });

  it('Explorer > Open in Mask Editor, a stroke, Ctrl+S: the saved PNG (read by PIL) has it', async () => {
    const { page } = session;
    const maskFile = path.join(ws, 'camera.mask.png');
    const frame = await openFromExplorer(page, 'camera.png');
    const stage = await w.stageOf(frame, 512, 512);
    await w.stroke(page, stage, [[150, 256], [350, 256], [350, 300]]);
    await shot('installed-stroke.png');
    await page.keyboard.press('Control+S');
    await w.until(page, () => fs.existsSync(maskFile) && (pil(maskFile).hist['1'] || 0) > 0, 'Ctrl+S to write camera.mask.png with painted pixels');
    const m = pil(maskFile, [[250, 256], [350, 300], [250, 286], [10, 10]]);
    assert.ok(m.mode === 'P' && m.depth === 8, `an 8-bit palette PNG (PIL mode ${m.mode}, depth ${m.depth})`);
    assert.deepStrictEqual(m.size, [512, 512]);
    assert.deepStrictEqual(m.at, [1, 1, 0, 0], 'class 1 under the stroke, background 30 px beside it and in the corner');
    assert.deepStrictEqual(Object.keys(m.hist).sort(), ['0', '1']);
    assert.ok(m.hist['1'] > 200 && m.hist['1'] < 40000, `${m.hist['1']} painted pixels`);
  });

  it('Pre-label with model... runs the embedded text detector from the installed package; Ctrl+S saves it', async () => {
    const { page } = session;
    await openFromExplorer(page, 'text.png');
    await runCommand(page, 'Maskwright: Pre-label with model...');
    await w.until(page, () => page.locator('.tab.dirty', { hasText: 'text.png' }).count(), 'the pre-label edit (a dirty text.png tab)', 180000);
    await shot('installed-prelabel.png');
    await page.keyboard.press('Control+S');
    const maskFile = path.join(ws, 'text.mask.png'), instFile = path.join(ws, 'text.instances.png'), side = path.join(ws, 'text.mask.json');
    await w.until(page, () => fs.existsSync(maskFile) && fs.existsSync(instFile) && fs.existsSync(side), 'Ctrl+S to write the masks of text.png', 60000);
    const m = pil(maskFile);
    const n = m.size[0] * m.size[1];
    const frac = (m.hist[String(TEXT_CLASS)] || 0) / n;
    assert.ok(frac > 0.02 && frac < 0.8, `text covers ${(frac * 100).toFixed(1)}% of text.png`);
    assert.deepStrictEqual(Object.keys(m.hist).sort(), ['0', String(TEXT_CLASS)]);
    const inst = pil(instFile);
    assert.ok(/^I/.test(inst.mode) && inst.depth === 16, `instances are a 16-bit gray PNG (PIL mode ${inst.mode}, depth ${inst.depth})`);
    const ids = Object.keys(inst.hist).filter((k) => k !== '0');
    assert.ok(ids.length >= 5, `${ids.length} text regions became instances`);
    const sidecar = JSON.parse(fs.readFileSync(side, 'utf8'));
    assert.strictEqual(sidecar.prelabel.source, 'model:pp-ocrv4-det');
    assert.strictEqual(sidecar.instances.length, ids.length);
  });
});
