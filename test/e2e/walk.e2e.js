// "The first ten minutes", walked as a new user through the real workbench (code-server in headless
// Chromium), with a screenshot at each step in test-results/walk-*.png: a fresh folder without a
// config, painting and saving, Segment anything without a model, the class filter, an action's
// error in the editor, walking the folder through corrupt, truncated and too-large files (one
// failure page, PageDown goes on), a 16-bit image that is not black, pre-labelling with the
// embedded model whose class the created config lacks (one click), and config edits followed by the
// open editor without losing unsaved edits.
'use strict';
/* global describe, it, before, after, document */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const w = require('./workbench');
const { FIXTURE_IMAGES } = require('../harness/workspace');
const { pngHeader } = require('../harness/pngHeader');

describe('the first ten minutes, walked through the workbench (Playwright)', function () {
  this.timeout(600000);
  let session, ws;
  let step = 0;
  const shot = (name) => session.page.screenshot({ path: path.join(w.harness().results, `walk-${String(++step).padStart(2, '0')}-${name}.png`) }).catch(() => undefined);
  /** The webview frame of `file` in `state` ('ready' editor, 'error' failure page). */
  const frameOf = (file, state = 'ready', timeoutMs = 90000) => w.waitForFrame(session.page, (f) => f.evaluate(([n, s]) => document.body && document.body.dataset.file === n && document.body.dataset.state === s, [file, state]), timeoutMs);
  const palette = (page, command) => w.runCommand(page, command);

  before(async () => {
    ws = path.join(w.harness().runDir, 'ws-walk');
    fs.rmSync(ws, { recursive: true, force: true });
    fs.mkdirSync(ws, { recursive: true });
    for (const n of ['camera.png', 'coffee.png', 'text.png']) { fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(ws, n)); fs.chmodSync(path.join(ws, n), 0o644); }
    const cam = fs.readFileSync(path.join(ws, 'camera.png'));
    fs.writeFileSync(path.join(ws, 'd-corrupt.png'), Buffer.concat([cam.subarray(0, 8), Buffer.from('garbage, not a chunk')]));
    fs.writeFileSync(path.join(ws, 'e-truncated.png'), cam.subarray(0, cam.length >> 1));
    fs.writeFileSync(path.join(ws, 'f-huge.png'), pngHeader(20000, 20000));
    execFileSync('/usr/bin/python3', ['-c', `from PIL import Image; import numpy as np; Image.fromarray(np.array(Image.open(${JSON.stringify(path.join(FIXTURE_IMAGES, 'camera.png'))}).convert('L')).astype(np.uint16)).save(${JSON.stringify(path.join(ws, 'g-16bit.tif'))})`]);
    session = await w.openWorkbench(ws);
  });
  after(async () => { if (session) await session.browser.close(); });

  it('walks the folder: paint, save, tools, errors, broken files, 16-bit, pre-label, config edits', async () => {
    const { page } = session;
    // A fresh folder without maskwright.json: paint, save; the default config is created.
    await w.quickOpen(page, 'camera.png');
    let frame = await frameOf('camera.png');
    const stage = await w.stageOf(frame, 512, 512);
    await w.stroke(page, stage, [[100, 100], [200, 100]]);
    await page.keyboard.press('Control+S');
    const config = path.join(ws, 'maskwright.json');
    await w.until(page, () => fs.existsSync(path.join(ws, 'camera.mask.png')) && fs.existsSync(config), 'the save and the created default config');
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(config, 'utf8')).classes.map((c) => c.name), ['background', 'object']);
    await shot('saved');

    // Segment anything without a model says so at once, with Add model... and a link (item 8).
    await frame.locator('canvas.mw-canvas').click({ position: { x: 5, y: 5 }, button: 'middle' }).catch(() => undefined);
    await page.keyboard.press('a');
    const notice = frame.locator('.mw-notice');
    await notice.waitFor({ timeout: 10000 });
    assert.match(await notice.textContent(), /needs a promptable \(SAM-family\) model, and none is set/);
    assert.strictEqual(await frame.locator('.mw-notice', { hasText: 'Add model...' }).count(), 1);
    await shot('segment-anything-without-model');
    await page.keyboard.press('b');

    // The class list filters (item 7; 200 classes are in the browser tests).
    await page.keyboard.press('/');
    await page.keyboard.type('obj');
    assert.strictEqual(await frame.evaluate(() => [...document.querySelectorAll('.mw-class')].filter((e) => !e.hidden).length), 1);
    await shot('class-filter');
    await page.keyboard.press('Escape');

    // Next image; an action that fails says so in the editor, not only in a notification (item 4).
    await frame.locator('canvas.mw-canvas').focus();
    await page.keyboard.press('PageDown');
    frame = await frameOf('coffee.png');
    await palette(page, 'Maskwright: Split into Instances');
    await page.locator('.quick-input-widget', { hasText: 'Minimum instance area' }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    const banner = frame.locator('.mw-banner:not(.mw-notice)');
    await w.until(page, async () => /no labelled pixels to split/.test(await banner.textContent()) && await banner.isVisible(), 'the error in the editor banner');
    await shot('action-error-in-editor');
    await w.notification(page, 'no labelled pixels to split', 15000);
    await page.keyboard.press('Escape');

    // Walking on: corrupt, truncated and too-large files get the one failure page; PageDown goes on (items 2, 3).
    const failures = { 'd-corrupt.png': /corrupt|unsupported|cannot load/i, 'e-truncated.png': /truncated/, 'f-huge.png': /20000x20000 exceeds the limit of 32768 per side and 268435456 pixels/ };
    await frame.locator('canvas.mw-canvas').focus();
    await page.keyboard.press('PageDown');
    for (const [name, re] of Object.entries(failures)) {
      const f = await frameOf(name, 'error');
      const text = await f.evaluate(() => document.body.innerText);
      assert.match(text, new RegExp(name.replace('.', '\\.')), `${name}: the page names the file`);
      assert.match(text, re, `${name}: the reason (${text})`);
      assert.match(text, /Open with the default editor/);
      await shot(`failure-${name.replace(/\W+/g, '-')}`);
      await f.locator('button[data-command="nextImage"]').focus();
      await page.keyboard.press('PageDown');
    }

    // A 16-bit TIFF holding 0..255 is shown through its window, not black (item 5).
    frame = await frameOf('g-16bit.tif');
    await page.waitForTimeout(500);
    const box = await frame.locator('canvas.mw-canvas').boundingBox();
    const png = await page.screenshot({ clip: { x: box.x + box.width / 2 - 50, y: box.y + box.height / 2 - 50, width: 100, height: 100 } });
    const sharp = require(path.join(w.REPO, 'node_modules', 'sharp'));
    const { data } = await sharp(png).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
    const mean = data.reduce((s, v) => s + v, 0) / data.length;
    assert.ok(mean > 40, `the 16-bit image is visible (mean ${mean.toFixed(1)} of 255 in the centre)`);
    await shot('16-bit-tiff');

    // Pre-label with the embedded model: its class is not in the created config; one click adds it (item 1).
    await frame.locator('canvas.mw-canvas').focus();
    await page.keyboard.press('PageDown');
    frame = await frameOf('text.png');
    await palette(page, 'Maskwright: Pre-label with model...');
    const offer = await w.notification(page, "labels 'text'", 60000);
    await shot('offer-to-add-class');
    await offer.locator('.monaco-button', { hasText: 'Add Class' }).click();
    await page.locator('.statusbar-item', { hasText: 'Draft' }).first().waitFor({ timeout: 120000 });
    const cfg = JSON.parse(fs.readFileSync(config, 'utf8'));
    const text = cfg.classes.find((c) => c.name === 'text');
    assert.ok(text, `the config gained the model's class: ${JSON.stringify(cfg.classes)}`);
    await frame.locator('canvas.mw-canvas').focus();
    await page.keyboard.press('Control+S');
    await w.until(page, () => fs.existsSync(path.join(ws, 'text.mask.png')) && w.readMaskIds(path.join(ws, 'text.mask.png')).ids.some((v) => v === text.id), 'the pre-label saved with the text class');
    await shot('prelabelled');

    // Config edits reach the open editor: a new class appears; a broken config makes it read-only while
    // keeping the unsaved stroke; the fixed config ends read-only mode; the stroke saves (item 6).
    const tstage = await w.stageOf(frame, 448, 172);
    await w.stroke(page, tstage, [[20, 150], [120, 150]]);
    await w.until(page, () => page.locator('.tab.dirty', { hasText: 'text.png' }).count(), 'the stroke to make text.png dirty');
    cfg.classes.push({ id: 9, name: 'zebra', color: '#00ffaa', kind: 'thing' });
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2));
    frame = await frameOf('text.png');
    await w.until(page, async () => (await frameOf('text.png')).evaluate(() => [...document.querySelectorAll('.mw-class-name')].some((e) => e.textContent === 'zebra')), 'the new class in the open editor', 30000);
    await shot('config-new-class');
    fs.writeFileSync(config, '{ "classes": [ ');
    await w.until(page, async () => /read-only/.test(await (await frameOf('text.png')).evaluate(() => document.body.innerText)), 'read-only while the config is broken', 30000);
    await shot('config-broken');
    fs.writeFileSync(config, JSON.stringify(cfg, null, 2));
    await w.until(page, async () => !/read-only/.test(await (await frameOf('text.png')).evaluate(() => document.body.innerText)), 'read-only ends with the fixed config', 30000);
    assert.ok(await page.locator('.tab.dirty', { hasText: 'text.png' }).count(), 'the unsaved stroke is still there');
    frame = await frameOf('text.png');
    await frame.locator('canvas.mw-canvas').focus();
    await page.keyboard.press('Control+S');
    await w.until(page, () => w.readMaskIds(path.join(ws, 'text.mask.png')).ids[150 * 448 + 70] === 1, 'the stroke kept across the config edits to be saved');
    await shot('config-fixed-saved');
  });
});
