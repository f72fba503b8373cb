import * as assert from 'node:assert/strict';
import { classMask, componentInstances, paintBinary, replaceEdit } from '../../../src/algorithms/maskOps';
import { applyEdit, createLabelMaps, revertEdit, type InstanceInfo } from '../../../src/shared/maskModel';

describe('maskOps', () => {
  it('paintBinary paints everywhere, or only on background pixels', () => {
    const sem = Uint8Array.from([0, 2, 0, 2]);
    const bin = Uint8Array.from([255, 255, 0, 0]);
    assert.deepEqual([...paintBinary(sem, bin, 1)], [1, 1, 0, 2]);
    assert.deepEqual([...paintBinary(sem, bin, 1, { onlyUnlabelled: true, backgroundId: 0 })], [1, 2, 0, 2]);
    assert.throws(() => paintBinary(sem, new Uint8Array(3), 1), /binary: length 3/);
    assert.throws(() => paintBinary(sem, bin, 256), /classId/);
  });

  it('componentInstances: one instance per connected region of one class, background and ignore excluded', () => {
    // 6x3: two separate class-1 blobs, one class-2 blob touching a class-1 blob, an ignore pixel
    const w = 6, h = 3;
    const sem = Uint8Array.from([
      1, 1, 0, 0, 1, 255,
      1, 2, 0, 0, 1, 0,
      0, 2, 0, 0, 0, 0,
    ]);
    const r = componentInstances(sem, w, h, { backgroundId: 0, ignoreIndex: 255 });
    assert.equal(r.count, 3);
    assert.deepEqual(r.perClass, { 1: 2, 2: 1 });
    assert.deepEqual([...r.map], [
      1, 1, 0, 0, 2, 0,
      1, 3, 0, 0, 2, 0,
      0, 3, 0, 0, 0, 0,
    ]);
    assert.deepEqual(r.info.map((i) => [i.id, i.class, i.source]), [[1, 1, 'tool:components'], [2, 1, 'tool:components'], [3, 2, 'tool:components']]);
    assert.equal(componentInstances(sem, w, h, { backgroundId: 0, ignoreIndex: 255, minArea: 3 }).count, 1);
    assert.deepEqual([...classMask(sem, 2)].filter(Boolean).length, 2);
  });

  it('replaceEdit is one invertible edit with instance metadata changes, null when nothing changes', () => {
    const maps = createLabelMaps(3, 1);
    const info = new Map<number, InstanceInfo>([[5, { id: 5, class: 1, source: 'manual' }]]);
    maps.instances.set([5, 0, 0]);
    maps.semantic.set([1, 0, 0]);
    const edit = replaceEdit(maps, info, { semantic: Uint8Array.from([1, 1, 0]), instances: Uint16Array.from([1, 1, 0]), info: [{ id: 1, class: 1, source: 'tool:components' }] }, 'split');
    assert.ok(edit);
    assert.deepEqual(edit.meta?.map((m) => [m.id, m.before?.id ?? null, m.after?.id ?? null]), [[1, null, 1], [5, 5, null]]);
    applyEdit(maps, edit);
    assert.deepEqual([...maps.semantic, ...maps.instances], [1, 1, 0, 1, 1, 0]);
    revertEdit(maps, edit);
    assert.deepEqual([...maps.semantic, ...maps.instances], [1, 0, 0, 5, 0, 0]);
    assert.equal(replaceEdit(maps, info, { semantic: maps.semantic.slice() }, 'noop'), null);
  });
});
