// Commands on the open image inside a real extension host: "Pre-label with model" with the embedded
// text detector (real onnxruntime-node), "Split into instances"; results saved and read from disk.
'use strict';
/* global suite, test, suiteSetup, teardown */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const SHARED = process.env.MASKWRIGHT_SHARED || path.resolve(h.REPO, '..', 'shared');

suite('commands on the open image (extension host)', function () {
  this.timeout(180000);
  let a;
  suiteSetup(async () => { a = await h.api(); });
  teardown(() => h.closeAll());

  test('Pre-label with model: the embedded text detector labels text.png in one undoable edit; saved masks carry it', async () => {
    const dir = path.join(h.wsDir(), 'prelabel');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(SHARED, 'fixtures', 'images', 'text.png'), path.join(dir, 'text.png'));
    fs.chmodSync(path.join(dir, 'text.png'), 0o644);
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({
      version: 1, classes: [{ id: 0, name: 'background', color: '#000000', kind: 'stuff' }, { id: 4, name: 'text', color: '#ffe119', kind: 'thing' }],
    }));
    const uri = vscode.Uri.file(path.join(dir, 'text.png'));
    const doc = await h.openEditor(a, uri);
    await vscode.commands.executeCommand('maskwright.prelabel');
    const n = doc.maps.width * doc.maps.height;
    const textPx = () => doc.maps.semantic.reduce((s, v) => s + (v === 4 ? 1 : 0), 0);
    await h.until(() => doc.isDirty && textPx() > 0, 'the pre-label edit', 120000);
    const frac = textPx() / n;
    assert.ok(frac > 0.02 && frac < 0.8, `text covers ${(frac * 100).toFixed(1)}% of text.png`);
    const ids = new Set(doc.maps.instances);
    ids.delete(0);
    assert.ok(ids.size >= 5, `${ids.size} text regions became instances`);
    for (const id of ids) assert.strictEqual(doc.instanceInfo.get(id).source, 'model:pp-ocrv4-det');
    await h.untilTabsDirty(uri);

    await vscode.commands.executeCommand('undo');
    await h.until(() => textPx() === 0 && !doc.isDirty, 'undo to remove the whole pre-label');
    await vscode.commands.executeCommand('redo');
    await h.until(() => textPx() > 0, 'redo');
    await h.untilTabsDirty(uri);
    await vscode.commands.executeCommand('workbench.action.files.save');
    const maskFile = path.join(dir, 'text.mask.png');
    const instFile = path.join(dir, 'text.instances.png');
    await h.until(() => fs.existsSync(maskFile) && fs.existsSync(instFile) && !doc.isDirty, 'save');
    const mask = h.readIdsProject(maskFile);
    assert.strictEqual(mask.ids.reduce((s, v) => s + (v === 4 ? 1 : 0), 0), textPx(), 'the saved mask has the text pixels');
    const inst = h.readIdsProject(instFile);
    assert.deepStrictEqual([inst.colorType, inst.bitDepth], [0, 16]);
    assert.strictEqual(new Set(inst.ids).size - 1, ids.size, 'every instance id is in the 16-bit map');
    const side = JSON.parse(fs.readFileSync(path.join(dir, 'text.mask.json'), 'utf8'));
    assert.strictEqual(side.instances.length, ids.size);
    assert.strictEqual(side.prelabel.source, 'model:pp-ocrv4-det');
    assert.ok(side.prelabel.uncertainty && side.prelabel.uncertainty.value >= 0 && side.prelabel.uncertainty.value <= 1, `uncertainty recorded: ${JSON.stringify(side.prelabel.uncertainty)}`);
  });

  test('Split into instances: connected regions of the painted classes become instances', async () => {
    const uri = h.wsUri('coffee.png');
    const doc = await h.openEditor(a, uri);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 10, 10, 20, 20, 1))).ok, true);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 100, 10, 20, 20, 1))).ok, true);
    assert.strictEqual((await a.receiveFromWebview(uri, h.fillEdit(doc, 200, 10, 5, 5, 2))).ok, true);
    // Regions under the minimum area (the 5x5 one here) get no instance: specks are not objects.
    await vscode.commands.executeCommand('maskwright.splitInstances', { minArea: 26 });
    await h.until(() => doc.instanceInfo.size === 2, 'two instances');
    await h.untilTabsDirty(uri);
    assert.strictEqual(doc.maps.instances[12 * doc.maps.width + 202], 0, 'the 25-pixel region has no instance');
    await vscode.commands.executeCommand('maskwright.splitInstances', { minArea: 0 });
    await h.until(() => doc.instanceInfo.size === 3, 'three instances with no minimum');
    await h.untilTabsDirty(uri);
    const classes = [...doc.instanceInfo.values()].map((i) => i.class).sort();
    assert.deepStrictEqual(classes, [1, 1, 2]);
    assert.strictEqual(doc.maps.instances[10 * doc.maps.width + 10] !== doc.maps.instances[10 * doc.maps.width + 100], true);
    assert.strictEqual(doc.maps.instances[0], 0);
  });
});
