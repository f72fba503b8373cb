// The built webview (headless Chromium, host CSP) on a 16-bit dataset: 302 classes, class 300
// picked through the search, a brush stroke posting a Uint16Array patch of 300, drawn in the VOC
// colour of 300 (the LUT covers ids above 255), and maps of the wrong depth refused by the webview.
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { vocColor } from '../../../src/shared/config';
import { fitPoint, haveChromium, openEditorPage, type EditorPage } from './harness';

const W = 64, H = 48;
const CLASSES = [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, ...Array.from({ length: 301 }, (_, i) => ({ id: i + 1, name: i + 1 === 300 ? 'zebra crossing' : `label ${i + 1}`, kind: 'thing' }))];

describe('webview in Chromium: a 16-bit dataset (class 300 through the search, painted and drawn)', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;

  before(async function () {
    if (!haveChromium()) this.skip();
    ep = await openEditorPage({ width: W, height: H, config: { semanticBits: 16, classes: CLASSES, ignoreIndex: 65535, backgroundId: 0 } }, { rgb: Buffer.alloc(W * H * 3, 100) }, 'mw-sem16-');
    page = ep.page;
  });
  after(async () => { await ep?.close(); });

  it('the search picks class 300; a stroke posts a Uint16Array patch of 300 drawn in the VOC colour of 300', async () => {
    assert.equal(await page.evaluate<number>(`document.querySelectorAll('.mw-class').length`), 303);
    await page.mouse.click(ep!.box.x + 5, ep!.box.y + 5);
    await page.keyboard.press('/');
    await page.keyboard.type('zebra');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate<string>(`document.querySelector('.mw-class[aria-selected="true"]').dataset.classId`), '300');
    await page.keyboard.press('Escape');
    await page.evaluate('window.__out.length = 0');
    const a = fitPoint(ep!.box, W, H, 10, 24), b = fitPoint(ep!.box, W, H, 50, 24);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    const end = Date.now() + 10000;
    while (!(await page.evaluate<boolean>(`window.__out.some((m) => m.type === 'edit')`))) {
      if (Date.now() > end) throw new Error('no edit posted');
      await new Promise((r) => setTimeout(r, 25));
    }
    const p = await page.evaluate<{ kind: string; values: number[] }>(`(() => { const p = window.__out.find((m) => m.type === 'edit').edit.patches[0]; return { kind: p.after.constructor.name, values: [...new Set(Array.from(p.after))].sort((x, y) => x - y) }; })()`);
    assert.equal(p.kind, 'Uint16Array');
    assert.deepEqual(p.values, [0, 300], 'the patch holds class 300 (and background around the round brush)');

    const c = fitPoint(ep!.box, W, H, 30, 24);
    await page.mouse.move(ep!.box.x + 1, ep!.box.y + 1);
    await page.waitForTimeout(50);
    const png = await page.screenshot({ clip: { x: Math.round(c.x), y: Math.round(c.y), width: 1, height: 1 } });
    const rgb = [...(await sharp(png).removeAlpha().raw().toBuffer())];
    const want = vocColor(300).map((v) => Math.round(0.5 * v + 0.5 * 100)); // opacity 0.5 over gray 100
    assert.ok(rgb.every((v, i) => Math.abs(v - want[i]) <= 3), `screen ${rgb} vs VOC colour of 300 at 50%: ${want}`);
  });

  it('keyboard only: "/" and a query, ArrowDown into the list, arrows between the rows shown, Enter picks; one tab stop', async () => {
    await page.mouse.click(ep!.box.x + 5, ep!.box.y + 5);
    await page.keyboard.press('/');
    await page.keyboard.type('label 29');
    assert.equal(await page.evaluate<number>(`[...document.querySelectorAll('.mw-class')].filter((e) => !e.hidden).length`), 11, 'label 29 and label 290..299');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate<string>(`document.activeElement.dataset.classId`), '29');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate<string>(`document.activeElement.dataset.classId`), '291');
    await page.keyboard.press('End');
    assert.equal(await page.evaluate<string>(`document.activeElement.dataset.classId`), '299');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate<string>(`document.querySelector('.mw-class[aria-selected="true"]').dataset.classId`), '299');
    assert.equal(await page.evaluate<string>(`[...document.querySelectorAll('.mw-class')].filter((e) => e.tabIndex === 0).map((e) => e.dataset.classId).join()`), '299', 'only the selected row is a tab stop');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate<string>(`document.activeElement.className`), 'mw-class-filter', 'ArrowUp from the first row goes back to the search');
    await page.keyboard.press('Escape');
  });

  it('a reset carrying 8-bit maps to this 16-bit editor is refused with a message, not converted', async () => {
    await page.evaluate(`window.postMessage({ type: 'reset', semantic: new Uint8Array(${W * H}).fill(7), instances: new Uint16Array(${W * H}), instanceInfo: [] }, '*')`);
    const end = Date.now() + 10000;
    let text = '';
    while (!/not 16-bit/.test(text)) {
      if (Date.now() > end) throw new Error(`no refusal shown (banner: ${text})`);
      await new Promise((r) => setTimeout(r, 25));
      text = await page.evaluate<string>(`document.querySelector('.mw-banner-text').textContent || ''`);
    }
    assert.match(text, /the semantic map is not 16-bit, as the dataset config says/);
  });
});
