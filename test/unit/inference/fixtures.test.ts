// Family adapters on the geometric fixture models (test/fixtures/models/build.py): exact boxes,
// masks and coordinate transforms through real onnxruntime-node.
import * as assert from 'node:assert/strict';
import { parseConfig } from '../../../src/shared/config';
import { count, fixtureModel, fixtureRunners, rgb } from './helpers';

const config = parseConfig(JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 1, name: 'person' }, { id: 2, name: 'car' }, { id: 5, name: 'red' }, { id: 6, name: 'green' }, { id: 7, name: 'blue' }] }));

/** Pixels of `id` in `a` (w wide) equal exactly the rectangle [x0, x1) x [y0, y1). */
function assertRect(a: ArrayLike<number>, w: number, id: number, x0: number, y0: number, x1: number, y1: number): void {
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    const x = i % w, y = Math.floor(i / w);
    const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
    if ((a[i] === id) !== inside) bad++;
  }
  assert.equal(bad, 0, `${bad} pixels differ from the rectangle ${x0},${y0}..${x1},${y1}`);
}

describe('fixture models: adapters geometry', function () {
  this.timeout(60000);
  const load = fixtureRunners();

  const yolo = { id: 'yolo-fixture', family: 'instance', file: 'yolo_seg.onnx', classes: ['person', 'car'], input: { resize: 'letterbox', size: [640, 640], padValue: 114 / 255 } };

  it('YOLO-seg: letterbox unpad, NMS, class mapping and box-cropped masks land exactly', async () => {
    const r = await load(yolo);
    // 1280x640 -> scale 0.5, content 640x320, 160 px padding above and below.
    const res = await r.prelabel(rgb(1280, 640, () => [90, 90, 90]), { config });
    assert.deepEqual(res.instanceList.map((i) => [i.id, i.class, Math.round(i.score * 100)]), [[1, 2, 90], [2, 1, 60]]);
    // Anchor 0: tensor box x 220..420, y 270..370 -> source x 440..840, y 220..420, class 1 'car' -> id 2.
    assertRect(res.instances, 1280, 1, 440, 220, 840, 420);
    // Anchor 2: tensor box x 120..280, y 360..440, mask only where tensor x < 200 -> source x 240..400, y 400..560.
    assertRect(res.instances, 1280, 2, 240, 400, 400, 560);
    assert.equal(count(res.semantic, (v) => v === 2), 400 * 200);
    assert.equal(count(res.semantic, (v) => v === 1), 160 * 160);
  });

  it('YOLO-seg: a portrait image pads left/right instead', async () => {
    const r = await load(yolo);
    // 320x640 -> scale 1, content 320x640, padX 160: anchor 0 -> x 60..260, y 270..370.
    const res = await r.prelabel(rgb(320, 640, () => [0, 0, 0]), { config });
    assertRect(res.instances, 320, 1, 60, 270, 260, 370);
    // Anchor 2: x -40..120 clipped to 0..40 (tensor x < 200 -> source x < 40), y 360..440.
    assertRect(res.instances, 320, 2, 0, 360, 40, 440);
  });

  it('YOLO-seg: a class the dataset lacks is named in the error; null drops it', async () => {
    const r = await load({ ...yolo, classes: ['person', 'truck'] });
    await assert.rejects(r.prelabel(rgb(64, 64, () => [0, 0, 0]), { config }), /classes not in the dataset config: truck/);
    const res = await r.prelabel(rgb(1280, 640, () => [0, 0, 0]), { config, classMap: { truck: null } });
    assert.deepEqual(res.instanceList.map((i) => i.class), [1]);
  });

  it('YOLO-seg: a declared input size that the model does not have is refused', async () => {
    await assert.rejects(load({ ...yolo, input: { resize: 'letterbox', size: [320, 320] } }), /input 'images' is 640x640 but the entry's input.size is 320x320/);
  });

  it('an instance entry on a single-output model is refused: outputs do not match the family', async () => {
    await assert.rejects(load({ id: 'wrong', family: 'instance', file: 'semantic_rgb.onnx', classes: ['a'], input: { resize: 'stretch', size: [32, 32] } }), /instance family needs 2 output\(s\)/);
  });

  it('wrong input rank/channels and outputs of another family are refused with the names', async () => {
    await assert.rejects(load({ id: 'dec', family: 'semantic', file: 'sam_decoder.onnx', classes: ['a'], input: { resize: 'stretch', size: [64, 64] } }), /input 'image_embeddings' has 256 channels; 3 \(NCHW\) are expected/);
    await assert.rejects(load({ id: 'pc', family: 'semantic', file: 'sam_decoder.onnx', classes: ['a'], input: { name: 'point_coords', resize: 'stretch', size: [64, 64] } }), /input 'point_coords' has rank 3/);
    const r = await load({ id: 'sem-on-yolo', family: 'semantic', file: 'yolo_seg.onnx', classes: ['person'], input: { resize: 'stretch', size: [640, 640] } });
    await assert.rejects(r.prelabel(rgb(32, 32, () => [0, 0, 0]), { config }), /output 'output0' has shape \[1, 38, 8400\], but the semantic family expects \[1, \?, \?, \?\]/);
  });

  const sam = { id: 'sam-fixture', family: 'promptable', file: { encoder: 'sam_encoder.onnx', decoder: 'sam_decoder.onnx' }, input: { resize: 'longest-side', size: [1024, 1024] } };

  it('SAM encoder: longest side to 1024, SAM mean/std, zero padding bottom-right', async () => {
    const r = await load(sam);
    const img = rgb(512, 256, () => [255, 0, 0]);
    await r.embed(img);
    const emb = (r as unknown as { embedding: { tensor: { dims: number[]; data: Float32Array } } }).embedding.tensor;
    assert.deepEqual([...emb.dims], [1, 256, 64, 64]);
    const red = (255 - 123.675) / 58.395, green = (0 - 116.28) / 57.12;
    // Content is 1024x512: embedding rows 0..31 carry the image, rows 32..63 the zero padding.
    assert.ok(Math.abs(emb.data[0 * 4096 + 10 * 64 + 5] - red) < 1e-4);
    assert.ok(Math.abs(emb.data[1 * 4096 + 31 * 64 + 63] - green) < 1e-4);
    assert.equal(emb.data[0 * 4096 + 32 * 64 + 5], 0);
  });

  it('SAM decoder: a click maps through the 1024 frame and back; best-IoU mask chosen', async () => {
    const r = await load(sam);
    await r.embed(rgb(512, 256, () => [10, 20, 30]));
    const m = await r.decode({ points: [{ x: 100.5, y: 60.5, positive: true }] });
    assert.equal(m.index, 1);
    assert.ok(Math.abs(m.score - 0.9) < 1e-6);
    // r = 8 around the click, in original pixels: x 92..108, y 52..68 inclusive.
    assertRect(m.mask, 512, 1, 92, 52, 109, 69);
    assert.equal(m.area, 17 * 17);
  });

  it('SAM decoder: a negative click carves, a box prompt fills the box', async () => {
    const r = await load(sam);
    await r.embed(rgb(300, 600, () => [0, 0, 0]));
    const m = await r.decode({ points: [{ x: 50.5, y: 50.5, positive: true }, { x: 58.5, y: 50.5, positive: false }] });
    // Positive square x 42..58, y 42..58 minus the negative one (r 4): x 54..62, y 46..54.
    for (let i = 0; i < m.mask.length; i++) {
      const x = i % 300, y = Math.floor(i / 300);
      const want = x >= 42 && x <= 58 && y >= 42 && y <= 58 && !(x >= 54 && y >= 46 && y <= 54);
      assert.equal(m.mask[i], want ? 1 : 0, `pixel ${x},${y}`);
    }
    assert.equal(m.area, 17 * 17 - 5 * 9);
    const b = await r.decode({ box: { x0: 40, y0: 20, x1: 200, y1: 100 } });
    assertRect(b.mask, 300, 1, 40, 20, 200, 100);
    await assert.rejects(r.decode({ points: [{ x: 400, y: 10, positive: true }] }), /point 0 \(400, 10\) is outside the 300x600 image/);
  });

  it('SAM: whole-image pre-label is refused with the reason', async () => {
    const r = await load(sam);
    await assert.rejects(r.prelabel(rgb(8, 8, () => [0, 0, 0]), { config }), /promptable: it needs clicks or a box/);
  });

  it('semantic: argmax over channels, stretched and resized back', async () => {
    const r = await load({ id: 'sem', family: 'semantic', file: 'semantic_rgb.onnx', classes: ['red', 'green', 'blue'], input: { resize: 'stretch', size: [64, 48] } });
    const img = rgb(200, 100, (x) => (x < 50 ? [200, 10, 10] : x < 150 ? [10, 200, 10] : [10, 10, 200]));
    const res = await r.prelabel(img, { config });
    // Bilinear resampling blurs the two colour boundaries by at most a pixel each side.
    for (let y = 0; y < 100; y++) {
      for (const [x, want] of [[0, 5], [45, 5], [55, 6], [145, 6], [155, 7], [199, 7]]) assert.equal(res.semantic[y * 200 + x], want, `pixel ${x},${y}`);
    }
    assert.equal(res.instanceList.length, 0);
  });

  it('salient: probability > 0.5 -> foreground; regions as instances on request', async () => {
    const r = await load({ id: 'sal', family: 'salient', file: 'salient_red.onnx', classes: ['red'], input: { resize: 'multiple-of', multiple: 8, limitSideLen: 4096 }, postprocess: { instances: true } });
    const img = rgb(40, 24, (x, y) => ((x < 10 && y < 10) || (x >= 30 && y >= 16) ? [255, 0, 0] : [20, 0, 0]));
    const res = await r.prelabel(img, { config });
    for (let i = 0; i < res.instances.length; i++) {
      const x = i % 40, y = Math.floor(i / 40);
      assert.equal(res.instances[i], x < 10 && y < 10 ? 1 : x >= 30 && y >= 16 ? 2 : 0, `pixel ${x},${y}`);
    }
    assert.equal(count(res.semantic, (v) => v === 5), 100 + 80);
    assert.equal(res.instanceList.length, 2);
  });
});

describe('Add model: inspection proposes the family from the I/O', function () {
  this.timeout(30000);
  const { inspectModel } = require('../../../src/inference/inspect') as typeof import('../../../src/inference/inspect');
  const { FIXTURE_MODELS } = require('./helpers') as typeof import('./helpers');
  const p = (f: string): string => require('node:path').join(FIXTURE_MODELS, f);

  it('YOLO-seg fixture -> instance with 2 classes, letterbox 640', async () => {
    const r = await inspectModel(p('yolo_seg.onnx'), FIXTURE_MODELS);
    assert.equal(r.family, 'instance');
    assert.deepEqual(r.entry?.classes, ['class0', 'class1']);
    assert.deepEqual(r.entry?.input.size, [640, 640]);
    assert.equal(r.entry?.file, 'yolo_seg.onnx');
  });

  it('SAM fixtures -> promptable encoder / decoder; semantic and salient fixtures', async () => {
    assert.equal((await inspectModel(p('sam_decoder.onnx'))).samPart, 'decoder');
    assert.equal((await inspectModel(p('sam_encoder.onnx'))).samPart, 'encoder');
    assert.equal((await inspectModel(p('salient_red.onnx'))).family, 'salient');
    const sem = await inspectModel(p('semantic_rgb.onnx'));
    assert.equal(sem.family, 'semantic');
    assert.equal(sem.entry?.input.resize, 'multiple-of');
  });

  it('a non-ONNX file is refused with the file named', async () => {
    await assert.rejects(inspectModel(p('build.py')), /build\.py: not a loadable ONNX model/);
  });
});

describe('promptable: cached embedding per image key, accepted as an instance edit', function () {
  this.timeout(30000);
  it('embeds once per key, decodes per prompt, and the accepted mask becomes one new instance', async () => {
    const { promptMask } = require('../../../src/inference/prompt') as typeof import('../../../src/inference/prompt');
    const { acceptMaskEdit } = require('../../../src/algorithms/models/toEdit') as typeof import('../../../src/algorithms/models/toEdit');
    const { disposeRunners } = require('../../../src/inference/runner') as typeof import('../../../src/inference/runner');
    const mm = require('../../../src/shared/maskModel') as typeof import('../../../src/shared/maskModel');
    const model = fixtureModel({ id: 'sam-fixture', family: 'promptable', file: { encoder: 'sam_encoder.onnx', decoder: 'sam_decoder.onnx' }, input: { resize: 'longest-side', size: [1024, 1024] } });
    let decodes = 0;
    const target = { key: 'a.png@1', image: async () => { decodes++; return rgb(512, 256, () => [1, 2, 3]); } };
    const m1 = await promptMask(model, target, { points: [{ x: 100.5, y: 60.5, positive: true }] }, { device: 'cpu' });
    const m2 = await promptMask(model, target, { box: { x0: 10, y0: 10, x1: 20, y1: 30 } }, { device: 'cpu' });
    assert.equal(decodes, 1, 'the image is decoded and embedded once for both prompts');
    assert.equal(m2.area, 10 * 20);
    const maps = mm.createLabelMaps(512, 256);
    const edit = acceptMaskEdit(maps, m1.mask, 1, 'sam-fixture', m1.score, 3);
    assert.ok(edit);
    mm.applyEdit(maps, edit);
    assert.equal([...maps.instances].filter((v) => v === 3).length, 17 * 17);
    assert.equal(maps.semantic[60 * 512 + 100], 1);
    assert.deepEqual(edit.meta, [{ id: 3, before: null, after: { id: 3, class: 1, source: 'model:sam-fixture', score: 0.9 } }]);
    await disposeRunners();
  });
});
