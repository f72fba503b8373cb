// Headless Debian Chromium through playwright-core, and helpers to reach code-server's workbench
// and the webviews inside it (two nested iframes: the host frame, then #active-frame with our HTML).
'use strict';
/* global document */
const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-precise-memory-info'];

async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH`);
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** The workbench URL for a folder, with an optional test payload (array of [key, value]). */
function workbenchUrl(base, folder, payload) {
  let url = `${base}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** vscode-remote URI of a server-side path, as the workbench payload expects. */
function remoteUri(base, p) {
  return `vscode-remote://${new URL(base).host}${path.resolve(p)}`;
}

/** Waits for a frame (not the main one) for which pred(frame) resolves truthy; returns it. */
async function waitForFrame(page, pred, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (f === page.mainFrame() || f.isDetached()) continue;
      try { if (await pred(f)) return f; } catch { /* frame navigating */ }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('frame not found; frames:\n' + page.frames().map((f) => f.url().slice(0, 120)).join('\n'));
}

/** The mask editor's webview frame once its body says data-state="ready". */
function waitForEditorFrame(page, timeoutMs = 90000, exclude = []) {
  return waitForFrame(page, async (f) => !exclude.includes(f) && (await f.evaluate(() => document.body && document.body.dataset.state === 'ready')), timeoutMs);
}

module.exports = { launch, workbenchUrl, remoteUri, waitForFrame, waitForEditorFrame, CHROMIUM };
