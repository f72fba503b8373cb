import * as assert from 'node:assert/strict';
import { applyEdit, applyMeta, checkSize, createLabelMaps, invertEdit, makePatch, nextInstanceId, readRect, revertEdit, validatePatch, type InstanceInfo, type MaskEdit } from '../../../src/shared/maskModel';
import { decodeEdits, encodeEdits } from '../../../src/shared/editCodec';

describe('shared/maskModel', () => {
  it('makePatch + apply/revert/invert restore the exact bytes with overlapping patches', () => {
    const m = createLabelMaps(6, 4, 2);
    const orig = m.semantic.slice();
    const p1 = makePatch(m, 'semantic', 1, 1, 3, 2, new Uint8Array(6).fill(7))!;
    const e1: MaskEdit = { label: 'a', patches: [p1] };
    applyEdit(m, e1);
    const p2 = makePatch(m, 'semantic', 2, 0, 4, 3, new Uint8Array(12).fill(9))!;
    const p3 = makePatch(m, 'instances', 0, 0, 6, 1, new Uint16Array(6).fill(65535))!;
    const e2: MaskEdit = { label: 'b', patches: [p2, p3] };
    applyEdit(m, e2);
    assert.deepEqual([...readRect(m, 'semantic', 0, 1, 6, 1)], [2, 7, 9, 9, 9, 9]);
    assert.ok(m.instances.subarray(0, 6).every((v) => v === 65535));
    applyEdit(m, invertEdit(e2));
    assert.deepEqual([...readRect(m, 'semantic', 0, 1, 6, 1)], [2, 7, 7, 7, 2, 2]);
    applyEdit(m, e2);
    revertEdit(m, e2);
    revertEdit(m, e1);
    assert.deepEqual(m.semantic, orig);
    assert.ok(m.instances.every((v) => v === 0));
    assert.equal(makePatch(m, 'semantic', 0, 0, 2, 1, new Uint8Array([2, 2])), null);
  });

  it('validatePatch and checkSize name what is wrong', () => {
    const m = createLabelMaps(4, 4);
    assert.throws(() => validatePatch(m, { layer: 'semantic', x: 3, y: 0, w: 2, h: 1, before: new Uint8Array(2), after: new Uint8Array(2) }), /outside the 4x4 image/);
    assert.throws(() => validatePatch(m, { layer: 'instances', x: 0, y: 0, w: 2, h: 1, before: new Uint8Array(2), after: new Uint8Array(2) }), /Uint16Array of 2/);
    assert.throws(() => checkSize(0, 3), /not a positive integer size/);
    assert.throws(() => checkSize(40000, 2), /exceeds the limit/);
  });

  it('meta changes apply and undo; nextInstanceId skips used and taken ids', () => {
    const table = new Map<number, InstanceInfo>();
    const meta = [{ id: 1, before: null, after: { id: 1, class: 2, source: 'manual' } }, { id: 1, before: { id: 1, class: 2, source: 'manual' }, after: { id: 1, class: 3, source: 'manual' } }];
    applyMeta(table, meta, 'after');
    assert.equal(table.get(1)?.class, 3);
    applyMeta(table, meta, 'before');
    assert.equal(table.size, 0);
    assert.equal(nextInstanceId(new Uint16Array([0, 1, 2, 4]), [3]), 5);
    assert.equal(nextInstanceId(Uint16Array.from({ length: 65536 }, (_, i) => i)), 0);
  });

  it('editCodec round trips edits byte-exactly, including odd lengths and meta', () => {
    const m = createLabelMaps(5, 5);
    const edits: MaskEdit[] = [
      { label: 'odd', patches: [makePatch(m, 'semantic', 0, 0, 3, 1, new Uint8Array([1, 2, 3]))!, makePatch(m, 'instances', 1, 1, 3, 3, Uint16Array.from({ length: 9 }, (_, i) => 60000 + i))!] },
      { label: 'meta', patches: [], meta: [{ id: 9, before: null, after: { id: 9, class: 1, source: 'model:x', score: 0.25 } }] },
    ];
    const back = decodeEdits(encodeEdits(edits, { saved: 1 }));
    assert.deepEqual(back.extra, { saved: 1 });
    assert.equal(back.edits.length, 2);
    assert.deepEqual(back.edits[0].patches.map((p) => [p.layer, [...p.before], [...p.after]]), edits[0].patches.map((p) => [p.layer, [...p.before], [...p.after]]));
    assert.ok(back.edits[0].patches[1].after instanceof Uint16Array);
    assert.deepEqual(back.edits[1].meta, edits[1].meta);
    const bytes = encodeEdits(edits);
    assert.throws(() => decodeEdits(bytes.subarray(0, bytes.length - 4)), /truncated/);
    assert.throws(() => decodeEdits(new Uint8Array(12)), /unknown format/);
  });
});
