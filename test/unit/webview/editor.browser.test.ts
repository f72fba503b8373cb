// The built webview in headless Chromium behind the host's CSP: real pointer input on the canvas,
// real edits posted to a stub host, pixels read back from screenshots with sharp. Skipped (with
// the reason) where Chromium is not installed.
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { type EditorPage, fitPoint, halfDarkRgb, haveChromium, openEditorPage, waitForExpr } from './harness';

const W = 120, H = 80;
const CONFIG = { semanticBits: 8, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 1, name: 'cat', color: '#ff0000', kind: 'thing' }, { id: 2, name: 'dog', color: '#00ff00', kind: 'thing' }], ignoreIndex: 255, backgroundId: 0 };

interface PatchOut { layer: string; x: number; y: number; w: number; h: number; before: number[]; after: number[]; kind: string }
interface EditOut { label: string; patches: PatchOut[]; meta?: Array<{ id: number; before: unknown; after: unknown }> }

describe('webview in Chromium (built bundle, host CSP)', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;
  let box = { x: 0, y: 0, width: 0, height: 0 };

  const at = (x: number, y: number): { x: number; y: number } => fitPoint(box, W, H, x, y);
  const drag = async (pts: Array<[number, number]>): Promise<void> => {
    const p0 = at(...pts[0]);
    await page.mouse.move(p0.x, p0.y);
    await page.mouse.down();
    for (const p of pts.slice(1)) { const q = at(...p); await page.mouse.move(q.x, q.y, { steps: 4 }); }
    await page.mouse.up();
  };
  const click = async (x: number, y: number): Promise<void> => { const p = at(x, y); await page.mouse.click(p.x, p.y); };
  /** Polls a page expression (page.waitForFunction would eval, which the page's CSP forbids). */
  const waitFor = (expr: string, ms?: number): Promise<void> => waitForExpr(page, expr, ms);
  const clearOut = (): Promise<void> => page.evaluate('window.__out.length = 0');
  /** The edits posted since clearOut, with typed arrays turned into arrays for inspection. */
  const edits = async (n: number): Promise<EditOut[]> => {
    await waitFor(`window.__out.filter((m) => m.type === 'edit').length >= ${n}`);
    return page.evaluate(`window.__out.filter((m) => m.type === 'edit').map((m) => ({ label: m.edit.label, meta: m.edit.meta,
      patches: m.edit.patches.map((p) => ({ layer: p.layer, x: p.x, y: p.y, w: p.w, h: p.h, kind: p.after.constructor.name, before: Array.from(p.before), after: Array.from(p.after) })) }))`);
  };
  const statusAt = async (x: number, y: number): Promise<string> => {
    const p = at(x, y);
    await page.mouse.move(p.x, p.y);
    return page.evaluate(`document.querySelector('.mw-status').textContent`);
  };
  /** RGB of the screen pixel over image pixel (x, y), decoded from a PNG screenshot. */
  const rgbAt = async (x: number, y: number): Promise<[number, number, number]> => {
    const p = at(x, y);
    await page.mouse.move(box.x + 1, box.y + 1);
    await page.waitForTimeout(50);
    const png = await page.screenshot({ clip: { x: Math.round(p.x), y: Math.round(p.y), width: 1, height: 1 } });
    const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return [data[0], data[1], data[2]];
  };
  const valueAt = (p: PatchOut, x: number, y: number): number => p.after[(y - p.y) * p.w + (x - p.x)];

  before(async function () {
    if (!haveChromium()) this.skip();
    // Left half dark (30), right half light (200): the wand and Otsu have one right answer each.
    const rgb = halfDarkRgb(W, H);
    ep = await openEditorPage({ width: W, height: H, config: CONFIG }, { rgb });
    page = ep.page;
    box = ep.box;
  });

  after(async () => {
    await ep?.close();
  });

  it('opens: posts ready and firstPaint, lists the palette, no CSP violation', async () => {
    const out = await page.evaluate<Array<{ type: string; name?: string; ms?: number }>>('window.__out');
    assert.equal(out[0].type, 'ready');
    const fp = out.find((m) => m.type === 'perf' && m.name === 'firstPaint');
    assert.ok(fp && typeof fp.ms === 'number' && fp.ms > 0);
    const names = await page.evaluate<string[]>(`[...document.querySelectorAll('.mw-class-name')].map((e) => e.textContent)`);
    assert.deepEqual(names, ['cat', 'dog', 'background', 'ignore']);
    assert.deepEqual(await page.evaluate('window.__csp'), []);
  });

  it('a brush drag paints the first class at once and posts one edit with before/after bytes', async () => {
    await clearOut();
    await drag([[10, 40], [50, 40]]);
    const [e] = await edits(1);
    assert.equal(e.label, 'Brush');
    assert.equal(e.patches.length, 1);
    const p = e.patches[0];
    assert.equal(p.layer, 'semantic');
    assert.equal(p.kind, 'Uint8Array');
    assert.ok(p.x <= 6 && p.x + p.w >= 54 && p.y <= 36 && p.y + p.h >= 44, `patch ${p.x},${p.y} ${p.w}x${p.h}`);
    for (let x = 10; x <= 50; x++) assert.equal(valueAt(p, x, 40), 1, `pixel ${x},40`);
    assert.ok(p.before.every((v) => v === 0));
    assert.match(await statusAt(30, 40), /30, 40 .* cat \(1\)/);
    const [r, g] = await rgbAt(30, 40);
    const [r0, g0] = await rgbAt(30, 10);
    assert.ok(r > r0 + 40 && Math.abs(g - g0) < 20, `painted pixel ${r},${g} vs unpainted ${r0},${g0}`);
    const frames = await page.evaluate<number>(`window.__out.filter((m) => m.type === 'perf' && m.name === 'strokeFrame').length`);
    assert.ok(frames >= 2);
  });

  it('undo from the host reverts the stroke; a refused edit is reverted locally with a banner', async () => {
    await page.evaluate(`(() => { const m = window.__out.find((m) => m.type === 'edit'); window.postMessage({ type: 'edit', edit: m.edit, direction: 'backward' }, '*'); })()`);
    await page.waitForTimeout(100);
    assert.match(await statusAt(30, 40), /background \(0\)/);
    // The overlay is redrawn only where pixels changed: the stroke's pixels show the image again.
    // (A loaded machine may draw the frame late: up to 2 s is allowed.)
    for (const x of [12, 30, 48]) {
      const want = await rgbAt(x, 10);
      for (let end = Date.now() + 2000; Date.now() < end && (await rgbAt(x, 40)).some((v, i) => v !== want[i]); ) await page.waitForTimeout(50);
      assert.deepEqual(await rgbAt(x, 40), want, `screen pixel over ${x},40 after undo`);
    }
    await page.evaluate('window.__failEdits = true');
    await clearOut();
    await drag([[70, 20], [100, 20]]);
    await edits(1);
    await waitFor(`!document.querySelector('.mw-banner').hidden`);
    assert.match(await page.evaluate<string>(`document.querySelector('.mw-banner').textContent`), /disk full \(test\)/);
    assert.match(await statusAt(85, 20), /background \(0\)/);
    await page.evaluate(`window.__failEdits = false; document.querySelector('.mw-banner').hidden = true`);
  });

  it('flood fill fills the 4-connected region of equal class', async () => {
    await clearOut();
    await page.keyboard.press('2');
    await page.keyboard.press('f');
    await click(5, 5);
    const [e] = await edits(1);
    assert.equal(e.label, 'Fill');
    assert.deepEqual([e.patches[0].x, e.patches[0].y, e.patches[0].w, e.patches[0].h], [0, 0, W, H]);
    assert.ok(e.patches[0].after.every((v) => v === 2));
    await page.evaluate(`(() => { const m = window.__out.find((m) => m.type === 'edit'); window.postMessage({ type: 'edit', edit: m.edit, direction: 'backward' }, '*'); })()`);
  });

  it('magic wand previews the similar region and Enter commits it; threshold commits the Otsu side', async () => {
    await clearOut();
    await page.keyboard.press('w');
    await click(10, 10);
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await page.keyboard.press('Enter');
    const [e] = await edits(1);
    assert.equal(e.label, 'Magic wand');
    const p = e.patches[0];
    assert.deepEqual([p.x, p.y, p.w, p.h], [0, 0, W / 2, H]);
    assert.ok(p.after.every((v) => v === 2));
    await clearOut();
    await page.keyboard.press('1');
    await page.keyboard.press('t');
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await page.keyboard.press('Enter');
    const [t] = await edits(1);
    assert.equal(t.label, 'Threshold');
    assert.deepEqual([t.patches[0].x, t.patches[0].y, t.patches[0].w, t.patches[0].h], [W / 2, 0, W / 2, H]);
    assert.ok(t.patches[0].after.every((v) => v === 1));
    // Threshold into a class means the same as in the CLI and the palette: the foreground replaces
    // the class, so the wand's class-2 pixels below the level (the left half) become background.
    await clearOut();
    await page.keyboard.press('2');
    await page.keyboard.press('t');
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await page.keyboard.press('Enter');
    await edits(1);
    assert.match(await statusAt(10, 10), /background \(0\)/);
    assert.match(await statusAt(W - 10, 10), /\(2\)/);
    await page.evaluate(`(() => { const m = window.__out.find((m) => m.type === 'edit'); window.postMessage({ type: 'edit', edit: m.edit, direction: 'backward' }, '*'); })()`);
    await page.waitForTimeout(100);
    assert.match(await statusAt(10, 10), /\(2\)/);
  });

  it('fill inside Canny edges stops at the edge; watershed from object and background seeds', async () => {
    await clearOut();
    await page.keyboard.press('1');
    await page.keyboard.press('g');
    await click(10, 10);
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await click(12, 12); // a click inside the preview commits it
    const [e] = await edits(1);
    assert.equal(e.label, 'Edge-bounded fill');
    const p = e.patches[0];
    assert.deepEqual([p.x, p.y, p.h], [0, 0, H]);
    assert.ok(p.w >= W / 2 - 3 && p.w <= W / 2, `edge fill width ${p.w}`);
    assert.ok(p.after.every((v) => v === 1));
    await clearOut();
    await page.keyboard.press('2');
    await page.keyboard.press('h');
    await click(20, 40);
    const q = at(100, 40);
    await page.keyboard.down('Shift');
    await page.mouse.click(q.x, q.y);
    await page.keyboard.up('Shift');
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await page.keyboard.press('Enter');
    const [ws] = await edits(1);
    assert.equal(ws.label, 'Watershed');
    const r = ws.patches[0];
    assert.ok(r.x <= 1 && r.y <= 1 && r.x + r.w <= W / 2 + 1 && r.x + r.w >= W / 2 - 2 && r.y + r.h >= H - 1, `watershed patch ${r.x},${r.y} ${r.w}x${r.h}`);
    for (let x = 5; x < 50; x++) assert.equal(valueAt(r, x, 40), 2, `pixel ${x},40`);
  });

  it('k-means: a click previews the colour cluster under it; Enter commits it', async () => {
    await clearOut();
    await page.keyboard.press('1');
    await page.keyboard.press('k');
    await click(10, 10);
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`, 30000);
    await page.keyboard.press('Enter');
    const [e] = await edits(1);
    assert.equal(e.label, 'k-means cluster');
    const p = e.patches[0];
    assert.ok(p.x <= 1 && p.y <= 1 && p.x + p.w === W / 2 && p.y + p.h >= H - 1, `cluster patch ${p.x},${p.y} ${p.w}x${p.h}`);
    assert.ok(p.after.every((v) => v === 1), 'the left (dark) cluster is all cat, nothing of the light half');
  });

  it('polygon: clicked points, Enter closes and fills', async () => {
    await clearOut();
    await page.keyboard.press('3'); // background (palette: cat, dog, background, ignore)
    await page.keyboard.press('l');
    for (const [x, y] of [[20, 20], [40, 20], [40, 40], [20, 40]] as const) await click(x, y);
    await page.keyboard.press('Enter');
    const [e] = await edits(1);
    assert.equal(e.label, 'Polygon fill');
    const p = e.patches[0];
    assert.ok(Math.abs(p.x - 20) <= 1 && Math.abs(p.y - 20) <= 1 && Math.abs(p.w - 20) <= 2 && Math.abs(p.h - 20) <= 2, `${p.x},${p.y} ${p.w}x${p.h}`);
    assert.ok(p.after.every((v) => v === 0));
  });

  it('instances: N starts a new instance painted with its class and meta; Delete clears only its instance pixels', async () => {
    await clearOut();
    await page.keyboard.press('2');
    await page.keyboard.press('b');
    await page.keyboard.press('n');
    await drag([[80, 60], [100, 60]]);
    const [e] = await edits(1);
    assert.deepEqual(e.patches.map((p) => p.layer).sort(), ['instances', 'semantic']);
    const inst = e.patches.find((p) => p.layer === 'instances');
    assert.ok(inst);
    assert.equal(inst.kind, 'Uint16Array');
    assert.equal(valueAt(inst, 90, 60), 1);
    assert.deepEqual(e.meta, [{ id: 1, before: null, after: { id: 1, class: 2, source: 'manual' } }]);
    assert.match(await statusAt(90, 60), /dog \(2\) .* instance 1/);
    await clearOut();
    await page.keyboard.press('v');
    await click(90, 60);
    await page.keyboard.press('Delete');
    const [d] = await edits(1);
    assert.deepEqual(d.patches.map((p) => p.layer), ['instances']);
    assert.ok(d.patches[0].after.every((v) => v === 0));
    assert.deepEqual(d.meta, [{ id: 1, before: { id: 1, class: 2, source: 'manual' }, after: null }]);
    assert.match(await statusAt(90, 60), /dog \(2\) .* no instance/);
  });

  it('wheel zooms about the cursor, space+drag pans, the view is kept in the webview state', async () => {
    const before = await statusAt(30, 30);
    const m = /^(\d+), (\d+)/.exec(before);
    assert.ok(m, before);
    const zoom0 = /([\d.]+)%/.exec(before)?.[1];
    const p = at(30, 30);
    await page.mouse.wheel(0, -240);
    await page.waitForTimeout(100);
    await page.mouse.move(p.x + 0.1, p.y);
    const after = await page.evaluate<string>(`document.querySelector('.mw-status').textContent`);
    assert.ok(after.startsWith(`${m[1]}, ${m[2]}`), `pixel under the cursor kept: ${before} -> ${after}`);
    assert.notEqual(/([\d.]+)%/.exec(after)?.[1], zoom0);
    const saved = await page.evaluate<{ file: string; scale: number }>('window.acquireVsCodeApi().getState()');
    assert.equal(saved.file, 'img.png');
    assert.ok(saved.scale > 0);
    await page.keyboard.down('Space');
    await page.mouse.down();
    await page.mouse.move(p.x + 60, p.y, { steps: 3 });
    await page.mouse.up();
    await page.keyboard.up('Space');
    await page.mouse.move(p.x + 60, p.y);
    const panned = await page.evaluate<string>(`document.querySelector('.mw-status').textContent`);
    assert.ok(panned.startsWith(`${m[1]}, ${m[2]}`), `space+drag moved the image with the cursor: ${panned}`);
    assert.equal(await page.evaluate<number>(`window.__out.filter((m) => m.type === 'edit' && m.edit.label === 'Brush').length`), 0, 'panning painted nothing');
    await page.keyboard.press('z');
  });

  it('config updates the palette; reset replaces the maps', async () => {
    const cfg = { ...CONFIG, classes: [...CONFIG.classes, { id: 7, name: 'bird', color: '#0000ff', kind: 'thing' }] };
    await page.evaluate(`window.postMessage({ type: 'config', config: ${JSON.stringify(cfg)} }, '*')`);
    await waitFor(`[...document.querySelectorAll('.mw-class-name')].some((e) => e.textContent === 'bird')`);
    await page.evaluate(`window.postMessage({ type: 'reset', semantic: new Uint8Array(${W * H}).fill(7), instances: new Uint16Array(${W * H}), instanceInfo: [] }, '*')`);
    await page.waitForTimeout(100);
    assert.match(await statusAt(60, 60), /bird \(7\) .* no instance/);
  });

  it('Alt+click picks the class; unlabelled mode paints only background; a dragged lasso fills', async () => {
    const p = at(60, 60);
    await page.keyboard.down('Alt');
    await page.mouse.click(p.x, p.y);
    await page.keyboard.up('Alt');
    assert.match(await page.evaluate<string>(`document.querySelector('.mw-status').textContent`), /class: bird/);
    await page.keyboard.press('e');
    await clearOut();
    await drag([[30, 50], [40, 50]]);
    const [erase] = await edits(1);
    assert.equal(erase.label, 'Erase');
    const es = erase.patches.find((q) => q.layer === 'semantic');
    assert.ok(es && es.before.every((v) => v === 7) && es.after.every((v) => v === 0 || v === 7) && valueAt(es, 35, 50) === 0);
    await page.keyboard.press('2');
    await page.keyboard.press('b');
    await page.keyboard.press('u');
    await clearOut();
    await drag([[20, 50], [50, 50]]);
    const [paint] = await edits(1);
    const sem = paint.patches.find((q) => q.layer === 'semantic');
    assert.ok(sem);
    sem.before.forEach((b, i) => assert.equal(sem.after[i], b === 0 ? 2 : b, `pixel ${i} of the patch`));
    assert.ok(sem.before.some((b) => b === 0) && sem.after.some((a) => a === 7), 'the stroke crossed both kinds of pixel');
    await page.keyboard.press('u');
    await clearOut();
    await page.keyboard.press('l');
    await drag([[70, 10], [100, 10], [100, 30], [70, 30]]);
    const [lasso] = await edits(1);
    assert.equal(lasso.label, 'Polygon fill');
    const l = lasso.patches[0];
    assert.ok(Math.abs(l.x - 70) <= 1 && Math.abs(l.x + l.w - 100) <= 1 && Math.abs(l.y - 10) <= 1 && Math.abs(l.y + l.h - 30) <= 1, `${l.x},${l.y} ${l.w}x${l.h}`);
    assert.ok(l.after.every((v) => v === 2));
  });

  it('Ctrl+S / Ctrl+Z / Ctrl+Y are left to VS Code; plain tool keys are handled', async () => {
    const notCancelled = await page.evaluate<boolean[]>(`['s', 'z', 'y'].map((key) => window.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey: true, cancelable: true })))`);
    assert.deepEqual(notCancelled, [true, true, true]);
    const eCancelled = await page.evaluate<boolean>(`!window.dispatchEvent(new KeyboardEvent('keydown', { key: 'e', code: 'KeyE', cancelable: true }))`);
    assert.equal(eCancelled, true);
    assert.equal(await page.evaluate<string | null>(`document.querySelector('vscode-button[data-tool="eraser"]').getAttribute('aria-pressed')`), 'true');
  });
});

describe('webview in Chromium: image the browser cannot decode, read-only document', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;

  before(async function () {
    if (!haveChromium()) this.skip();
    // Bytes Chromium cannot decode as an image, like a TIFF.
    ep = await openEditorPage({ width: W, height: H, config: CONFIG, image: '/scan.tif', readonly: true, rgbaFallback: true },
      { files: { '/scan.tif': [Buffer.from('II*\0 not an image Chromium decodes'), 'image/tiff'] } });
    page = ep.page;
  });

  after(async () => {
    await ep?.close();
  });

  it('asks the host for RGBA bytes and draws them', async () => {
    const out = await page.evaluate<Array<{ type: string }>>('window.__out');
    assert.ok(out.some((m) => m.type === 'requestPixels'));
    const b = await (await page.$('canvas.mw-canvas'))?.boundingBox();
    assert.ok(b);
    const s = Math.min((b.width - 16) / W, (b.height - 16) / H);
    const x0 = b.x + Math.round((b.width - W * s) / 2), y0 = b.y + Math.round((b.height - H * s) / 2);
    const pixel = async (ix: number): Promise<number[]> => {
      const png = await page.screenshot({ clip: { x: Math.round(x0 + (ix + 0.5) * s), y: Math.round(y0 + 40.5 * s), width: 1, height: 1 } });
      return [...(await sharp(png).removeAlpha().raw().toBuffer())];
    };
    const left = await pixel(10), right = await pixel(W - 10);
    assert.ok(Math.abs(left[0] - 10) <= 3 && Math.abs(left[2] - 30) <= 3, `left ${left}`);
    assert.ok(Math.abs(right[0] - 220) <= 3 && Math.abs(right[2] - 200) <= 3, `right ${right}`);
  });

  it('read-only: a drag posts no edit and says why', async () => {
    const b = await (await page.$('canvas.mw-canvas'))?.boundingBox();
    assert.ok(b);
    await page.mouse.move(b.x + b.width / 2 - 50, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + 50, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate<number>(`window.__out.filter((m) => m.type === 'edit').length`), 0);
    assert.match(await page.evaluate<string>(`document.querySelector('.mw-banner').textContent`), /read-only/);
  });
});
