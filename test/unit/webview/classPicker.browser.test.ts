// The first ten minutes, in the built webview (headless Chromium, host CSP): a class picker that
// scales to 200 classes (filter, scrolling list, keys for the first ten) and Segment anything
// saying at once that no promptable model is set, with "Add model..." and a link.
import * as assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { haveChromium, openEditorPage, type EditorPage } from './harness';

const W = 64, H = 48;
const CLASSES = Array.from({ length: 200 }, (_, i) => ({ id: i, name: i === 0 ? 'background' : `cls ${i}`, color: '#' + (i * 40503 % 0xffffff).toString(16).padStart(6, '0'), kind: i === 0 ? 'stuff' : 'thing' }));
const HELP = 'https://example.invalid/maskwright#pre-labelling-with-a-model';

describe('webview in Chromium: class picker with 200 classes; display window; Segment anything without a model', function () {
  this.timeout(120000);
  let ep: EditorPage | undefined;
  let page: Page;

  const selected = (): Promise<string> => page.evaluate(`document.querySelector('.mw-class[aria-selected="true"]').dataset.classId`);
  const visible = (): Promise<number> => page.evaluate(`[...document.querySelectorAll('.mw-class')].filter((e) => !e.hidden).length`);

  before(async function () {
    if (!haveChromium()) this.skip();
    ep = await openEditorPage({ width: W, height: H, config: { semanticBits: 8, classes: CLASSES, ignoreIndex: 255, backgroundId: 0 }, promptModel: null, helpUrl: HELP }, { rgb: Buffer.alloc(W * H * 3, 100) }, 'mw-picker-');
    page = ep.page;
  });
  after(async () => { await ep?.close(); });

  it('lists all 200 classes in a scrolling list; keys 1..9, 0 pick the first ten', async () => {
    assert.equal(await page.evaluate<number>(`document.querySelectorAll('.mw-class').length`), 201, '200 classes and the ignore index');
    assert.ok(await page.evaluate<boolean>(`(() => { const p = document.querySelector('.mw-palette'); return p.scrollHeight > p.clientHeight + 100; })()`), 'the list scrolls');
    await page.mouse.click(ep!.box.x + 5, ep!.box.y + 5);
    await page.keyboard.press('3');
    const third = await selected();
    await page.keyboard.press('0');
    const tenth = await selected();
    assert.notEqual(third, tenth);
    const order = await page.evaluate<string[]>(`[...document.querySelectorAll('.mw-class')].map((e) => e.dataset.classId)`);
    assert.equal(third, order[2]);
    assert.equal(tenth, order[9]);
  });

  it('"/" focuses the filter; typing narrows the list by name or id; Enter picks the first match and it scrolls into view', async () => {
    await page.keyboard.press('/');
    assert.equal(await page.evaluate<string>(`document.activeElement.className`), 'mw-class-filter');
    await page.keyboard.type('cls 17');
    assert.equal(await visible(), 11, 'cls 17 and cls 170..179');
    await page.keyboard.press('Enter');
    assert.equal(await selected(), '17');
    await page.keyboard.press('Escape');
    assert.equal(await visible(), 201, 'Esc clears the filter');
    await page.keyboard.press('/');
    await page.keyboard.type('187');
    assert.equal(await visible(), 1, 'an id matches exactly');
    await page.keyboard.press('Enter');
    assert.equal(await selected(), '187');
    await page.keyboard.press('Escape');
    const inView = await page.evaluate<boolean>(`(() => { const p = document.querySelector('.mw-palette').getBoundingClientRect(); const r = document.querySelector('.mw-class[aria-selected="true"]').getBoundingClientRect(); return r.top >= p.top - 1 && r.bottom <= p.bottom + 1; })()`);
    assert.ok(inView, 'the picked class is scrolled into view');
  });

  it('Brightness and contrast change the image on screen only (display window); double-click resets', async () => {
    const centre = async (): Promise<number> => {
      const b = ep!.box;
      await page.mouse.move(b.x + 1, b.y + 1);
      const png = await page.screenshot({ clip: { x: Math.round(b.x + b.width / 2), y: Math.round(b.y + b.height / 2), width: 1, height: 1 } });
      return (await sharp(png).removeAlpha().raw().toBuffer())[0];
    };
    await page.evaluate('window.__out.length = 0');
    const before = await centre();
    assert.ok(Math.abs(before - 100) <= 2, `the image (value 100) is drawn as is: ${before}`);
    const set = (label: string, v: number): Promise<void> => page.evaluate(`(() => { const i = document.querySelector('input[aria-label="${label}"]'); i.value = '${v}'; i.dispatchEvent(new Event('input')); })()`);
    await set('Brightness', 200);
    await page.waitForTimeout(100);
    const bright = await centre();
    assert.ok(Math.abs(bright - 200) <= 3, `brightness 200%: ${bright}`);
    await page.locator('label.mw-slider', { hasText: 'Brightness' }).dblclick();
    await page.waitForTimeout(100);
    assert.ok(Math.abs((await centre()) - 100) <= 2, 'reset');
    assert.equal(await page.evaluate<number>(`window.__out.filter((m) => m.type === 'edit').length`), 0, 'no edit: display only');
  });

  it('Segment anything says at once that no promptable model is set; "Add model..." asks the host; the link goes to the README section', async () => {
    await page.mouse.click(ep!.box.x + 5, ep!.box.y + 5);
    await page.evaluate('window.__out.length = 0');
    await page.keyboard.press('a');
    const text = await page.evaluate<string>(`(document.querySelector('.mw-notice') || {}).textContent || ''`);
    assert.match(text, /needs a promptable \(SAM-family\) model, and none is set/);
    assert.equal(await page.evaluate<string>(`document.querySelector('.mw-notice a').href`), HELP);
    await page.locator('.mw-notice vscode-button, .mw-notice button', { hasText: 'Add model...' }).first().click();
    const cmds = await page.evaluate<string[]>(`window.__out.filter((m) => m.type === 'command').map((m) => m.command)`);
    assert.deepEqual(cmds, ['addModel']);
    await page.keyboard.press('b');
    assert.equal(await page.evaluate<number>(`document.querySelectorAll('.mw-notice').length`), 0, 'another tool clears the notice');
  });

  it('a note (the EXIF rule) is an information notice, not an error banner, and stays when the tool changes', async () => {
    const note = 'This image has EXIF orientation 6. Masks follow the pixel grid as stored in the file.';
    const other = await openEditorPage({ width: W, height: H, config: { semanticBits: 8, classes: CLASSES.slice(0, 3), ignoreIndex: 255, backgroundId: 0 }, notes: [note] }, { rgb: Buffer.alloc(W * H * 3, 100) }, 'mw-note-');
    try {
      const p = other.page;
      assert.equal(await p.evaluate<string>(`document.querySelector('.mw-notice .mw-banner-text').textContent`), note);
      assert.equal(await p.evaluate<boolean>(`document.querySelector('.mw-banner:not(.mw-notice)').hidden`), true, 'no error banner');
      await p.mouse.click(other.box.x + 5, other.box.y + 5);
      await p.keyboard.press('e');
      await p.keyboard.press('b');
      assert.equal(await p.evaluate<number>(`document.querySelectorAll('.mw-notice').length`), 1);
    } finally {
      await other.close();
    }
  });
});
