// Large edits leave the webview deflated: a whole-image fill posts a packed patch (CompressionStream
// in Chromium) that the host's unpacker (src/editor/wire.ts) inflates to exactly the pixels filled;
// edits keep their order while one is being packed; a refused packed edit is reverted.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { unpackWebviewMessage } from '../../../src/editor/wire';
import { PACK_PATCH_PIXELS, parseWebviewMessage } from '../../../src/shared/protocol';
import { type EditorPage, fitPoint, haveChromium, openEditorPage, waitForExpr } from './harness';

const W = 400, H = 300;
const CONFIG = { semanticBits: 8, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 1, name: 'cat', color: '#ff0000', kind: 'thing' }, { id: 2, name: 'dog', color: '#00ff00', kind: 'thing' }], ignoreIndex: 255, backgroundId: 0 };

interface Posted { type: string; id: number; edit: { label: string; patches: Array<Record<string, unknown>> } }

describe('webview in Chromium: large edits posted deflated', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;

  const waitFor = (expr: string, ms?: number): Promise<void> => waitForExpr(page, expr, ms);
  /** The edits posted since the last clear, typed arrays rebuilt on this side. */
  const posted = async (n: number): Promise<Posted[]> => {
    await waitFor(`window.__out.filter((m) => m.type === 'edit').length >= ${n}`);
    const list = await page.evaluate<Posted[]>(`window.__out.filter((m) => m.type === 'edit').map((m) => ({ type: m.type, id: m.id, edit: { label: m.edit.label,
      patches: m.edit.patches.map((p) => { const o = {}; for (const [k, v] of Object.entries(p)) o[k] = ArrayBuffer.isView(v) ? { kind: v.constructor.name, values: Array.from(v) } : v; return o; }) } }))`);
    for (const m of list) {
      for (const p of m.edit.patches) {
        for (const [k, v] of Object.entries(p)) {
          const t = v as { kind?: string; values?: number[] };
          if (t && t.kind) p[k] = t.kind === 'Uint16Array' ? Uint16Array.from(t.values!) : Uint8Array.from(t.values!);
        }
      }
    }
    return list;
  };
  const click = async (x: number, y: number): Promise<void> => { const p = fitPoint(ep!.box, W, H, x, y); await page.mouse.click(p.x, p.y); };
  /** A short stroke from image point (x0, y0) to (x1, y1). */
  const drag = async (x0: number, y0: number, x1: number, y1: number): Promise<void> => {
    const a = fitPoint(ep!.box, W, H, x0, y0), b = fitPoint(ep!.box, W, H, x1, y1);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 3 });
    await page.mouse.up();
  };

  before(async function () {
    if (!haveChromium()) this.skip();
    ep = await openEditorPage({ width: W, height: H, config: CONFIG }, { rgb: Buffer.alloc(W * H * 3, 90) });
    page = ep.page;
  });

  after(async () => {
    await ep?.close();
  });

  it('a fill of the whole image posts one deflated patch; the host unpacks it to the filled pixels', async () => {
    assert.ok(W * H >= PACK_PATCH_PIXELS);
    await page.evaluate('window.__out.length = 0');
    await page.keyboard.press('1');
    await page.keyboard.press('f');
    await click(200, 150);
    const [m] = await posted(1);
    const p = m.edit.patches[0];
    assert.equal(p.packed, 'deflate');
    assert.equal(p.bits, 8);
    assert.ok(p.data instanceof Uint8Array && p.data.length < (2 * W * H) / 50, `${(p.data as Uint8Array).length} bytes packed for ${2 * W * H} raw`);
    const msg = parseWebviewMessage(unpackWebviewMessage(m));
    assert.ok(msg && msg.type === 'edit', 'the host accepts the unpacked edit');
    const q = msg.edit.patches[0];
    assert.deepEqual([q.layer, q.x, q.y, q.w, q.h], ['semantic', 0, 0, W, H]);
    assert.ok(q.before instanceof Uint8Array && q.before.every((v) => v === 0), 'before: background');
    assert.ok(q.after.every((v) => v === 1), 'after: class 1 everywhere');
  });

  it('a small brush stroke right after a large fill is posted after it (packing keeps the order), raw', async () => {
    await page.evaluate('window.__out.length = 0');
    await page.keyboard.press('2');
    await click(100, 100);
    await page.keyboard.press('1');
    await page.keyboard.press('b');
    await drag(20, 20, 30, 20);
    const list = await posted(2);
    assert.deepEqual(list.map((m) => m.edit.label), ['Fill', 'Brush']);
    assert.ok(list[0].id < list[1].id);
    assert.equal(list[0].edit.patches[0].packed, 'deflate');
    assert.equal(list[1].edit.patches[0].packed, undefined);
    const fill = parseWebviewMessage(unpackWebviewMessage(list[0]));
    assert.ok(fill && fill.type === 'edit' && fill.edit.patches[0].after.every((v) => v === 2) && fill.edit.patches[0].before.every((v) => v === 1));
    // The fill left later than it was made, so it was announced at once (a Ctrl+S meanwhile waits
    // for it on the host); the stroke too if it was made while the fill was still being packed.
    const order = await page.evaluate<Array<{ type: string; id: number }>>(`window.__out.filter((m) => m.type === 'edit' || m.type === 'editComing').map((m) => ({ type: m.type, id: m.id }))`);
    const at = (type: string, id: number): number => order.findIndex((m) => m.type === type && m.id === id);
    assert.ok(at('editComing', list[0].id) === 0 && at('edit', list[0].id) > 0, JSON.stringify(order));
    if (at('editComing', list[1].id) >= 0) assert.ok(at('editComing', list[1].id) < at('edit', list[0].id), JSON.stringify(order));
    assert.deepEqual(parseWebviewMessage(order[0]), { type: 'editComing', id: list[0].id }, 'the host accepts the announcement');
  });

  it('a small stroke alone is posted at once, unannounced', async () => {
    await page.evaluate('window.__out.length = 0');
    await page.keyboard.press('b');
    await drag(40, 40, 50, 40);
    await posted(1);
    assert.deepEqual(await page.evaluate<string[]>(`window.__out.map((m) => m.type).filter((t) => t.startsWith('edit'))`), ['edit']);
  });

  it('a packed edit the host refuses is reverted in the editor', async () => {
    await page.evaluate('window.__out.length = 0; window.__failEdits = true');
    await page.keyboard.press('1');
    await page.keyboard.press('f');
    await click(300, 250);
    await posted(1);
    await waitFor(`!document.querySelector('.mw-banner').hidden`);
    assert.match(await page.evaluate<string>(`document.querySelector('.mw-banner').textContent`), /disk full \(test\)/);
    // The status bar names the class under the pointer: dog (2) again, not cat.
    const p = fitPoint(ep!.box, W, H, 300, 250);
    await page.mouse.move(p.x, p.y);
    await waitFor(`/dog \\(2\\)/.test(document.querySelector('.mw-status').textContent)`);
    await page.evaluate('window.__failEdits = false');
  });
});
