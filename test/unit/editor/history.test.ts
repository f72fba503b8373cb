import * as assert from 'node:assert/strict';
import { EditHistory } from '../../../src/editor/history';
import { applyEdit, createLabelMaps, makePatch, type MaskEdit } from '../../../src/shared/maskModel';

function paint(maps: ReturnType<typeof createLabelMaps>, x: number, v: number): MaskEdit {
  const p = makePatch(maps, 'semantic', x, 0, 1, 1, new Uint8Array([v]));
  assert.ok(p);
  const e = { label: `paint ${x}=${v}`, patches: [p] };
  applyEdit(maps, e);
  return e;
}

describe('EditHistory (dirty state and backups)', () => {
  it('is clean at load, dirty after an edit, clean again after save and after undo back to the save point', () => {
    const maps = createLabelMaps(4, 1);
    const h = new EditHistory();
    assert.equal(h.isDirty, false);
    const a = paint(maps, 0, 1);
    h.push(a);
    assert.equal(h.isDirty, true);
    h.markSaved();
    assert.equal(h.isDirty, false);
    const b = paint(maps, 1, 2);
    h.push(b);
    assert.equal(h.isDirty, true);
    h.pop(b);
    assert.equal(h.isDirty, false);
  });

  it('unsavedEdits turn the saved maps into the current ones even after undoing past the save point', () => {
    const maps = createLabelMaps(4, 1);
    const h = new EditHistory();
    const a = paint(maps, 0, 1); h.push(a);
    const b = paint(maps, 1, 2); h.push(b);
    h.markSaved();
    const saved = maps.semantic.slice();
    // undo b, then make a different edit c
    maps.semantic[1] = 0; h.pop(b);
    const c = paint(maps, 2, 3); h.push(c);
    assert.equal(h.isDirty, true);
    const replay = createLabelMaps(4, 1);
    replay.semantic.set(saved);
    for (const e of h.unsavedEdits()) applyEdit(replay, e);
    assert.deepEqual([...replay.semantic], [...maps.semantic]);
    assert.deepEqual([...maps.semantic], [1, 0, 3, 0]);
  });

  it('refuses to undo out of order', () => {
    const maps = createLabelMaps(2, 1);
    const h = new EditHistory();
    const a = paint(maps, 0, 1); h.push(a);
    const b = paint(maps, 1, 1); h.push(b);
    assert.throws(() => h.pop(a), /out of order/);
  });

  it('version changes with every push, undo and reset (even back to the same state), not with markSaved', () => {
    const maps = createLabelMaps(4, 1);
    const h = new EditHistory();
    const seen = [h.version];
    const a = paint(maps, 0, 1);
    h.push(a); seen.push(h.version);
    h.markSaved(); assert.equal(h.version, seen[1]);
    h.pop(a); seen.push(h.version);
    h.push(a); seen.push(h.version);
    h.reset(); seen.push(h.version);
    assert.equal(new Set(seen).size, seen.length, `all different: ${seen.join(' ')}`);
  });
});
