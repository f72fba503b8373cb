// E2E: an image opened from Quick Open right after the workbench appears, with *.png associated
// with the mask editor (the harness's user settings), ends in the mask editor, never in VS Code's
// "binary file" text editor (seen once when the extensions were not registered yet; the extension
// reopens such tabs when it activates: src/editor/firstOpen.ts).
'use strict';
/* global describe, it, before, after */
const assert = require('assert');
const path = require('path');
const { launch, workbenchUrl } = require('../harness/browser');
const { makeWorkspace } = require('../harness/workspace');
const w = require('./workbench');

describe('first open from Quick Open right after the workbench loads (Playwright)', function () {
  this.timeout(240000);
  let browser, ws;

  before(() => { ws = makeWorkspace(path.join(w.harness().runDir, 'ws-first-open'), ['camera.png']); });
  after(async () => { if (browser) await browser.close(); });

  it('camera.png opens in the mask editor, not the binary text editor', async () => {
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(workbenchUrl(w.harness().base, ws));
    // As soon as the workbench is there: no waiting for the explorer or the extensions.
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    const t0 = Date.now();
    await w.quickOpen(page, 'camera.png');
    w.harness().log(`Quick Open of camera.png ${Date.now() - t0} ms after the workbench appeared`);
    const frame = await w.waitForEditorFrame(page, 120000);
    assert.ok(frame, 'the mask editor became ready');
    await page.screenshot({ path: path.join(w.harness().results, 'e2e-first-open.png') }).catch(() => undefined);
    await w.until(page, async () => (await page.locator('.tabs-container .tab', { hasText: 'camera.png' }).count()) === 1, 'one camera.png tab', 30000);
    const binary = await page.locator('.editor-container', { hasText: /binary|unsupported text encoding/i }).count();
    assert.strictEqual(binary, 0, 'no "binary file" text editor is showing');
  });
});
