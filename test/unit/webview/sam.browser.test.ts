// The "Segment anything" tool in the built webview (headless Chromium, host CSP): real pointer
// input posts 'samPrompt' in image coordinates; the test answers as the host would, and the
// preview and the committed edit are read back (screenshot pixels through sharp, posted bytes).
// Skipped (with the reason) where Chromium is not installed.
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { type EditorPage, fitPoint, haveChromium, openEditorPage, waitForExpr } from './harness';

const W = 120, H = 80;
const CONFIG = { semanticBits: 8, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 1, name: 'cat', color: '#ff0000', kind: 'thing' }, { id: 2, name: 'dog', color: '#00ff00', kind: 'thing' }], ignoreIndex: 255, backgroundId: 0 };

interface PromptOut { id: number; prompt: { points: Array<{ x: number; y: number; label: number }>; box?: { x0: number; y0: number; x1: number; y1: number } } }
interface PatchOut { layer: string; x: number; y: number; w: number; h: number; after: number[] }
interface EditOut { label: string; patches: PatchOut[]; meta?: unknown }

/** An L-shaped test mask inside rect (x, y, w, h): the left half of the columns plus the top quarter of the rows. */
const inL = (c: number, r: number, w: number, h: number): boolean => c < w / 2 || r < h / 4;

