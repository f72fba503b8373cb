// Starts the built webview bundle in headless Debian Chromium behind the host's CSP, with the given
// image and dataset config, and waits until the editor says it is ready. Shared by the browser tests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { REPO } from '../../paths';
import { ORIGIN, pageHtml, type PageInit } from './page';

export const CHROMIUM = process.env.MASKWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

export interface EditorPage {
  readonly browser: Browser;
  readonly page: Page;
  /** The editor canvas's box on the page. */
  readonly box: { x: number; y: number; width: number; height: number };
  close(): Promise<void>;
}

/** True when the browser tests can run; under CI a missing Chromium is an error, not a skip. */
export function haveChromium(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium`);
  return false;
}

/** Polls `expr` in the page (evaluate: the page's CSP forbids waitForFunction's eval) until it is true. */
export async function waitForExpr(page: Page, expr: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await page.evaluate<boolean>(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** RGB bytes of a w x h image, left half dark (30) and right half light (200): one right answer for the wand and Otsu. */
export function halfDarkRgb(w: number, h: number): Buffer {
  const rgb = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) rgb.fill(i % w < w / 2 ? 30 : 200, i * 3, i * 3 + 3);
  return rgb;
}

/** Screen point of image position (x + 0.5, y + 0.5) in a w x h image shown in `box` at the initial fit view (margin 8). */
export function fitPoint(box: EditorPage['box'], w: number, h: number, x: number, y: number): { x: number; y: number } {
  const s = Math.min((box.width - 16) / w, (box.height - 16) / h);
  const tx = Math.round((box.width - w * s) / 2), ty = Math.round((box.height - h * s) / 2);
  return { x: box.x + tx + (x + 0.5) * s, y: box.y + ty + (y + 0.5) * s };
}

export interface EditorPageOptions {
  /** RGB bytes of the image served at /img.png (init.width x init.height). */
  readonly rgb?: Buffer;
  /** More files to serve: path -> [body, content type]. */
  readonly files?: Readonly<Record<string, [Buffer | string, string]>>;
}

export async function openEditorPage(init: PageInit, opts: EditorPageOptions, tmpPrefix = 'mw-webview-'): Promise<EditorPage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const esbuild = require('esbuild') as typeof import('esbuild');
  for (const [entry, out] of [['webview/main.ts', 'webview.js'], ['webview/worker.ts', 'webviewWorker.js']]) {
    await esbuild.build({ entryPoints: [path.join(REPO, entry)], outfile: path.join(dir, out), bundle: true, platform: 'browser', format: 'iife', target: 'chrome114', logLevel: 'warning' });
  }
  const codicons = path.dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
  const files: Record<string, [Buffer | string, string]> = {
    '/page.html': [pageHtml(init), 'text/html'],
    '/webview.js': [fs.readFileSync(path.join(dir, 'webview.js')), 'text/javascript'],
    '/webviewWorker.js': [fs.readFileSync(path.join(dir, 'webviewWorker.js')), 'text/javascript'],
    '/editor.css': [fs.readFileSync(path.join(REPO, 'media', 'editor.css')), 'text/css'],
    '/codicon.css': [fs.readFileSync(path.join(codicons, 'codicon.css')), 'text/css'],
    '/codicon.ttf': [fs.readFileSync(path.join(codicons, 'codicon.ttf')), 'font/ttf'],
    ...(opts.rgb ? { '/img.png': [await sharp(opts.rgb, { raw: { width: init.width, height: init.height, channels: 3 } }).png().toBuffer(), 'image/png'] } : {}),
    ...opts.files,
  };
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const close = async (): Promise<void> => {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
    await page.route(`${ORIGIN}/**`, (route) => {
      const f = files[new URL(route.request().url()).pathname];
      return f ? route.fulfill({ status: 200, body: f[0], contentType: f[1] }) : route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/page.html`);
    // Polled with evaluate: waitForFunction's string predicate needs eval, which the CSP forbids.
    const end = Date.now() + 30000;
    while (await page.evaluate<string | undefined>('document.body.dataset.state') !== 'ready') {
      if (Date.now() > end) throw new Error('the editor did not become ready');
      await new Promise((r) => setTimeout(r, 25));
    }
    const box = await (await page.$('canvas.mw-canvas'))?.boundingBox();
    assert.ok(box, 'the editor canvas is on the page');
    return { browser, page, box, close };
  } catch (e) {
    await close();
    throw e;
  }
}
