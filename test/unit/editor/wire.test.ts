// Whole-image edits travel packed: hot-exit backups are deflated (and older raw backups still read),
// and large edits go to the webview as packed maps.
import * as assert from 'node:assert/strict';
import { decodeEdits, encodeEdits } from '../../../src/shared/editCodec';
import { createLabelMaps, type MaskEdit } from '../../../src/shared/maskModel';
import { packBackup, packMapsSync, unpackBackup } from '../../../src/editor/wire';
import * as zlib from 'node:zlib';

describe('editor/wire: packed backups and maps', () => {
  it('a whole-image edit at 4096^2 backs up in well under 1% of its raw size and restores exactly; raw backups still read', async () => {
    const n = 4096;
    const before = new Uint8Array(n * n);
    const after = new Uint8Array(n * n);
    for (let y = 0; y < n; y++) after.fill(y % 300 < 150 ? 1 : 2, y * n + (y % 97), y * n + n - (y % 89));
    const edit: MaskEdit = { label: 'Pre-label', patches: [{ layer: 'semantic', x: 0, y: 0, w: n, h: n, before, after }] };
    const raw = encodeEdits([edit], { note: 'x' });
    const packed = await packBackup(raw);
    assert.ok(packed.length < raw.length / 100, `${packed.length} B packed of ${raw.length} B raw`);
    const back = decodeEdits(await unpackBackup(packed));
    assert.deepEqual(back.extra, { note: 'x' });
    assert.deepEqual(back.edits[0].patches[0].after, after);
    assert.deepEqual(decodeEdits(await unpackBackup(raw)).edits[0].patches[0].after, after, 'an unpacked backup of an earlier version');
  });

  it('packMapsSync inflates back to the maps', () => {
    const m = createLabelMaps(300, 200);
    m.semantic.fill(3, 1000, 5000);
    m.instances.fill(65535, 2000, 2600);
    const w = packMapsSync(m);
    assert.equal(w.packed, 'deflate');
    assert.deepEqual(new Uint8Array(zlib.inflateSync(w.semantic)), m.semantic);
    const inst = zlib.inflateSync(w.instances);
    assert.deepEqual(new Uint16Array(inst.buffer, inst.byteOffset, inst.byteLength / 2), m.instances);
  });
});
