// E2E: a fast circular brush drag through the workbench paints a continuous ring. The mouse goes
// round twice in big steps with no pause, so the browser merges positions (coalesced pointer
// events) and the webview is several positions behind; every position must still be painted and
// joined to the one before. Checked on the saved mask PNG, decoded by the project's PNG reader:
// the painted pixels cover the circle at every degree, form one 4-connected ring, stay near the
// circle, and leave its centre and the outside as background. No timing thresholds.
// Then Ctrl+S pressed right after a whole-image fill (its patch still being deflated in the
// webview) saves the fill: the first mask file on disk holds it.
'use strict';
/* global describe, it, before, after, document, Event */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { makeWorkspace } = require('../harness/workspace');
const w = require('./workbench');

const SIZE = 1024, CX = 512, CY = 512, R = 300, BRUSH = 12, BIG = 3072;

/** Number of 4-connected components of the pixels equal to id, and the size of the largest. */
function components(mask, id) {
  const { width: W, height: H, ids } = mask;
  const seen = new Uint8Array(W * H);
  let count = 0, largest = 0;
  const stack = [];
  for (let start = 0; start < ids.length; start++) {
    if (ids[start] !== id || seen[start]) continue;
    count++;
    let n = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop();
      n++;
      const x = i % W, y = (i - x) / W;
      for (const j of [x > 0 ? i - 1 : -1, x < W - 1 ? i + 1 : -1, y > 0 ? i - W : -1, y < H - 1 ? i + W : -1]) {
        if (j >= 0 && !seen[j] && ids[j] === id) { seen[j] = 1; stack.push(j); }
      }
    }
    largest = Math.max(largest, n);
  }
  return { count, largest };
}

describe('brush strokes through the workbench are continuous (Playwright)', function () {
  this.timeout(240000);
  let session, ws;

  before(async () => {
    ws = makeWorkspace(path.join(w.harness().runDir, 'ws-strokes'), []);
    const sharp = require('sharp');
    const rgb = Buffer.alloc(SIZE * SIZE * 3, 96);
    await sharp(rgb, { raw: { width: SIZE, height: SIZE, channels: 3 } }).png().toFile(path.join(ws, 'ring.png'));
    await sharp({ create: { width: BIG, height: BIG, channels: 3, background: { r: 96, g: 96, b: 96 } } }).png().toFile(path.join(ws, 'big.png'));
    session = await w.openWorkbench(ws);
  });
  after(async () => { if (session) await session.browser.close(); });

  it('a fast circular drag paints a closed ring through every position, saved to disk', async () => {
    const { page } = session;
    const maskFile = path.join(ws, 'ring.mask.png');
    await w.quickOpen(page, 'ring.png');
    const frame = await w.waitForEditorFrame(page);
    await frame.evaluate((size) => {
      document.querySelector('[data-tool="brush"]').click();
      const input = document.querySelector('input[aria-label="Size"]');
      input.value = String(size);
      input.dispatchEvent(new Event('input'));
    }, BRUSH);
    const stage = await w.stageOf(frame, SIZE, SIZE);
    // Two turns, 40 positions a turn (9 degrees apart: about 47 image pixels), as fast as Playwright sends them.
    const at = (k) => stage.toPage(CX + R * Math.cos((k * Math.PI) / 20), CY + R * Math.sin((k * Math.PI) / 20));
    const p0 = at(0);
    await page.mouse.move(p0.x, p0.y);
    await page.mouse.down();
    for (let k = 1; k <= 80; k++) { const p = at(k); await page.mouse.move(p.x, p.y); }
    await page.mouse.up();
    await page.screenshot({ path: path.join(w.harness().results, 'e2e-ring.png') }).catch(() => undefined);
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+S');
    await w.until(page, () => fs.existsSync(maskFile) && w.readMaskIds(maskFile).ids.some((v) => v === 1), 'Ctrl+S to write ring.mask.png with the ring', 60000);
    const mask = w.readMaskIds(maskFile);
    assert.deepStrictEqual([mask.width, mask.height], [SIZE, SIZE]);
    const missed = [];
    for (let deg = 0; deg < 360; deg++) {
      // stageOf aims at pixel centres: the pointer is at image point (CX + 0.5, CY + 0.5) + R (cos, sin).
      const x = Math.floor(CX + 0.5 + R * Math.cos((deg * Math.PI) / 180)), y = Math.floor(CY + 0.5 + R * Math.sin((deg * Math.PI) / 180));
      if (mask.ids[y * SIZE + x] !== 1) missed.push(deg);
    }
    assert.deepStrictEqual(missed, [], `the ring covers the circle at every degree (missed at ${missed.length} degrees)`);
    const c = components(mask, 1);
    assert.strictEqual(c.count, 1, `the painted pixels are one connected ring (${c.count} pieces)`);
    // Chords of 9 degrees lie within 1 px of the circle; the brush reaches BRUSH / 2 either side.
    let far = 0;
    for (let i = 0; i < mask.ids.length; i++) {
      if (mask.ids[i] !== 1) continue;
      const x = i % SIZE, y = Math.floor(i / SIZE);
      if (Math.abs(Math.hypot(x - CX, y - CY) - R) > BRUSH / 2 + 4) far++;
    }
    assert.strictEqual(far, 0, 'no painted pixel far from the circle');
    assert.strictEqual(mask.ids[CY * SIZE + CX], 0, 'the centre stays background');
    assert.strictEqual(mask.ids[20 * SIZE + 20], 0, 'the outside stays background');
  });

  it('Ctrl+S right after a whole-image fill saves the fill (the save waits for the edit being packed)', async () => {
    const { page } = session;
    const maskFile = path.join(ws, 'big.mask.png');
    const earlier = page.frames();
    await w.quickOpen(page, 'big.png');
    const frame = await w.waitForEditorFrame(page, 120000, earlier);
    await frame.evaluate(() => document.querySelector('[data-tool="fill"]').click());
    const stage = await w.stageOf(frame, BIG, BIG);
    const p = stage.toPage(BIG / 2, BIG / 2);
    await page.mouse.click(p.x, p.y);
    await page.keyboard.press('Control+S');
    await w.until(page, () => fs.existsSync(maskFile), 'Ctrl+S to write big.mask.png', 60000);
    // Files are renamed into place whole: the first mask on disk is the first save's.
    const mask = w.readMaskIds(maskFile);
    assert.deepStrictEqual([mask.width, mask.height], [BIG, BIG]);
    let filled = 0;
    for (const v of mask.ids) if (v === 1) filled++;
    assert.strictEqual(filled, BIG * BIG, `the first save holds the fill (${filled} of ${BIG * BIG} pixels)`);
  });
});
