// A 16-bit dataset ("semanticBits": 16) in a real extension host: the panel gets 16-bit maps, an
// 8-bit patch is refused, an edit of class 1000 is saved as a 16-bit grayscale mask (read by the
// project's decoder and by PIL), and hot-exit backups restore the 16-bit edits.
'use strict';
/* global suite, test, suiteSetup, teardown */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const h = require('./helpers');

const PYTHON = process.env.MW_PYTHON || '/usr/bin/python3';

/** PIL's values of a mask as numbers (np.array(Image.open(f)) widened to uint16 little-endian). */
function pilValues(file) {
  const code = [
    'import sys, base64, json, numpy as np',
    'from PIL import Image',
    'im = Image.open(sys.argv[1]); a = np.array(im)',
    'print(json.dumps({"mode": im.mode, "max": int(a.max()), "data": base64.b64encode(a.astype("<u2").tobytes()).decode()}))',
  ].join('\n');
  const out = JSON.parse(execFileSync(PYTHON, ['-c', code, file], { maxBuffer: 1 << 28, encoding: 'utf8' }));
  const b = Buffer.from(out.data, 'base64');
  return { mode: out.mode, max: out.max, ids: new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) };
}

/** A semantic fill edit of 16-bit ids (before = the document's current values). */
function fillEdit16(doc, rect, classId) {
  const { x, y, w, h: rh } = rect;
  const before = new Uint16Array(w * rh), after = new Uint16Array(w * rh).fill(classId);
  for (let r = 0; r < rh; r++) before.set(doc.maps.semantic.subarray((y + r) * doc.maps.width + x, (y + r) * doc.maps.width + x + w), r * w);
  return { type: 'edit', id: Math.floor(Math.random() * 1e9), edit: { label: 'test 16-bit', patches: [{ layer: 'semantic', x, y, w, h: rh, before, after }] } };
}

