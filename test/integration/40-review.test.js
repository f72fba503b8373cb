// Review state and a person's work inside a real extension host: pre-label, undo restores the
// previous provenance, a person's edit saves as "edited", Mark as Reviewed is an undoable step that
// saves as reviewed, and "Pre-label folder" skips the reviewed image with the reason (file unchanged).
'use strict';
/* global suite, test, suiteSetup, teardown */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const SHARED = process.env.MASKWRIGHT_SHARED || path.resolve(h.REPO, '..', 'shared');

suite('review state and protection of a person\'s work (extension host)', function () {
  this.timeout(240000);
  let a;
  suiteSetup(async () => { a = await h.api(); });
  teardown(() => h.closeAll());

  test('draft -> edited -> reviewed, saved in the sidecar; Pre-label folder skips it, naming the reason', async () => {
    const dir = path.join(h.wsDir(), 'review');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(SHARED, 'fixtures', 'images', 'text.png'), path.join(dir, 'page.png'));
    fs.chmodSync(path.join(dir, 'page.png'), 0o644);
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({
      version: 1, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 1, name: 'object', color: '#800000', kind: 'thing' }, { id: 4, name: 'text', color: '#ffe119', kind: 'thing' }],
    }));
    const uri = vscode.Uri.file(path.join(dir, 'page.png'));
    const sidecar = () => JSON.parse(fs.readFileSync(path.join(dir, 'page.mask.json'), 'utf8'));
    const doc = await h.openEditor(a, uri);
    assert.strictEqual(doc.status.status, 'unlabelled');

    await vscode.commands.executeCommand('maskwright.prelabel');
    await h.until(() => doc.status.status === 'draft' && doc.isDirty, 'the pre-label to make a draft', 120000);
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('undo');
    await h.until(() => doc.status.status === 'unlabelled' && !doc.isDirty, 'undo to restore the provenance before the pre-label');
    await vscode.commands.executeCommand('redo');
    await h.until(() => doc.status.status === 'draft', 'redo');
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty && fs.existsSync(path.join(dir, 'page.mask.json')), 'save of the draft');
    assert.strictEqual(sidecar().prelabel.source, 'model:pp-ocrv4-det');
    assert.strictEqual(sidecar().edited, undefined);

    // A person corrects a 40x40 block and saves: the mask now carries human work.
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 10, 10, 40, 40, 1))).ok, true);
    assert.strictEqual(doc.status.status, 'edited');
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty && sidecar().edited, 'save of the correction');
    assert.deepStrictEqual(sidecar().edited.layers, ['semantic']);
    assert.strictEqual(sidecar().prelabel.source, 'model:pp-ocrv4-det');

    // Mark as Reviewed: an undoable step, written by the next save.
    await vscode.commands.executeCommand('maskwright.markReviewed');
    assert.strictEqual(doc.status.status, 'reviewed');
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('undo');
    await h.until(() => doc.status.status === 'edited' && !doc.isDirty, 'undo of Mark as Reviewed');
    await vscode.commands.executeCommand('maskwright.toggleReviewed');
    await h.until(() => doc.status.status === 'reviewed', 'toggle to reviewed');
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty && sidecar().reviewed === true, 'save of the review');
    assert.ok(sidecar().review.at && sidecar().review.by, `review stamp ${JSON.stringify(sidecar().review)}`);

    const maskFile = path.join(dir, 'page.mask.png');
    const before = fs.readFileSync(maskFile);
    const future = new Date(Date.now() + 3600e3);
    fs.utimesSync(path.join(dir, 'page.png'), future, future);
    const summary = await vscode.commands.executeCommand('maskwright.prelabelFolder', vscode.Uri.file(dir));
    assert.ok(summary, 'the command returns its summary');
    assert.deepStrictEqual([summary.done, summary.skipped, summary.failed], [0, 1, 0]);
    assert.match(summary.items[0].reason, /^reviewed by .+ on 20\d\d-/);
    assert.ok(fs.readFileSync(maskFile).equals(before), 'the reviewed mask is byte-identical');
    assert.strictEqual(h.countIn(h.readIdsPil(maskFile).ids, 448, { x: 10, y: 10, w: 40, h: 40 }, 1).inside, 1600, 'PIL reads the correction');
  });

  test('Validate Dataset fills the Problems panel; the open image is checked again when saved', async () => {
    const dir = path.join(h.wsDir(), 'validate');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(h.wsDir(), 'coffee.png'), path.join(dir, 'cup.png'));
    h.writeMaskPil(path.join(dir, 'ghost.mask.png'), 8, 8, { x: 0, y: 0, w: 2, h: 2 }, 1);
    h.writeMaskPil(path.join(dir, 'cup.mask.png'), 600, 400, { x: 0, y: 0, w: 10, h: 10 }, 7);
    const codes = (f) => vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, f))).map((d) => d.code).sort();
    await vscode.commands.executeCommand('maskwright.validateDataset', vscode.Uri.file(dir));
    await h.until(() => codes('cup.mask.png').includes('unknown-class') && codes('ghost.mask.png').includes('mask-without-image'), 'the problems in the Problems panel');
    const d = vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, 'cup.mask.png'))).find((x) => x.code === 'unknown-class');
    assert.match(d.message, /class id 7 \(100 px, first at 0,0\)/);
    assert.strictEqual(d.source, 'maskwright');
    // Fix it in the editor: paint over the unknown class and save; the diagnostic goes away.
    const uri = vscode.Uri.file(path.join(dir, 'cup.png'));
    const doc = await h.openEditor(a, uri);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 0, 0, 10, 10, 1))).ok, true);
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    await h.until(() => !doc.isDirty && !codes('cup.mask.png').includes('unknown-class'), 'the save to clear the diagnostic');
  });

  test('a JPEG with EXIF orientation 6 is shown as stored (pixels from the host, not the browser\'s rotation) with a note', async () => {
    const sharp = require('sharp');
    const file = path.join(h.wsDir(), 'rotated.jpg');
    const raw = Buffer.alloc(64 * 48 * 3, 90);
    await sharp(raw, { raw: { width: 64, height: 48, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(file);
    const uri = vscode.Uri.file(file);
    const doc = await h.openEditor(a, uri);
    assert.deepStrictEqual([doc.maps.width, doc.maps.height], [64, 48], 'the stored grid, as PIL reads it');
    const init = a.sentToWebview(uri).find((m) => m.type === 'init');
    assert.strictEqual(init.image.kind, 'rgba', 'stored pixels are sent instead of a URL the browser would rotate');
    assert.ok(init.notes.some((w) => /EXIF orientation 6/.test(w) && /stored/.test(w)), `a note, not a warning: ${JSON.stringify(init.notes)}`);
    assert.ok(!init.warnings.some((w) => /EXIF/.test(w)), 'not shown as a problem');
  });
});
