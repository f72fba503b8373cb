// Export Dataset... and Import Annotations... inside a real extension host, with their options given
// as arguments (as a script or keybinding would): COCO out of a labelled folder, into a fresh one.
'use strict';
/* global suite, test, suiteSetup, AbortController */
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

suite('import and export commands (extension host)', function () {
  this.timeout(180000);
  suiteSetup(async () => { await h.api(); });

  test('export a labelled folder to COCO, import it into a fresh folder', async () => {
    const root = path.join(h.wsDir(), 'interchange');
    fs.rmSync(root, { recursive: true, force: true });
    const data = path.join(root, 'data');
    fs.mkdirSync(data, { recursive: true });
    fs.copyFileSync(path.join(h.wsDir(), 'camera.png'), path.join(data, 'camera.png'));
    fs.copyFileSync(path.join(h.wsDir(), 'maskwright.json'), path.join(data, 'maskwright.json'));
    // Masks by the CLI's threshold + components (an automatic draft).
    const { main } = require(path.join(h.REPO, 'out', 'src', 'cli', 'main.js'));
    const io = { out: () => {}, err: () => {}, signal: new AbortController().signal };
    assert.strictEqual(await main(['threshold', path.join(data, 'camera.png')], io), 0);
    assert.strictEqual(await main(['components', '--write-instances', path.join(data, 'camera.png')], io), 0);
    const out = path.join(root, 'data.json');
    const s1 = await vscode.commands.executeCommand('maskwright.exportDataset', vscode.Uri.file(data), { format: 'coco', out });
    assert.ok(s1 && s1.images === 1 && s1.failed === 0, JSON.stringify(s1));
    const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.ok(doc.annotations.length > 0);

    const fresh = path.join(root, 'fresh');
    fs.mkdirSync(fresh);
    fs.copyFileSync(path.join(data, 'camera.png'), path.join(fresh, 'camera.png'));
    const s2 = await vscode.commands.executeCommand('maskwright.importAnnotations', vscode.Uri.file(fresh), { format: 'coco', src: out });
    assert.ok(s2 && s2.images === 1 && s2.failed === 0, JSON.stringify(s2));
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('maskwright.exportDataset') && all.includes('maskwright.importAnnotations'));
    assert.deepStrictEqual(fs.readFileSync(path.join(fresh, 'camera.instances.png')).length > 0, true);
    const side = JSON.parse(fs.readFileSync(path.join(fresh, 'camera.mask.json'), 'utf8'));
    assert.strictEqual(side.prelabel.source, 'import:coco');
  });
});
