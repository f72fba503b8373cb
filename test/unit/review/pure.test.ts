// The pure review computations on hand-worked maps: diff counts, agreement, uncertainty, queue
// order, statistics.
import * as assert from 'node:assert/strict';
import { agreement, datasetAgreement } from '../../../src/review/agreement';
import { diffMasks } from '../../../src/review/labelDiff';
import { rankQueue } from '../../../src/review/queue';
import { StatsAccumulator } from '../../../src/review/stats';
import { binaryUncertainty, instanceUncertainty, multiClassUncertainty } from '../../../src/review/uncertainty';
import { planGeometry } from '../../../src/algorithms/models/geometry';

const u8 = (...v: number[]): Uint8Array => Uint8Array.from(v);
const u16 = (...v: number[]): Uint16Array => Uint16Array.from(v);

describe('review: pure computations', () => {
  it('diffMasks: per-class before/after/intersection/iou and instances by id (hand-worked 3x2)', () => {
    const before = { width: 3, height: 2, semantic: u8(0, 1, 1, 2, 2, 0), instances: u16(0, 1, 1, 2, 2, 0) };
    const after = { width: 3, height: 2, semantic: u8(0, 1, 0, 2, 3, 3), instances: u16(0, 1, 0, 0, 4, 4) };
    const d = diffMasks(before, after);
    assert.equal(d.changedPixels, 3);
    assert.deepEqual(d.classes['0'], { before: 2, after: 2, intersection: 1, iou: 0.333333 });
    assert.deepEqual(d.classes['1'], { before: 2, after: 1, intersection: 1, iou: 0.5 });
    assert.deepEqual(d.classes['2'], { before: 2, after: 1, intersection: 1, iou: 0.5 });
    assert.deepEqual(d.classes['3'], { before: 0, after: 2, intersection: 0, iou: 0 });
    assert.deepEqual(d.instances, { added: [4], removed: [2], changed: [{ id: 1, iou: 0.5 }] });
    assert.throws(() => diffMasks(before, { ...after, width: 2, height: 3 }), /differ in size: 3x2 before, 2x3 after/);
  });

  it('agreement: IoU and Dice per class, mean over non-background classes, ignore pixels left out', () => {
    const ref = u8(0, 0, 1, 1, 1, 2, 255, 255);
    const pred = u8(0, 1, 1, 1, 0, 2, 1, 2);
    const a = agreement(ref, pred, { backgroundId: 0, ignoreIndex: 255 });
    assert.deepEqual(a.classes['1'], { tp: 2, fp: 1, fn: 1, iou: 0.5, dice: Math.round((4 / 6) * 1e6) / 1e6 });
    assert.deepEqual(a.classes['2'], { tp: 1, fp: 0, fn: 0, iou: 1, dice: 1 });
    assert.equal(a.meanIoU, 0.75);
    assert.equal(a.pixelAccuracy, Math.round((4 / 6) * 1e6) / 1e6);
    assert.equal(agreement(u8(0, 0), u8(0, 0), { backgroundId: 0, ignoreIndex: 255 }).meanIoU, 1, 'nothing in either: agree');
    const ds = datasetAgreement([a, agreement(u8(1, 1), u8(1, 0), { backgroundId: 0, ignoreIndex: 255 })]);
    assert.equal(ds.images, 2);
    assert.equal(ds.meanIoU, Math.round(((0.75 + 0.5) / 2) * 1e6) / 1e6);
    assert.deepEqual([ds.classes['1'].tp, ds.classes['1'].fp, ds.classes['1'].fn, ds.classes['1'].images], [3, 1, 2, 2]);
  });

  it('uncertainty: low-margin share of the labelled area on a probability map, on logits, and from instance scores', () => {
    const g = planGeometry(4, 1, { resize: 'stretch', size: [4, 1] });
    // p: 0.9 (sure fg), 0.6 (low margin, fg), 0.4 (low margin, bg), 0.05 (sure bg): 2 low of 3 labelled-or-low.
    assert.deepEqual(binaryUncertainty({ dims: [1, 1, 1, 4], data: Float32Array.from([0.9, 0.6, 0.4, 0.05]) }, g, 0.5), { measure: 'low-margin-share', value: 0.6667 });
    assert.equal(binaryUncertainty({ dims: [1, 1, 1, 4], data: Float32Array.from([0, 0, 0, 0]) }, g, 0.5).value, 0, 'nothing labelled, nothing doubtful');
    // Two classes, channel 0 = background: logits margins.
    const logits = Float32Array.from([5, 0, 0.1, 0, /* c1 */ 0, 5, 0, 0.2]);
    const m = multiClassUncertainty({ dims: [1, 2, 1, 4], data: logits }, g, [false, true]);
    assert.deepEqual(m, { measure: 'low-margin-share', value: Math.round((2 / 3) * 1e4) / 1e4 });
    const inst = instanceUncertainty({ width: 4, height: 1, semantic: u8(1, 1, 1, 0), instances: u16(1, 1, 2, 0), instanceList: [{ id: 1, class: 1, score: 0.9 }, { id: 2, class: 1, score: 0.6 }] });
    assert.deepEqual(inst, { measure: 'instance-score', value: Math.round((1 - (2 * 0.9 + 0.6) / 3) * 1e4) / 1e4 });
  });

  it('queue: not reviewed first, then score; drafts before unlabelled before edited on ties; reasons name the measures', () => {
    const q = rankQueue([
      { image: 'r.png', status: 'reviewed', uncertainty: 0.9 },
      { image: 'e.png', status: 'edited' },
      { image: 'u.png', status: 'unlabelled' },
      { image: 'd.png', status: 'draft', source: 'tool:threshold' },
      { image: 'a.png', status: 'draft', source: 'model:m', uncertainty: 0.2, agreement: 0.5, agreementWith: 'model:m' },
      { image: 'b.png', status: 'edited', uncertainty: 0.3 },
    ]);
    assert.deepEqual(q.map((x) => x.image), ['a.png', 'b.png', 'd.png', 'u.png', 'e.png', 'r.png']);
    assert.equal(q[0].score, 0.5);
    assert.equal(q[0].reason, 'automatic draft, not reviewed (model:m); uncertainty 0.200; agreement mIoU 0.500 with model:m');
    assert.equal(q[3].reason, 'no masks yet');
  });

  it('stats: class pixels, images, instances (class under the first pixel), status counts and log2 size bins', () => {
    const s = new StatsAccumulator();
    s.addImage('draft', u8(0, 1, 1, 2, 255, 0), u16(0, 1, 1, 2, 0, 0), 255);
    s.addImage('reviewed', u8(1, 1, 1, 1), u16(3, 3, 3, 0), 255);
    s.addImage('edited', u8(0, 0), null, 255);
    s.addStatusOnly('unlabelled');
    const r = s.result(new Map([[0, 'background'], [1, 'cat'], [7, 'unused']]));
    assert.deepEqual(r.status, { unlabelled: 1, draft: 1, edited: 1, reviewed: 1 });
    assert.equal(r.images, 4);
    assert.equal(r.labelled, 3);
    assert.deepEqual(r.classes['0'], { pixels: 4, images: 2, instances: 0, name: 'background' });
    assert.deepEqual(r.classes['1'], { pixels: 6, images: 2, instances: 2, name: 'cat' });
    assert.deepEqual(r.classes['2'], { pixels: 1, images: 1, instances: 1 });
    assert.deepEqual(r.classes['7'], { pixels: 0, images: 0, instances: 0, name: 'unused' });
    assert.equal(r.classes['255'], undefined, 'ignore pixels are no class');
    assert.deepEqual(r.instanceSizes, [{ min: 1, max: 1, count: 1 }, { min: 2, max: 3, count: 2 }]);
    assert.equal(r.totalInstances, 3);
  });
});
