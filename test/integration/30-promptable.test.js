// The editor's promptable-model path in a real extension host: a 'samPrompt' from the panel runs the
// model chosen by the settings (the SAM fixture registered as a user model) and the reply carries
// the mask cropped to its rectangle; with no promptable model or an unknown id the reply says why.
'use strict';
/* global suite, test, suiteSetup, suiteTeardown, teardown */
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const MODELS = path.join(h.REPO, 'test', 'fixtures', 'models');
const SAM = {
  id: 'sam-fixture', family: 'promptable',
  file: { encoder: path.join(MODELS, 'sam_encoder.onnx'), decoder: path.join(MODELS, 'sam_decoder.onnx') },
  input: { resize: 'longest-side', size: [1024, 1024] },
};

suite('promptable model in the mask editor (samPrompt)', function () {
  this.timeout(120000);
  let a;
  const cfg = () => vscode.workspace.getConfiguration('maskwright');
  const setting = (key, value) => cfg().update(key, value, vscode.ConfigurationTarget.Workspace);
  let nextId = 9000;
  const prompt = (uri, p) => a.receiveFromWebview(uri, { type: 'samPrompt', id: nextId++, prompt: p });
  suiteSetup(async () => { a = await h.api(); });
  teardown(() => h.closeAll());
  suiteTeardown(async () => { await setting('models', undefined); await setting('promptModel', undefined); });

  test('no promptable model registered: the reply names the cause', async () => {
    const uri = h.wsUri('camera.png');
    await h.openEditor(a, uri);
    const r = await prompt(uri, { points: [{ x: 100.5, y: 60.5, label: 1 }] });
    assert.strictEqual(r && r.type, 'reply');
    assert.strictEqual(r.ok, false);
    assert.match(r.error, /no promptable model is registered: run "Maskwright: Add model\.\.\."/);
  });

  test('the SAM fixture as a user model: a click and a box give the masks at the right place; a bad prompt is dropped', async () => {
    await setting('models', [SAM]);
    const uri = h.wsUri('camera.png');
    await h.openEditor(a, uri);
    const r = await prompt(uri, { points: [{ x: 100.5, y: 60.5, label: 1 }] });
    assert.strictEqual(r.ok, true, `prompt answered: ${r.error}`);
    assert.deepStrictEqual(r.result.rect, { x: 92, y: 52, w: 17, h: 17 });
    assert.ok(r.result.mask instanceof Uint8Array && r.result.mask.length === 17 * 17 && r.result.mask.every((v) => v === 1));
    assert.strictEqual(r.result.modelId, 'sam-fixture');
    assert.ok(Math.abs(r.result.score - 0.9) < 1e-6);
    const b = await prompt(uri, { points: [], box: { x0: 40, y0: 20, x1: 200, y1: 100 } });
    assert.strictEqual(b.ok, true, `box answered: ${b.error}`);
    assert.deepStrictEqual(b.result.rect, { x: 40, y: 20, w: 160, h: 80 });
    const out = await prompt(uri, { points: [{ x: 600, y: 10, label: 1 }] });
    assert.strictEqual(out.ok, false);
    assert.match(out.error, /point 0 \(600, 10\) is outside the 512x512 image/);
    assert.strictEqual(await prompt(uri, { points: [{ x: 1, y: 1, label: 7 }] }), undefined, 'a malformed prompt is dropped');
  });

  test('maskwright.promptModel names an unknown model: the reply says which ones exist', async () => {
    await setting('models', [SAM]);
    await setting('promptModel', 'nope');
    const uri = h.wsUri('camera.png');
    await h.openEditor(a, uri);
    const r = await prompt(uri, { points: [{ x: 10.5, y: 10.5, label: 1 }] });
    assert.strictEqual(r.ok, false);
    assert.match(r.error, /maskwright\.promptModel: model 'nope' is unknown; promptable models: sam-fixture/);
  });
});
