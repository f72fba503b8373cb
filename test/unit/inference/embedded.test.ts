// The embedded PP-OCRv4 text detector on real images, through real onnxruntime-node and sharp;
// cross-checked against onnxruntime-web (wasm, an independent build) on the same input tensor.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultConfig, parseConfig } from '../../../src/shared/config';
import { getRunner, disposeRunners, ModelRunner } from '../../../src/inference/runner';
import { count, embedded, image } from './helpers';

const textConfig = parseConfig(JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 3, name: 'text' }] }));

describe('embedded text model (PP-OCRv4 det)', function () {
  this.timeout(120000);
  after(() => disposeRunners());

  it('resolves from the installed package and matches its sha256', async () => {
    const m = embedded();
    assert.match(m.file, /@gutenye[\\/]ocr-models[\\/]assets[\\/]ch_PP-OCRv4_det_infer\.onnx$/);
    const r = await getRunner(m, { device: 'cpu' });
    assert.equal(r.provider, 'cpu');
  });

  it('finds the text of text.png as instances of class text, and little on a text-free photo', async () => {
    const r = await getRunner(embedded(), { device: 'cpu' });
    const img = await image('text.png');
    const res = await r.prelabel(img, { config: textConfig });
    assert.equal(res.width, img.width);
    const textPx = count(res.semantic, (v) => v === 3);
    const frac = textPx / res.semantic.length;
    // text.png is a page of printed characters: a real share of it is text, far from all of it.
    assert.ok(frac > 0.05 && frac < 0.8, `text fraction ${frac}`);
    assert.ok(res.instanceList.length >= 5, `${res.instanceList.length} text regions`);
    for (const inst of res.instanceList) {
      assert.equal(inst.class, 3);
      assert.ok(inst.score >= 0.6 && inst.score <= 1, `score ${inst.score}`);
      assert.ok(count(res.instances, (v) => v === inst.id) > 0, `instance ${inst.id} has pixels`);
    }
    // Every instance pixel is text, every text pixel belongs to an instance.
    for (let i = 0; i < res.semantic.length; i++) assert.equal(res.semantic[i] === 3, res.instances[i] !== 0);
    const horse = await r.prelabel(await image('horse.png'), { config: textConfig });
    assert.ok(count(horse.semantic, (v) => v === 3) / horse.semantic.length < frac / 4, 'a silhouette has far less text than a page');
  });

  it('refuses a dataset without a text class, naming the class and the fix', async () => {
    const r = await getRunner(embedded(), { device: 'cpu' });
    await assert.rejects(r.prelabel(await image('text.png'), { config: defaultConfig() }), /classes not in the dataset config: text.*classMap/s);
    // With an explicit mapping it works.
    const res = await r.prelabel(await image('text.png'), { config: defaultConfig(), classMap: { text: 'object' } });
    assert.ok(count(res.semantic, (v) => v === 1) > 1000);
  });

  it('onnxruntime-web (wasm) agrees with onnxruntime-node on the same input within 1e-3', async () => {
    const ortWeb = require('onnxruntime-web') as typeof import('onnxruntime-web');
    ortWeb.env.wasm.numThreads = 1;
    const m = embedded();
    const node = await getRunner(m, { device: 'cpu' });
    const img = await image('text.png');
    const { tensor } = node.prepare(img);
    const [a] = await node.infer(tensor);
    const fs = await import('node:fs');
    const web = await ortWeb.InferenceSession.create(new Uint8Array(fs.readFileSync(m.file)), { executionProviders: ['wasm'] });
    const out = await web.run({ x: new ortWeb.Tensor('float32', tensor.data, tensor.dims as number[]) });
    const b = out[web.outputNames[0]].data as Float32Array;
    assert.equal(b.length, a.data.length);
    let maxDiff = 0, above = 0;
    for (let i = 0; i < b.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a.data[i] - b[i]));
      if (a.data[i] > 0.3) above++;
    }
    assert.ok(above > 1000, 'the probability map is not trivial');
    assert.ok(maxDiff < 1e-3, `max abs difference ${maxDiff}`);
    await web.release();
    console.log(`      ort-web vs ort-node: max abs diff ${maxDiff.toExponential(2)} over ${b.length} probabilities`);
  });

  it('refuses a missing, truncated or non-ONNX model file with the file named', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-models-'));
    const m = embedded();
    const bad = (file: string) => ({ ...m, file, entry: { ...m.entry, sha256: undefined } });
    await assert.rejects(ModelRunner.load(bad(path.join(dir, 'nope.onnx'))), /nope\.onnx does not exist/);
    fs.writeFileSync(path.join(dir, 'text.onnx'), 'not a model');
    await assert.rejects(ModelRunner.load(bad(path.join(dir, 'text.onnx'))), /text\.onnx: not a loadable ONNX model/);
    fs.writeFileSync(path.join(dir, 'trunc.onnx'), fs.readFileSync(m.file).subarray(0, 100000));
    await assert.rejects(ModelRunner.load(bad(path.join(dir, 'trunc.onnx'))), /trunc\.onnx: not a loadable ONNX model/);
    // With the manifest's sha256, truncation is named as such before onnxruntime sees it.
    await assert.rejects(ModelRunner.load({ ...m, file: path.join(dir, 'trunc.onnx') }), /has sha256 [0-9a-f]{64}, the entry expects 30a86f57.*\(truncated or a different file\)/);
  });
});
