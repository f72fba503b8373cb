// E2E through the real workbench: a 16-bit dataset ("semanticBits": 16) with 302 classes. The class
// is picked through the palette's search, a mouse stroke paints it, Ctrl+S saves, and the mask on
// disk is read by PIL (an independent decoder): 16-bit grayscale whose pixels under the stroke are 300.
'use strict';
/* global describe, it, before, after, document */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { makeWorkspace } = require('../harness/workspace');
const w = require('./workbench');

/** PIL's reading of a mask: mode and the values (as numbers) of the given pixels. */
function pilPixels(file, points) {
  const script = [
    'import sys, json',
    'from PIL import Image',
    'import numpy as np',
    'im = Image.open(sys.argv[1]); a = np.array(im)',
    'pts = json.loads(sys.argv[2])',
    'print(json.dumps({"mode": im.mode, "dtype": str(a.dtype), "size": list(im.size), "values": [int(a[y, x]) for x, y in pts], "max": int(a.max()),',
    '  "counts": {str(int(k)): int(v) for k, v in zip(*np.unique(a, return_counts=True))}}))',
  ].join('\n');
  return JSON.parse(execFileSync(process.env.MW_PYTHON || '/usr/bin/python3', ['-c', script, file, JSON.stringify(points)], { encoding: 'utf8' }));
}

describe('16-bit dataset through the workbench: palette search, paint class 300, save', function () {
  this.timeout(240000);
  let session, ws;
  const shot = (name) => session && session.page.screenshot({ path: path.join(w.harness().results, name) }).catch(() => undefined);

  before(async () => {
    ws = makeWorkspace(path.join(w.harness().runDir, 'ws-e2e-16'), []);
    const dir = path.join(ws, 'wide');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(require('../harness/workspace').FIXTURE_IMAGES, 'camera.png'), path.join(dir, 'wide16.png'));
    fs.chmodSync(path.join(dir, 'wide16.png'), 0o644);
    const classes = [{ id: 0, name: 'background', kind: 'stuff' }];
    for (let id = 1; id <= 301; id++) classes.push({ id, name: id === 300 ? 'zebra crossing' : `label ${id}`, kind: 'thing' });
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ version: 1, semanticBits: 16, classes }, null, 2));
    session = await w.openWorkbench(ws);
  });
  after(async () => { if (session) await session.browser.close(); });

  it('the search picks "zebra crossing" (id 300); a stroke paints it; Ctrl+S writes a 16-bit mask whose pixels are 300', async () => {
    const { page } = session;
    const maskFile = path.join(ws, 'wide', 'wide16.mask.png');
    await w.quickOpen(page, 'wide16.png');
    const frame = await w.waitForEditorFrame(page);
    const stage = await w.stageOf(frame, 512, 512);
    const listed = await frame.evaluate(() => ({ n: document.querySelectorAll('.mw-class').length, banner: [...document.querySelectorAll('.mw-banner-text')].map((e) => e.textContent).join(' | '), status: (document.querySelector('.mw-status') || {}).textContent }));
    assert.strictEqual(listed.n, 303, `302 classes and the ignore index are listed (${JSON.stringify(listed)})`);

    const filter = frame.locator('.mw-class-filter');
    await filter.click();
    await filter.fill('zebra');
    await w.until(page, () => frame.evaluate(() => [...document.querySelectorAll('.mw-class')].filter((e) => !e.hidden).length === 1), 'the search to narrow the list to one class');
    await filter.press('Enter');
    await w.until(page, () => frame.evaluate(() => (document.querySelector('.mw-class[aria-selected="true"]') || {}).dataset?.classId === '300'), 'class 300 to be selected');
    await shot('e2e16-picked.png');

    await w.stroke(page, stage, [[150, 256], [350, 256]]);
    await page.keyboard.press('Control+S');
    await w.until(page, () => fs.existsSync(maskFile), 'Ctrl+S to write wide16.mask.png');
    await shot('e2e16-saved.png');

    const pil = pilPixels(maskFile, [[250, 256], [200, 256], [300, 256], [250, 300]]);
    w.harness().log(`PIL: ${JSON.stringify({ mode: pil.mode, dtype: pil.dtype, counts: pil.counts })}`);
    assert.ok(pil.mode === 'I;16' || pil.mode === 'I', `PIL opens a 16-bit grayscale mask (mode ${pil.mode})`);
    assert.deepStrictEqual(pil.size, [512, 512]);
    assert.deepStrictEqual(pil.values, [300, 300, 300, 0], 'pixels under the stroke are 300; one 44 px below it is background');
    assert.deepStrictEqual(Object.keys(pil.counts).sort(), ['0', '300'], 'only background and class 300');
    assert.ok(pil.counts['300'] > 200, `the stroke painted class 300 along its path (${pil.counts['300']} px)`);
  });
});