describe('webview in Chromium: Segment anything (samPrompt)', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;
  let box = { x: 0, y: 0, width: 0, height: 0 };

  const at = (x: number, y: number): { x: number; y: number } => fitPoint(box, W, H, x, y);
  const waitFor = (expr: string, ms?: number): Promise<void> => waitForExpr(page, expr, ms);
  const clearOut = (): Promise<void> => page.evaluate('window.__out.length = 0');
  const prompts = async (n: number): Promise<PromptOut[]> => {
    await waitFor(`window.__out.filter((m) => m.type === 'samPrompt').length >= ${n}`);
    return page.evaluate(`window.__out.filter((m) => m.type === 'samPrompt')`);
  };
  const edits = async (n: number): Promise<EditOut[]> => {
    await waitFor(`window.__out.filter((m) => m.type === 'edit').length >= ${n}`);
    return page.evaluate(`window.__out.filter((m) => m.type === 'edit').map((m) => ({ label: m.edit.label, meta: m.edit.meta,
      patches: m.edit.patches.map((p) => ({ layer: p.layer, x: p.x, y: p.y, w: p.w, h: p.h, after: Array.from(p.after) })) }))`);
  };
  /** Answers a samPrompt as the host does: an L-shaped mask in rect (x, y, w, h). */
  const reply = (id: number, x: number, y: number, w: number, h: number, score = 0.93, modelId = 'sam-test'): Promise<void> =>
    page.evaluate(`(() => { const m = new Uint8Array(${w * h}); for (let r = 0; r < ${h}; r++) for (let c = 0; c < ${w}; c++) m[r * ${w} + c] = (c < ${w} / 2 || r < ${h} / 4) ? 1 : 0;
      window.postMessage({ type: 'reply', id: ${id}, ok: true, result: { rect: { x: ${x}, y: ${y}, w: ${w}, h: ${h} }, mask: m, score: ${score}, modelId: '${modelId}' } }, '*'); })()`);
  const hint = (): Promise<string> => page.evaluate(`document.querySelector('.mw-hint').textContent`);
  const redAt = async (x: number, y: number): Promise<number> => {
    const p = at(x, y);
    await page.mouse.move(box.x + 1, box.y + 1);
    await page.waitForTimeout(50);
    const png = await page.screenshot({ clip: { x: Math.round(p.x), y: Math.round(p.y), width: 1, height: 1 } });
    const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return data[0];
  };

  before(async function () {
    if (!haveChromium()) this.skip();
    ep = await openEditorPage({ width: W, height: H, config: CONFIG }, { rgb: Buffer.alloc(W * H * 3, 200) }, 'mw-sam-');
    page = ep.page;
    box = ep.box;
  });

  after(async () => {
    await ep?.close();
  });

  it('A selects the tool (sparkle button); click, Shift+click and a box drag post the prompt in image coordinates', async () => {
    await page.keyboard.press('a');
    assert.equal(await page.evaluate<string>(`document.querySelector('[data-tool="sam"]').getAttribute('aria-pressed')`), 'true');
    assert.equal(await page.evaluate<boolean>(`!!document.querySelector('[data-tool="sam"] .codicon-sparkle')`), true);
    await clearOut();
    const c = at(30, 20);
    await page.mouse.click(c.x, c.y);
    const [p1] = await prompts(1);
    assert.deepEqual(p1.prompt, { points: [{ x: 30.5, y: 20.5, label: 1 }] });
    const s = at(40, 25);
    await page.keyboard.down('Shift');
    await page.mouse.click(s.x, s.y);
    await page.keyboard.up('Shift');
    const [, p2] = await prompts(2);
    assert.deepEqual(p2.prompt, { points: [{ x: 30.5, y: 20.5, label: 1 }, { x: 40.5, y: 25.5, label: 0 }] });
    // Corners at pixel edges: image (60, 10) to (100, 50).
    const a = at(59.5, 9.5), b = at(99.5, 49.5);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 6 });
    await page.mouse.up();
    const [, , p3] = await prompts(3);
    assert.deepEqual(p3.prompt, { points: [{ x: 30.5, y: 20.5, label: 1 }, { x: 40.5, y: 25.5, label: 0 }], box: { x0: 60, y0: 10, x1: 100, y1: 50 } });
  });

  it('the reply to the latest prompt is previewed (a stale reply is ignored); Enter commits its pixels in the current class', async () => {
    const [p1, , p3] = await prompts(3);
    await reply(p3.id, 60, 10, 40, 40);
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await reply(p1.id, 0, 0, W, H); // stale: must not replace the preview
    await page.waitForTimeout(100);
    assert.match(await hint(), /sam-test: score 0\.93, 1000 px/);
    const inside = await redAt(65, 40), outside = await redAt(90, 40), elsewhere = await redAt(10, 60);
    assert.ok(inside < outside - 40, `preview pixel red ${inside} vs outside the mask ${outside}`);
    assert.ok(Math.abs(outside - elsewhere) < 10, `outside the mask ${outside} vs far away ${elsewhere}`);
    await clearOut();
    await page.keyboard.press('Enter');
    const [e] = await edits(1);
    assert.equal(e.label, 'Segment anything');
    assert.deepEqual(e.patches.map((p) => p.layer), ['semantic']);
    const p = e.patches[0];
    let painted = 0;
    for (let y = 10; y < 50; y++) {
      for (let x = 60; x < 100; x++) {
        const want = inL(x - 60, y - 10, 40, 40) ? 1 : 0;
        const got = x >= p.x && x < p.x + p.w && y >= p.y && y < p.y + p.h ? p.after[(y - p.y) * p.w + (x - p.x)] : 0;
        assert.equal(got, want, `pixel ${x},${y}`);
        painted += got;
      }
    }
    assert.equal(painted, 1000);
    assert.ok(p.x >= 60 && p.y >= 10 && p.x + p.w <= 100 && p.y + p.h <= 50, `patch ${p.x},${p.y} ${p.w}x${p.h} within the mask's rect`);
    // The preview's buttons go with the next frame (on a loaded machine, a late one).
    await waitFor(`document.querySelector('.mw-preview-actions').hidden`);
  });

  it('instance mode: a click inside the preview commits a new instance with source model:<id> and the score', async () => {
    await page.keyboard.press('2');
    await page.keyboard.press('j');
    await clearOut();
    const c = at(10, 70);
    await page.mouse.click(c.x, c.y);
    const [q] = await prompts(1);
    assert.deepEqual(q.prompt, { points: [{ x: 10.5, y: 70.5, label: 1 }] }, 'the committed prompt was cleared');
    await reply(q.id, 4, 64, 12, 12, 0.87654, 'sam-fixture');
    await waitFor(`!document.querySelector('.mw-preview-actions').hidden`);
    await clearOut();
    const inside = at(5, 65);
    await page.mouse.click(inside.x, inside.y);
    const [e] = await edits(1);
    assert.deepEqual(e.patches.map((p) => p.layer).sort(), ['instances', 'semantic']);
    assert.deepEqual(e.meta, [{ id: 1, before: null, after: { id: 1, class: 2, source: 'model:sam-fixture', score: 0.8765 } }]);
    const inst = e.patches.find((p) => p.layer === 'instances');
    assert.ok(inst);
    assert.equal(inst.after.filter((v) => v === 1).length, 12 * 6 + 6 * 3);
    assert.equal(await page.evaluate<number>(`window.__out.filter((m) => m.type === 'samPrompt').length`), 0, 'a click inside commits, it is not a new point');
    await page.keyboard.press('j');
  });

  it('Esc clears the prompt and a late reply; an error reply is shown in the banner', async () => {
    await clearOut();
    const c = at(100, 70);
    await page.mouse.click(c.x, c.y);
    const [q] = await prompts(1);
    await page.keyboard.press('Escape');
    await reply(q.id, 90, 60, 20, 20);
    await page.waitForTimeout(150);
    assert.equal(await page.evaluate<boolean>(`document.querySelector('.mw-preview-actions').hidden`), true, 'the reply after Esc is dropped');
    await clearOut();
    await page.mouse.click(c.x, c.y);
    const [r] = await prompts(1);
    assert.deepEqual(r.prompt, { points: [{ x: 100.5, y: 70.5, label: 1 }] }, 'Esc dropped the earlier points');
    await page.evaluate(`window.postMessage({ type: 'reply', id: ${r.id}, ok: false, error: 'no promptable model is registered: run Add model' }, '*')`);
    await waitFor(`!document.querySelector('.mw-banner').hidden`);
    assert.match(await page.evaluate<string>(`document.querySelector('.mw-banner').textContent`), /Segment anything: no promptable model is registered/);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate<number>(`window.__out.filter((m) => m.type === 'edit').length`), 0, 'nothing to commit');
    assert.deepEqual(await page.evaluate('window.__csp'), []);
  });
});
