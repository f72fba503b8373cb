// The pixel worker closes the image once it has read what a tool needed (the gray image for the
// threshold preview): a tool that needs the colours afterwards (the magic wand) gets the image
// again and answers correctly, and the threshold keeps its gray image.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { type EditorPage, fitPoint, halfDarkRgb, haveChromium, openEditorPage, waitForExpr } from './harness';

const W = 120, H = 80;
const CONFIG = { semanticBits: 8, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 1, name: 'cat', color: '#ff0000', kind: 'thing' }, { id: 2, name: 'dog', color: '#00ff00', kind: 'thing' }], ignoreIndex: 255, backgroundId: 0 };

interface Edit { label: string; patches: Array<{ x: number; y: number; w: number; h: number; after: number[] }> }

describe('webview in Chromium: the pixel worker releases the image and gets it again', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;

  const waitFor = (expr: string, ms?: number): Promise<void> => waitForExpr(page, expr, ms);
  const commit = async (): Promise<Edit> => {
    await page.evaluate('window.__out.length = 0');
    await page.keyboard.press('Enter');
    await waitFor(`window.__out.some((m) => m.type === 'edit')`);
    return page.evaluate<Edit>(`(() => { const m = window.__out.find((m) => m.type === 'edit'); return { label: m.edit.label, patches: m.edit.patches.map((p) => ({ x: p.x, y: p.y, w: p.w, h: p.h, after: Array.from(p.after) })) }; })()`);
  };

  before(async function () {
    if (!haveChromium()) this.skip();
    // Left half dark (30), right half light (200).
    const rgb = halfDarkRgb(W, H);
    ep = await openEditorPage({ width: W, height: H, config: CONFIG }, { rgb });
    page = ep.page;
  });

  after(async () => {
    await ep?.close();
  });

  it('threshold first (gray image read, image closed), then the magic wand (colours needed: the image again), then threshold again', async () => {
    await page.keyboard.press('1');
    await page.keyboard.press('t');
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    const t = await commit();
    assert.equal(t.label, 'Threshold');
    assert.deepEqual([t.patches[0].x, t.patches[0].y, t.patches[0].w, t.patches[0].h], [W / 2, 0, W / 2, H]);

    await page.keyboard.press('2');
    await page.keyboard.press('w');
    const p = fitPoint(ep!.box, W, H, 10, 10);
    await page.mouse.click(p.x, p.y);
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    const w = await commit();
    assert.equal(w.label, 'Magic wand');
    assert.deepEqual([w.patches[0].x, w.patches[0].y, w.patches[0].w, w.patches[0].h], [0, 0, W / 2, H]);
    assert.ok(w.patches[0].after.every((v) => v === 2));
    assert.equal(await page.evaluate<boolean>(`document.querySelector('.mw-banner').hidden`), true, 'no error banner');

    // Threshold into class 2: the light half becomes 2, the wand's dark class-2 half background.
    await page.keyboard.press('t');
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    const t2 = await commit();
    assert.equal(t2.label, 'Threshold');
    const q = t2.patches[0];
    assert.deepEqual([q.x, q.y, q.w, q.h], [0, 0, W, H]);
    for (const [x, want] of [[5, 0], [W - 5, 2]]) assert.equal(q.after[10 * W + x], want, `pixel ${x},10`);
  });
});