suite('16-bit dataset (extension host)', function () {
  this.timeout(120000);
  let a, dir;
  const rect = { x: 40, y: 60, w: 50, h: 20 };
  suiteSetup(async () => {
    a = await h.api();
    dir = path.join(h.wsDir(), 'wide16');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(dir, 'street.png'));
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ version: 1, semanticBits: 16, classes: [{ id: 0, name: 'background' }, { id: 300, name: 'crossing' }, { id: 1000, name: 'road' }] }));
  });
  teardown(() => h.closeAll());

  test('the panel gets 16-bit maps; an 8-bit patch is refused; class 1000 is saved as 16-bit grayscale that PIL reads', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'street.png'));
    const doc = await h.openEditor(a, uri);
    assert.ok(doc.maps.semantic instanceof Uint16Array, 'the document holds 16-bit ids');
    const init = a.sentToWebview(uri).filter((m) => m.type === 'init').pop();
    assert.strictEqual(init.config.semanticBits, 16);
    assert.strictEqual(init.semanticBits, 16);
    assert.strictEqual(zlib.inflateSync(init.semantic).length, 512 * 512 * 2);

    const bad = await a.receiveFromWebview(uri, h.fillEdit(doc, rect.x, rect.y, rect.w, rect.h, 7));
    assert.strictEqual(bad.ok, false);
    assert.match(bad.error, /Uint16Array of 1000 values \(the dataset's semantic masks are 16-bit\)/);
    assert.strictEqual(doc.isDirty, false);

    const ok = await a.receiveFromWebview(uri, fillEdit16(doc, rect, 1000));
    assert.strictEqual(ok.ok, true, `edit accepted: ${ok.error}`);
    await h.untilTabsDirty(uri);
    const maskFile = path.join(dir, 'street.mask.png');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => fs.existsSync(maskFile) && !doc.isDirty, 'save to write street.mask.png');

    const mine = h.readIdsProject(maskFile);
    assert.deepStrictEqual([mine.width, mine.height, mine.colorType, mine.bitDepth], [512, 512, 0, 16], 'a 16-bit grayscale PNG');
    assert.deepStrictEqual(h.countIn(mine.ids, 512, rect, 1000), { inside: 1000, outside: 0 });
    const pil = pilValues(maskFile);
    assert.ok(pil.mode === 'I;16' || pil.mode === 'I', `PIL mode ${pil.mode}`);
    assert.strictEqual(pil.max, 1000);
    assert.deepStrictEqual(h.countIn(pil.ids, 512, rect, 1000), { inside: 1000, outside: 0 });
    assert.ok(Buffer.from(pil.ids.buffer).equals(Buffer.from(mine.ids.buffer, mine.ids.byteOffset, mine.ids.byteLength)), 'PIL and the project decoder agree on every pixel');
  });

  test('semanticBits changed under unsaved edits: read-only with a message; revert reads the masks as 16-bit', async () => {
    const sub = path.join(h.wsDir(), 'switch16');
    fs.mkdirSync(sub, { recursive: true });
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(sub, 'cam.png'));
    const cfg = { version: 1, classes: [{ id: 0, name: 'background' }, { id: 4, name: 'four' }] };
    fs.writeFileSync(path.join(sub, 'maskwright.json'), JSON.stringify(cfg));
    const uri = vscode.Uri.file(path.join(sub, 'cam.png'));
    const doc = await h.openEditor(a, uri);
    assert.ok(doc.maps.semantic instanceof Uint8Array);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 0, 0, 8, 8, 4))).ok, true);
    await h.untilTabsDirty(uri);
    fs.writeFileSync(path.join(sub, 'maskwright.json'), JSON.stringify({ ...cfg, semanticBits: 16, ignoreIndex: 255 }));
    await h.until(() => doc.readonly, 'the document to turn read-only');
    assert.ok(doc.warnings.some((w) => /now says "semanticBits": 16, but the open masks are 8-bit \(set it back to keep these edits, or revert/.test(w)), doc.warnings.join(' | '));
    assert.strictEqual(doc.isDirty, true, 'the unsaved edits are kept');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await h.until(() => !doc.readonly && doc.maps.semantic instanceof Uint16Array, 'revert to read the masks as 16-bit');
    assert.strictEqual(doc.config.semanticBits, 16);
  });

  test('Import Annotations with semanticBits 16 keeps COCO category 1000; Export Dataset to VOC refuses it by name', async () => {
    const root = path.join(h.wsDir(), 'import16');
    fs.rmSync(root, { recursive: true, force: true });
    const images = path.join(root, 'images');
    fs.mkdirSync(images, { recursive: true });
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(images, 'camera.png'));
    // Its own 8-bit config (else the workspace's config governs the folder); the import makes it 16-bit.
    fs.writeFileSync(path.join(images, 'maskwright.json'), JSON.stringify({ version: 1, classes: [{ id: 0, name: 'background' }] }));
    const W = 512, H = 512, box = { x: 100, y: 120, w: 60, h: 40 };
    const counts = [];
    let prev = 0, run = 0;
    for (let x = 0; x < W; x++) for (let y = 0; y < H; y++) {
      const v = x >= box.x && x < box.x + box.w && y >= box.y && y < box.y + box.h ? 1 : 0;
      if (v !== prev) { counts.push(run); run = 0; prev = v; }
      run++;
    }
    counts.push(run);
    const src = path.join(root, 'coco.json');
    fs.writeFileSync(src, JSON.stringify({
      images: [{ id: 1, file_name: 'camera.png', width: W, height: H }],
      categories: [{ id: 1000, name: 'road' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1000, segmentation: { size: [H, W], counts }, area: box.w * box.h, bbox: [box.x, box.y, box.w, box.h], iscrowd: 0 }],
    }));
    const s = await vscode.commands.executeCommand('maskwright.importAnnotations', vscode.Uri.file(images), { format: 'coco', src, semanticBits: 16 });
    assert.ok(s && s.images === 1 && s.failed === 0, JSON.stringify(s));
    const config = JSON.parse(fs.readFileSync(path.join(images, 'maskwright.json'), 'utf8'));
    assert.strictEqual(config.semanticBits, 16);
    assert.strictEqual(config.ignoreIndex, 255, 'an existing config keeps its ignore index');
    const pil = pilValues(path.join(images, 'camera.mask.png'));
    assert.deepStrictEqual(h.countIn(pil.ids, W, box, 1000), { inside: box.w * box.h, outside: 0 });

    const e = await vscode.commands.executeCommand('maskwright.exportDataset', vscode.Uri.file(images), { format: 'voc', out: path.join(root, 'voc') });
    assert.strictEqual(e.failed, 1, JSON.stringify(e));
    assert.match(e.items[0].reason, /^class id 1000 at pixel 100,120 does not fit VOC's 8-bit masks \(class ids 0\.\.254\)/);
  });

  test('backup and restore keep the 16-bit edits (class 300) as 16-bit', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'street.png'));
    const doc = await h.openEditor(a, uri);
    const r2 = { x: 200, y: 200, w: 30, h: 10 };
    assert.strictEqual((await a.receiveFromWebview(uri, fillEdit16(doc, r2, 300))).ok, true);
    const dest = vscode.Uri.file(path.join(h.wsDir(), '..', 'backup-test', 'street16.bak'));
    const cts = new vscode.CancellationTokenSource();
    const backup = await a.backupCustomDocument(doc, { destination: dest }, cts.token);
    const restored = await a.openCustomDocument(uri, { backupId: backup.id, untitledDocumentData: undefined }, cts.token);
    try {
      assert.strictEqual(restored.isDirty, true);
      assert.ok(restored.maps.semantic instanceof Uint16Array);
      assert.deepStrictEqual(h.countIn(restored.maps.semantic, 512, r2, 300), { inside: 300, outside: 0 });
      assert.deepStrictEqual(Array.from(restored.maps.semantic), Array.from(doc.maps.semantic));
    } finally {
      restored.dispose();
      await backup.delete();
    }
  });
});
