// A comparison reaches the webview deflated (the host's packCompare, 400x300 here; 16 MB raw at
// 4096^2) and the webview inflates it before drawing the change layer: the changed half of the
// image shows the other version's class, a map of the wrong size or depth is refused with a
// message, and a clear posted right behind a comparison still wins.
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { packCompare } from '../../../src/editor/wire';
import type { CompareLayer, WireCompareLayer } from '../../../src/shared/protocol';
import { type EditorPage, fitPoint, haveChromium, openEditorPage, waitForExpr } from './harness';

const W = 400, H = 300;
const CONFIG = { semanticBits: 8, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 1, name: 'cat', color: '#ff0000', kind: 'thing' }, { id: 2, name: 'grass', color: '#00ff00', kind: 'stuff' }], ignoreIndex: 255, backgroundId: 0 };

/** The other version: class 2 on the left half; the editor's own masks are all background. */
function layer(): CompareLayer {
  const before = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) before.fill(2, y * W, y * W + W / 2);
  return { title: 'HEAD (test)', beforeLabel: 'HEAD', afterLabel: 'yours', before, changedPixels: (W / 2) * H, rows: [{ id: 2, before: (W / 2) * H, after: 0, intersection: 0, iou: 0 }], summary: 'half of it', showBefore: true };
}

const literal = (c: WireCompareLayer | null): string => (c === null ? 'null'
  : JSON.stringify({ ...c, before: { ...c.before, data: '@DATA@' } }).replace('"@DATA@"', `new Uint8Array([${Array.from(c.before.data).join(',')}])`));

describe('webview in Chromium: comparisons arrive deflated', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;

  const post = (...msgs: Array<WireCompareLayer | null>): Promise<void> =>
    page.evaluate(msgs.map((c) => `window.postMessage({ type: 'compare', compare: ${literal(c)} }, '*');`).join('\n'));
  const waitFor = (expr: string, ms?: number): Promise<void> => waitForExpr(page, expr, ms);
  /** Mean RGB of a 9x9 screen square about image pixel (x, y). */
  const rgbAt = async (x: number, y: number): Promise<number[]> => {
    const p = fitPoint(ep!.box, W, H, x, y);
    const png = await page.screenshot({ clip: { x: Math.round(p.x) - 4, y: Math.round(p.y) - 4, width: 9, height: 9 } });
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const m = [0, 0, 0];
    for (let i = 0; i < data.length; i += info.channels) for (let c = 0; c < 3; c++) m[c] += data[i + c] / (info.width * info.height);
    return m;
  };
  const banner = (): Promise<string> => page.evaluate<string>(`(document.querySelector('.mw-banner-text') || {}).textContent || ''`);

  before(async function () {
    if (!haveChromium()) this.skip();
    ep = await openEditorPage({ width: W, height: H, config: CONFIG }, { rgb: Buffer.alloc(W * H * 3, 90) }, 'mw-compare-');
    page = ep.page;
  });
  after(async () => { await ep?.close(); });

  it('the packed map is inflated and drawn: the changed half shows the other version\'s class, the other half the image', async () => {
    const wire = await packCompare(layer());
    assert.ok(wire.before.data.length < (W * H) / 50, `${wire.before.data.length} bytes packed for ${W * H} pixels`);
    await post(wire);
    await waitFor(`document.body.dataset.compare === 'before'`);
    assert.match(await page.evaluate<string>(`document.querySelector('.mw-compare-title').textContent`), /HEAD \(test\)/);
    await page.waitForTimeout(100);
    const [r, g, b] = await rgbAt(100, 150);
    assert.ok(g > r + 40 && g > b + 40, `the changed half is drawn green (class 2): rgb ${[r, g, b].map((v) => v.toFixed(0))}`);
    const [r2, g2, b2] = await rgbAt(300, 150);
    assert.ok(Math.abs(g2 - r2) < 12 && Math.abs(g2 - b2) < 12, `the unchanged half shows the gray image: rgb ${[r2, g2, b2].map((v) => v.toFixed(0))}`);
  });

  it('a map of the wrong size or depth is refused with a message and the shown comparison stays', async () => {
    const wire = await packCompare(layer());
    const short = await packCompare({ ...layer(), title: 'short', before: new Uint8Array(W * H - 1) });
    await post(short);
    await waitFor(`((document.querySelector('.mw-banner-text') || {}).textContent || '').includes('could not be read')`);
    assert.match(await banner(), /its map: 119999 bytes after inflating, expected 120000/);
    const deep = await packCompare({ ...layer(), title: 'deep', before: new Uint16Array(W * H) });
    await post(deep);
    await waitFor(`((document.querySelector('.mw-banner-text') || {}).textContent || '').includes('16-bit')`);
    assert.match(await banner(), /its map is 16-bit, but the dataset config says 8-bit/);
    assert.equal(await page.evaluate<string>(`document.querySelector('.mw-compare-title').textContent`), wire.title);
  });

  it('a clear posted right behind a comparison wins: messages keep their order while one is inflated', async () => {
    await post(null);
    await waitFor(`document.body.dataset.compare === ''`);
    await post(await packCompare({ ...layer(), title: 'second' }), null);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate<string>(`document.body.dataset.compare`), '');
    assert.equal(await page.evaluate<boolean>(`!document.querySelector('.mw-compare-title')`), true, 'no comparison panel is shown');
  });
});
