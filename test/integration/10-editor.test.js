// The mask editor in a real extension host: open, edit through the webview message path, undo/redo
// through VS Code's own commands, save to disk (read back with two decoders), revert, backup/restore,
// external changes, two editors on one image, and bad input.
'use strict';
/* global suite, test, suiteSetup, teardown */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const vscode = require('vscode');
const h = require('./helpers');

const { pngHeader: hugePngHeader } = require('../harness/pngHeader');

const byType = (a, uri, type) => a.sentToWebview(uri).filter((m) => m.type === type);

/** A whole-image edit of a 512x512 image as the webview posts a large one: before and after deflated as one stream. */
const packedEdit = (id, before, after) => ({ type: 'edit', id, edit: { label: 'Fill', patches: [{ layer: 'semantic', x: 0, y: 0, w: 512, h: 512, packed: 'deflate', bits: 8, data: new Uint8Array(zlib.deflateSync(Buffer.concat([before, after]))) }] } });

suite('mask editor (extension host)', function () {
  this.timeout(120000);
  let a;
  suiteSetup(async () => { a = await h.api(); });
  teardown(() => h.closeAll());

  test('opens an image: the panel gets init with the image size and the dataset classes', async () => {
    const uri = h.wsUri('camera.png');
    const doc = await h.openEditor(a, uri);
    assert.deepStrictEqual([doc.maps.width, doc.maps.height], [512, 512]);
    assert.strictEqual(doc.isDirty, false);
    const init = byType(a, uri, 'init').pop();
    assert.ok(init, 'an init message was posted');
    assert.deepStrictEqual([init.width, init.height, init.fileName], [512, 512, 'camera.png']);
    assert.deepStrictEqual(init.config.classes.map((c) => c.name), ['background', 'object', 'sky']);
    assert.strictEqual(init.readonly, false);
    assert.strictEqual(init.packed, 'deflate', 'the maps travel deflated');
    assert.strictEqual(zlib.inflateSync(init.semantic).length, 512 * 512);
    assert.strictEqual(zlib.inflateSync(init.instances).length, 512 * 512 * 2);
    assert.strictEqual(a.activeDocument() && a.activeDocument().uri.toString(), uri.toString());
  });

  test('edit -> dirty; undo/redo commands change the maps; save writes STEM.mask.png with the painted ids', async () => {
    const uri = h.wsUri('camera.png');
    const maskFile = path.join(h.wsDir(), 'camera.mask.png');
    const doc = await h.openEditor(a, uri);
    const rect = { x: 40, y: 50, w: 30, h: 20 };
    const reply = await a.receiveFromWebview(uri, h.fillEdit(doc, rect.x, rect.y, rect.w, rect.h, 1));
    assert.strictEqual(reply && reply.type, 'reply');
    assert.strictEqual(reply.ok, true, `edit accepted: ${reply.error}`);
    assert.strictEqual(doc.isDirty, true);
    assert.deepStrictEqual(h.countIn(doc.maps.semantic, 512, rect, 1), { inside: 600, outside: 0 });
    await h.untilTabsDirty(uri);

    await vscode.commands.executeCommand('undo');
    await h.until(() => h.countIn(doc.maps.semantic, 512, rect, 1).inside === 0, 'undo to clear the rectangle');
    assert.strictEqual(doc.isDirty, false, 'undo back to the saved point is clean');
    await h.untilTabsDirty(uri, false);
    assert.ok(byType(a, uri, 'edit').some((m) => m.direction === 'backward'), 'the undo was sent to the panel');
    await vscode.commands.executeCommand('redo');
    await h.until(() => h.countIn(doc.maps.semantic, 512, rect, 1).inside === 600, 'redo to repaint the rectangle');
    assert.strictEqual(doc.isDirty, true);
    await h.untilTabsDirty(uri);

    assert.ok(!fs.existsSync(maskFile), 'nothing written before save');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => fs.existsSync(maskFile) && !doc.isDirty, 'save to write camera.mask.png');

    const mine = h.readIdsProject(maskFile);
    assert.deepStrictEqual([mine.width, mine.height, mine.colorType, mine.bitDepth], [512, 512, 3, 8], 'an 8-bit palette PNG');
    assert.deepStrictEqual(h.countIn(mine.ids, 512, rect, 1), { inside: 600, outside: 0 });
    assert.deepStrictEqual(h.countIn(mine.ids, 512, { x: 0, y: 0, w: 0, h: 0 }, 0).outside, 512 * 512 - 600, 'every other pixel is background');
    assert.deepStrictEqual([...mine.palette.subarray(3, 6)], [128, 0, 0], 'PLTE carries the colour of class 1 from maskwright.json');
    const pil = h.readIdsPil(maskFile);
    assert.deepStrictEqual([pil.mode, pil.width, pil.height, pil.dtype], ['P', 512, 512, 'uint8']);
    assert.deepStrictEqual(h.countIn(pil.ids, 512, rect, 1), { inside: 600, outside: 0 });
    assert.ok(Buffer.from(pil.ids).equals(Buffer.from(mine.ids)), 'PIL and the project decoder agree on every pixel');
  });

  test('a large edit posted packed (a deflated patch) is unpacked, applied and saved; one that does not inflate to its size is refused with the reason', async () => {
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(h.wsDir(), 'packed.png'));
    const uri = h.wsUri('packed.png');
    const maskFile = path.join(h.wsDir(), 'packed.mask.png');
    const doc = await h.openEditor(a, uri);
    const n = 512 * 512;
    const before = new Uint8Array(n), after = new Uint8Array(n);
    for (let i = 0; i < n; i++) after[i] = (i % 512) < 200 ? 2 : 0;
    const bad = await a.receiveFromWebview(uri, packedEdit(901, before, after.subarray(1)));
    assert.strictEqual(bad.ok, false);
    assert.match(bad.error, /a packed edit could not be read: patch 0: .*expected 524288/);
    assert.strictEqual(doc.isDirty, false, 'nothing applied');
    const ok = await a.receiveFromWebview(uri, packedEdit(902, before, after));
    assert.strictEqual(ok.ok, true, `packed edit accepted: ${ok.error}`);
    assert.deepStrictEqual(h.countIn(doc.maps.semantic, 512, { x: 0, y: 0, w: 200, h: 512 }, 2), { inside: 200 * 512, outside: 0 });
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => fs.existsSync(maskFile) && !doc.isDirty, 'save to write packed.mask.png');
    const pil = h.readIdsPil(maskFile);
    assert.ok(Buffer.from(pil.ids).equals(Buffer.from(after)), 'PIL reads the unpacked pixels');
  });

  test('Ctrl+S while an announced edit is still being packed waits for it and saves it; an edit announced then dropped lets the save go on', async () => {
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(h.wsDir(), 'coming.png'));
    const uri = h.wsUri('coming.png');
    const maskFile = path.join(h.wsDir(), 'coming.mask.png');
    const doc = await h.openEditor(a, uri);
    const n = 512 * 512;
    const before = new Uint8Array(n), after = new Uint8Array(n);
    for (let i = 0; i < n; i++) after[i] = (i % 512) < 300 ? 1 : 0;
    // The webview announces the fill at once and posts it when deflated; Ctrl+S comes in between.
    await a.receiveFromWebview(uri, { type: 'editComing', id: 903 });
    assert.strictEqual(doc.isDirty, false, 'nothing applied yet');
    let saved = false;
    const saving = Promise.resolve(vscode.commands.executeCommand('workbench.action.files.save')).then(() => { saved = true; });
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual(saved, false, 'the save waits for the announced edit');
    assert.ok(!fs.existsSync(maskFile), 'nothing written before the edit arrived');
    const ok = await a.receiveFromWebview(uri, packedEdit(903, before, after));
    assert.strictEqual(ok.ok, true, ok.error);
    await saving;
    await h.until(() => fs.existsSync(maskFile) && !doc.isDirty, 'the save to write coming.mask.png with the fill');
    assert.ok(Buffer.from(h.readIdsPil(maskFile).ids).equals(Buffer.from(after)), 'PIL reads the fill that arrived after Ctrl+S');

    // Announced, then dropped (its packing failed in the webview): the save does not wait for it.
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 400, 400, 20, 20, 2))).ok, true);
    await a.receiveFromWebview(uri, { type: 'editComing', id: 904 });
    saved = false;
    const saving2 = Promise.resolve(vscode.commands.executeCommand('workbench.action.files.save')).then(() => { saved = true; });
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(saved, false, 'the save waits while the edit is announced');
    await a.receiveFromWebview(uri, { type: 'editDropped', id: 904 });
    await saving2;
    await h.until(() => !doc.isDirty, 'the save to finish once the edit was dropped');
    assert.deepStrictEqual(h.countIn(h.readIdsPil(maskFile).ids, 512, { x: 400, y: 400, w: 20, h: 20 }, 2), { inside: 400, outside: 0 });

    // Announced, then arrived malformed (dropped by the host): the save does not wait for it either.
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 420, 400, 20, 20, 2))).ok, true);
    await a.receiveFromWebview(uri, { type: 'editComing', id: 905 });
    await a.receiveFromWebview(uri, { type: 'edit', id: 905, edit: { label: 'broken' } });
    const t0 = Date.now();
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty, 'the save to finish without the malformed edit');
    assert.ok(Date.now() - t0 < 8000, 'the save did not wait out the 10 s limit');
  });

  test('an edit that arrives while a save is writing is saved too before the save returns (VS Code counts it as saved), never half of it', async () => {
    const sharp = require('sharp');
    const S = 2048;
    const file = path.join(h.wsDir(), 'during.png');
    await sharp({ create: { width: S, height: S, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toFile(file);
    const uri = vscode.Uri.file(file);
    const maskFile = path.join(h.wsDir(), 'during.mask.png');
    const doc = await h.openEditor(a, uri);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 0, 0, S, S / 2, 1))).ok, true);
    const saving = Promise.resolve(vscode.commands.executeCommand('workbench.action.files.save'));
    // The first file renamed into place means the maps of this write were read: an edit now is
    // one the write does not hold (as a stroke finished during a long save).
    const { setImmediate: tick } = require('timers');
    while (!fs.existsSync(maskFile)) await new Promise((r) => tick(r));
    const late = h.fillEdit(doc, 100, 1500, 300, 200, 2, 'late stroke');
    assert.strictEqual((await a.receiveFromWebview(uri, late)).ok, true);
    await saving;
    await h.until(() => !doc.isDirty, 'the save to finish');
    const disk = h.readIdsPil(maskFile).ids;
    assert.deepStrictEqual(h.countIn(disk, S, { x: 100, y: 1500, w: 300, h: 200 }, 2), { inside: 300 * 200, outside: 0 }, 'the late stroke is on disk');
    assert.ok(Buffer.from(disk).equals(Buffer.from(doc.maps.semantic)), 'the file holds exactly what the clean document holds');
  });

  test('Ctrl+S on an image without masks that was not changed writes nothing; after a stroke it writes the set', async () => {
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(h.wsDir(), 'untouched.png'));
    const uri = h.wsUri('untouched.png');
    const files = ['untouched.mask.png', 'untouched.instances.png', 'untouched.mask.json'].map((n) => path.join(h.wsDir(), n));
    const doc = await h.openEditor(a, uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.sleep(300);
    assert.deepStrictEqual(files.filter((f) => fs.existsSync(f)), [], 'no empty mask set (it would read as a person\'s work)');
    assert.strictEqual(doc.isDirty, false);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 10, 10, 5, 5, 1))).ok, true);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => fs.existsSync(files[0]) && fs.existsSync(files[2]) && !doc.isDirty, 'the save after a stroke to write the set');
    assert.deepStrictEqual(h.countIn(h.readIdsPil(files[0]).ids, 512, { x: 10, y: 10, w: 5, h: 5 }, 1), { inside: 25, outside: 0 });
  });

  test('revert drops unsaved edits and leaves the disk untouched', async () => {
    const uri = h.wsUri('coffee.png');
    const maskFile = path.join(h.wsDir(), 'coffee.mask.png');
    const doc = await h.openEditor(a, uri);
    const rect = { x: 100, y: 100, w: 50, h: 40 };
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, rect.x, rect.y, rect.w, rect.h, 2))).ok, true);
    assert.strictEqual(doc.isDirty, true);
    await h.untilTabsDirty(uri);
    const resets = byType(a, uri, 'init').length + byType(a, uri, 'reset').length;
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await h.until(() => !doc.isDirty && h.countIn(doc.maps.semantic, 600, rect, 2).inside === 0, 'revert to clear the edit');
    await h.until(() => byType(a, uri, 'init').length + byType(a, uri, 'reset').length > resets, 'the panel to get the reverted maps');
    assert.ok(!fs.existsSync(maskFile), 'revert wrote nothing');
  });

  test('backup and restore (CustomDocumentBackup): the unsaved edits come back on a dirty document', async () => {
    const uri = h.wsUri('coffee.png');
    const doc = await h.openEditor(a, uri);
    const rect = { x: 10, y: 300, w: 64, h: 32 };
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, rect.x, rect.y, rect.w, rect.h, 2))).ok, true);
    const dest = vscode.Uri.file(path.join(h.wsDir(), '..', 'backup-test', 'coffee.bak'));
    const cts = new vscode.CancellationTokenSource();
    // activate() returns the provider itself; call VS Code's backup/open hooks as hot exit does.
    const backup = await a.backupCustomDocument(doc, { destination: dest }, cts.token);
    assert.ok(fs.statSync(dest.fsPath).size > 0, 'backup written');
    const restored = await a.openCustomDocument(uri, { backupId: backup.id, untitledDocumentData: undefined }, cts.token);
    try {
      assert.strictEqual(restored.isDirty, true, 'a restored document is dirty');
      assert.ok(Buffer.from(restored.maps.semantic).equals(Buffer.from(doc.maps.semantic)), 'restored maps equal the edited maps');
      assert.strictEqual(h.countIn(restored.maps.semantic, 600, rect, 2).inside, 64 * 32);
    } finally {
      restored.dispose();
      await backup.delete();
    }
  });

  test('an external change to STEM.mask.png reloads a clean document', async () => {
    const uri = h.wsUri('rocket.jpg');
    const doc = await h.openEditor(a, uri);
    assert.deepStrictEqual([doc.maps.width, doc.maps.height], [640, 427]);
    const inits = byType(a, uri, 'init').length;
    const rect = { x: 200, y: 100, w: 33, h: 17 };
    h.writeMaskPil(path.join(h.wsDir(), 'rocket.mask.png'), 640, 427, rect, 2);
    await h.until(() => h.countIn(doc.maps.semantic, 640, rect, 2).inside === 33 * 17, 'the document to reload the mask written on disk', 20000);
    assert.strictEqual(h.countIn(doc.maps.semantic, 640, rect, 2).outside, 0);
    assert.strictEqual(doc.isDirty, false);
    await h.until(() => byType(a, uri, 'init').length > inits, 'the panel to get the reloaded maps');
  });

  test('two editors on one image share one document and receive each other\'s edits', async () => {
    const uri = h.wsUri('camera.png');
    await h.openEditor(a, uri, vscode.ViewColumn.One);
    const inits = byType(a, uri, 'init').length;
    await vscode.commands.executeCommand('vscode.openWith', uri, h.VIEW_TYPE, vscode.ViewColumn.Two);
    await h.until(() => byType(a, uri, 'init').length > inits, 'the second panel to get init', 60000);
    const docs = a.documents().filter((d) => d.uri.toString() === uri.toString());
    assert.strictEqual(docs.length, 1, 'one document for both editors');
    const rect = { x: 300, y: 300, w: 8, h: 8 };
    const msg = h.fillEdit(docs[0], rect.x, rect.y, rect.w, rect.h, 2, 'sync probe');
    assert.strictEqual((await a.receiveFromWebview(uri, msg)).ok, true);
    // the edit came from one panel; the host forwards it to the other
    await h.until(() => byType(a, uri, 'edit').some((m) => m.edit.label === 'sync probe' && m.direction === 'forward'), 'the other panel to get the edit');
    assert.strictEqual(h.tabsOf(uri).length, 2);
    await h.untilTabsDirty(uri); // both tabs show the shared document as dirty
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('corrupt, truncated and too-large images open the one failure page; Next Image and the default editor work from it', async () => {
    const dir = path.join(h.wsDir(), 'failures');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const cam = fs.readFileSync(path.join(h.wsDir(), 'camera.png'));
    fs.writeFileSync(path.join(dir, 'a-corrupt.png'), Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), Buffer.from('not really a png at all')]));
    fs.writeFileSync(path.join(dir, 'b-truncated.png'), cam.subarray(0, cam.length >> 1));
    fs.writeFileSync(path.join(dir, 'c-huge.png'), hugePngHeader(20000, 20000));
    fs.writeFileSync(path.join(dir, 'd-fine.png'), cam);
    const reasons = { 'a-corrupt.png': /corrupt|unsupported|cannot load/i, 'b-truncated.png': /truncated/, 'c-huge.png': /20000x20000 exceeds the limit of 32768 per side and 268435456 pixels/ };
    for (const [name, re] of Object.entries(reasons)) {
      const uri = vscode.Uri.file(path.join(dir, name));
      await vscode.commands.executeCommand('vscode.openWith', uri, h.VIEW_TYPE);
      await a.whenPanelReady(uri, 30000);
      const doc = a.documents().find((d) => d.uri.fsPath === uri.fsPath);
      assert.ok(doc && doc.loadError, `${name}: a failure page, not VS Code's generic error`);
      assert.match(doc.loadError, re, `${name}: ${doc.loadError}`);
      const refused = await a.receiveFromWebview(uri, { type: 'edit', id: 1, edit: { label: 'x', patches: [] } });
      assert.strictEqual(refused, undefined, `${name}: a failure page accepts no edits`);
    }
    // Walking the folder goes on past the broken files (the palette's Next Image, as PageDown).
    await vscode.commands.executeCommand('maskwright.nextImage');
    const fine = vscode.Uri.file(path.join(dir, 'd-fine.png'));
    await a.whenPanelReady(fine, 30000);
    assert.strictEqual(vscode.window.tabGroups.activeTabGroup.activeTab.input.uri.fsPath, fine.fsPath, 'Next Image from the failure page of c-huge.png opens d-fine.png');
    // The failure page's "Open with the default editor" button.
    const huge = vscode.Uri.file(path.join(dir, 'c-huge.png'));
    await vscode.commands.executeCommand('vscode.openWith', huge, h.VIEW_TYPE);
    await a.whenPanelReady(huge, 30000);
    await a.receiveFromWebview(huge, { type: 'command', id: 7, command: 'openDefault' });
    await h.until(() => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => !(t.input instanceof vscode.TabInputCustom && t.input.viewType === h.VIEW_TYPE) && t.input && t.input.uri && t.input.uri.fsPath === huge.fsPath)), 'c-huge.png in another editor');
    const doc = await h.openEditor(a, h.wsUri('coffee.png'));
    assert.strictEqual(doc.maps.width, 600, 'another image still opens');
  });

  test('a mask of the wrong size is reported and the editor opens read-only without touching it', async () => {
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(h.wsDir(), 'sized.png'));
    const maskFile = path.join(h.wsDir(), 'sized.mask.png');
    h.writeMaskPil(maskFile, 10, 10, { x: 0, y: 0, w: 5, h: 5 }, 1);
    const bytes = fs.readFileSync(maskFile);
    const uri = h.wsUri('sized.png');
    const doc = await h.openEditor(a, uri);
    const init = byType(a, uri, 'init').pop();
    assert.strictEqual(init.readonly, true, 'read-only');
    const text = init.warnings.join('\n');
    assert.match(text, /sized\.mask\.png/, `the warning names the file: ${text}`);
    assert.match(text, /10\s*x\s*10|10x10/, `the warning gives the mask size: ${text}`);
    const reply = await a.receiveFromWebview(uri, h.fillEdit(doc, 0, 0, 4, 4, 1));
    assert.strictEqual(reply.ok, false, 'edits are refused');
    assert.match(reply.error, /read-only/);
    assert.ok(fs.readFileSync(maskFile).equals(bytes), 'the mask file on disk is untouched');
  });
});
