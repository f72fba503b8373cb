// Playwright helpers for the e2e specs: open the workbench on a folder, quick-open a file, find the
// mask editor's canvas and map image pixels to page coordinates, read mask files from disk.
'use strict';
/* global window, document */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { launch, workbenchUrl, waitForEditorFrame, waitForFrame } = require('../harness/browser');

const REPO = path.resolve(__dirname, '..', '..');

function harness() {
  const h = globalThis.__maskwrightHarness;
  if (!h) throw new Error('run the e2e specs through test/harness/run.js (it starts code-server)');
  return h;
}

/** A browser page on the workbench of `folder`, with the explorer populated. */
async function openWorkbench(folder) {
  const h = harness();
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(workbenchUrl(h.base, folder));
  await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90000 });
  return { browser, page, errors };
}

async function quickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 30000 });
  await row.click();
}

/**
 * The drawing canvas (class mw-stage, else the largest canvas) and a function mapping image pixel
 * (x, y) to page coordinates: the webview's own viewport when it publishes one
 * (window.__maskwright.viewport: { scale, tx, ty }, screen = image * scale + t in CSS pixels of the
 * canvas, as webview/core/viewport.ts), else 'fit' with the webview's 8 px margin (fitView).
 */
async function stageOf(frame, imageW, imageH) {
  const handle = await frame.evaluateHandle(() => {
    const marked = document.querySelector('canvas.mw-stage');
    if (marked) return marked;
    let best = null, area = -1;
    for (const c of document.querySelectorAll('canvas')) {
      const r = c.getBoundingClientRect();
      if (r.width * r.height > area) { area = r.width * r.height; best = c; }
    }
    return best;
  });
  const canvas = handle.asElement();
  if (!canvas) throw new Error('no <canvas> in the mask editor webview');
  // boundingBox() is relative to the main frame's viewport: the iframes' offsets are included.
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the mask editor canvas is not visible');
  const vp = await frame.evaluate(() => (window.__maskwright && window.__maskwright.viewport) || null);
  let scale, ox, oy, source;
  if (vp && Number.isFinite(vp.scale) && Number.isFinite(vp.tx) && Number.isFinite(vp.ty)) {
    scale = vp.scale; ox = box.x + vp.tx; oy = box.y + vp.ty; source = 'viewport';
  } else {
    const margin = 8;
    scale = Math.min((box.width - 2 * margin) / imageW, (box.height - 2 * margin) / imageH);
    ox = box.x + (box.width - imageW * scale) / 2; oy = box.y + (box.height - imageH * scale) / 2; source = 'fit';
  }
  return { canvas, box, source, scale, toPage: (x, y) => ({ x: ox + (x + 0.5) * scale, y: oy + (y + 0.5) * scale }) };
}

/** Drags the mouse along image-pixel points with intermediate steps. */
async function stroke(page, stage, points, steps = 12) {
  const p0 = stage.toPage(...points[0]);
  await page.mouse.move(p0.x, p0.y);
  await page.mouse.down();
  for (const pt of points.slice(1)) {
    const p = stage.toPage(...pt);
    await page.mouse.move(p.x, p.y, { steps });
  }
  await page.mouse.up();
}

/** Semantic ids of a mask file, decoded by the project's own PNG reader (compiled to out/). */
function readMaskIds(file) {
  const { decodePng } = require(path.join(REPO, 'out', 'src', 'algorithms', 'codecs', 'pngDecode.js'));
  const d = decodePng(new Uint8Array(fs.readFileSync(file)), (data, max) => zlib.inflateSync(data, { maxOutputLength: max }));
  if (d.header.colorType !== 3 || d.header.bitDepth !== 8) throw new Error(`${file} is not an 8-bit palette PNG (colour type ${d.header.colorType}, depth ${d.header.bitDepth})`);
  return { width: d.header.width, height: d.header.height, ids: d.data };
}

/** Polls fn (sync or async) until truthy, or throws naming what it waited for. */
async function until(page, fn, what, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let v;
    try { v = await fn(); } catch { v = undefined; }
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await page.waitForTimeout(150);
  }
}

/** Runs a command from the palette (F1) by its title. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

/**
 * The notification whose text matches, looked up in the notification centre (headless, the
 * workbench may keep toasts hidden): opens the centre and polls until it is there.
 */
async function notification(page, text, timeoutMs = 60000) {
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  const end = Date.now() + timeoutMs;
  for (;;) {
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
    if (await toast.isVisible().catch(() => false)) return toast;
    if (!(await page.locator('.notifications-center').isVisible().catch(() => false))) await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
    if (await item.isVisible().catch(() => false)) return item;
    if (Date.now() > end) throw new Error(`no notification with "${text}" within ${timeoutMs} ms`);
    await page.waitForTimeout(1000);
  }
}

module.exports = { harness, openWorkbench, quickOpen, stageOf, stroke, readMaskIds, until, waitForEditorFrame, waitForFrame, runCommand, notification, REPO };
