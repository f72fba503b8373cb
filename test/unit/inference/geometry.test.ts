// Pure pre-processing geometry against the reference formulas (ultralytics LetterBox, SAM
// ResizeLongestSide, PaddleOCR DetResizeForTest), without onnxruntime.
import * as assert from 'node:assert/strict';
import { planGeometry, toSourcePoint, toTensorPoint } from '../../../src/algorithms/models/geometry';
import { toInputTensor } from '../../../src/algorithms/models/preprocess';
import { labelComponents } from '../../../src/algorithms/models/components';
import { rgb } from './helpers';

describe('model input geometry (pure)', () => {
  it('letterbox = ultralytics LetterBox (auto=False): new_unpad round, pads round(d -/+ 0.1)', () => {
    const g = planGeometry(1280, 720, { resize: 'letterbox', size: [640, 640] });
    // r = 0.5 -> 640x360, dh = 140 -> top 140, bottom 140.
    assert.deepEqual([g.contentW, g.contentH, g.padX, g.padY], [640, 360, 0, 140]);
    const h = planGeometry(333, 500, { resize: 'letterbox', size: [640, 640] });
    // r = 1.28 -> round(426.24) = 426 wide, dw = 107 -> left round(106.9) = 107.
    assert.deepEqual([h.contentW, h.contentH, h.padX, h.padY], [426, 640, 107, 0]);
    const [u, v] = toTensorPoint(h, 100, 200);
    assert.deepEqual(toSourcePoint(h, u, v).map((n) => Math.round(n * 1e9) / 1e9), [100, 200]);
  });

  it('longest-side = SAM ResizeLongestSide: int(side * 1024 / long + 0.5), top-left', () => {
    const g = planGeometry(1800, 1200, { resize: 'longest-side', size: [1024, 1024] });
    assert.deepEqual([g.contentW, g.contentH, g.padX, g.padY], [1024, 683, 0, 0]);
    assert.throws(() => planGeometry(10, 10, { resize: 'longest-side', size: [1024, 512] }), /square size/);
  });

  it('multiple-of = PaddleOCR DetResizeForTest (max and min limit types)', () => {
    const a = planGeometry(1920, 1080, { resize: 'multiple-of', multiple: 32, limitSideLen: 960 });
    // ratio 0.5 -> 960x540 -> round(540/32)=17 -> 544.
    assert.deepEqual([a.dstW, a.dstH], [960, 544]);
    const b = planGeometry(448, 172, { resize: 'multiple-of', limitType: 'min', limitSideLen: 736 });
    // ratio 736/172 -> int(1917.02)=1917 -> 60*32 = 1920; int(736) -> 736.
    assert.deepEqual([b.dstW, b.dstH], [1920, 736]);
    const c = planGeometry(10, 10, { resize: 'multiple-of', multiple: 32 });
    assert.deepEqual([c.dstW, c.dstH], [32, 32]);
  });

  it('bad arguments throw errors that name them', () => {
    assert.throws(() => planGeometry(0, 5, { resize: 'stretch', size: [4, 4] }), /srcW=0/);
    assert.throws(() => planGeometry(5, 5, { resize: 'stretch' }), /needs size/);
    assert.throws(() => planGeometry(5, 5, { resize: 'zoom' as never }), /resize rule 'zoom' is unknown/);
    assert.throws(() => toInputTensor({ width: 2, height: 2, data: new Uint8Array(5) }, { resize: 'stretch', size: [2, 2] }), /5 bytes, expected 12/);
  });

  it('normalises per channel, swaps to BGR and pads with the pad value', () => {
    const img = rgb(2, 1, () => [255, 128, 0]);
    const { tensor } = toInputTensor(img, { resize: 'letterbox', size: [2, 2], channelOrder: 'BGR', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], padValue: -9 });
    // 2x1 in 2x2: content 2x1, padY = 0 (floor(1/2)), pad row at the bottom.
    const at = (c: number, y: number, x: number): number => tensor.data[c * 4 + y * 2 + x];
    assert.ok(Math.abs(at(0, 0, 0) - (0 - 0.5) / 0.5) < 1e-6, 'B first');
    assert.ok(Math.abs(at(2, 0, 1) - (1 - 0.5) / 0.5) < 1e-6, 'R last');
    assert.equal(at(1, 1, 0), -9);
  });

  it('components: 8-connected labels, area, box, perimeter', () => {
    const m = Uint8Array.from([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
    const { components } = labelComponents(m, 4, 3);
    assert.deepEqual(components.map((c) => [c.area, c.x0, c.y0, c.x1, c.y1, c.perimeter]), [[2, 0, 0, 2, 2, 8], [2, 3, 0, 4, 2, 6]]);
  });
});

describe('pre-label result -> one undoable edit (pure)', () => {
  const { prelabelEdit } = require('../../../src/algorithms/models/toEdit') as typeof import('../../../src/algorithms/models/toEdit');
  const mm = require('../../../src/shared/maskModel') as typeof import('../../../src/shared/maskModel');

  it('replaces both layers and the instance table, and undoes back to the start', () => {
    const maps = mm.createLabelMaps(4, 2);
    maps.semantic.set([1, 1, 0, 0, 0, 0, 0, 0]);
    maps.instances.set([7, 7, 0, 0, 0, 0, 0, 0]);
    const table = new Map([[7, { id: 7, class: 1, source: 'manual' }]]);
    const result = { width: 4, height: 2, semantic: Uint8Array.from([0, 0, 3, 3, 0, 0, 3, 3]), instances: Uint16Array.from([0, 0, 1, 1, 0, 0, 1, 1]), instanceList: [{ id: 1, class: 3, score: 0.87654 }] };
    const edit = prelabelEdit(maps, table, result, 'm');
    assert.equal(edit.patches.length, 2);
    assert.deepEqual(edit.meta, [{ id: 1, before: null, after: { id: 1, class: 3, source: 'model:m', score: 0.8765 } }, { id: 7, before: { id: 7, class: 1, source: 'manual' }, after: null }]);
    const before = { s: maps.semantic.slice(), i: maps.instances.slice() };
    mm.applyEdit(maps, edit);
    mm.applyMeta(table, edit.meta, 'after');
    assert.deepEqual([...maps.semantic], [...result.semantic]);
    assert.deepEqual([...table.keys()], [1]);
    mm.revertEdit(maps, edit);
    mm.applyMeta(table, edit.meta, 'before');
    assert.deepEqual([maps.semantic, maps.instances], [before.s, before.i]);
    assert.deepEqual([...table.keys()], [7]);
    assert.throws(() => prelabelEdit(maps, table, { ...result, width: 2 }, 'm'), /model result is 2x2, the image is 4x2/);
  });
});
