// Whole-image edits travel packed: hot-exit backups are deflated (and older raw backups still read),
// large edits go to the webview as packed maps, and the webview's large patches come back deflated.
import * as assert from 'node:assert/strict';
import { decodeEdits, encodeEdits } from '../../../src/shared/editCodec';
import { createLabelMaps, type MaskEdit } from '../../../src/shared/maskModel';
import { packBackup, packMapsSync, unpackBackup, unpackWebviewMessage } from '../../../src/editor/wire';
import { parseWebviewMessage } from '../../../src/shared/protocol';
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

describe('editor/wire: packed patches from the webview', () => {
  const deflate = (...parts: Array<Uint8Array | Uint16Array>): Uint8Array =>
    new Uint8Array(zlib.deflateSync(Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)))));

  it('inflates 8- and 16-bit patches into the arrays parseWebviewMessage accepts; raw patches and other messages pass through', () => {
    const w = 300, h = 250, n = w * h;
    const before = new Uint8Array(n), after = new Uint8Array(n).fill(2);
    const ib = new Uint16Array(n).fill(7), ia = new Uint16Array(n);
    for (let i = 0; i < n; i += 3) ia[i] = 40000 + (i % 1000);
    const small = { layer: 'semantic', x: 1, y: 2, w: 2, h: 1, before: new Uint8Array([0, 0]), after: new Uint8Array([1, 1]) };
    const raw = { type: 'edit', id: 5, edit: { label: 'Fill', patches: [
      { layer: 'semantic', x: 0, y: 0, w, h, packed: 'deflate', bits: 8, data: deflate(before, after) },
      small,
      { layer: 'instances', x: 0, y: 0, w, h, packed: 'deflate', bits: 16, data: deflate(ib, ia) },
    ] } };
    const msg = parseWebviewMessage(unpackWebviewMessage(raw));
    assert.ok(msg && msg.type === 'edit');
    const [p0, p1, p2] = msg.edit.patches;
    assert.deepEqual([p0.before, p0.after], [before, after]);
    assert.deepEqual([p1.before, p1.after], [small.before, small.after]);
    assert.ok(p2.before instanceof Uint16Array && p2.after instanceof Uint16Array);
    assert.deepEqual([p2.before, p2.after], [ib, ia]);
    const other = { type: 'perf', name: 'x', ms: 1 };
    assert.equal(unpackWebviewMessage(other), other);
    const plain = { type: 'edit', id: 1, edit: { label: 'Brush', patches: [small] } };
    assert.equal(unpackWebviewMessage(plain), plain);
  });

  it('refuses, naming the patch, data that inflates to another size, past its rectangle (without allocating it), or is not zlib; bad fields', () => {
    const edit = (p: Record<string, unknown>): unknown => ({ type: 'edit', id: 1, edit: { label: 'x', patches: [{ layer: 'semantic', x: 0, y: 0, w: 10, h: 10, packed: 'deflate', bits: 8, ...p }] } });
    assert.throws(() => unpackWebviewMessage(edit({ data: deflate(new Uint8Array(199)) })), /patch 0: .*expected 200/);
    // 64 MB of zeros promised as a 10x10 patch: stopped at the promised size.
    const bomb = new Uint8Array(zlib.deflateSync(Buffer.alloc(64 << 20)));
    assert.throws(() => unpackWebviewMessage(edit({ data: bomb })), /patch 0: the packed data does not inflate to 200 bytes/);
    assert.throws(() => unpackWebviewMessage(edit({ data: new Uint8Array([1, 2, 3, 4]) })), /patch 0: the packed data does not inflate/);
    assert.throws(() => unpackWebviewMessage(edit({ bits: 12, data: deflate(new Uint8Array(200)) })), /patch 0: not a packed patch/);
    assert.throws(() => unpackWebviewMessage(edit({ w: -1, data: deflate(new Uint8Array(200)) })), /patch 0: bad rectangle/);
    assert.throws(() => unpackWebviewMessage(edit({ data: [1, 2] })), /patch 0: not a packed patch/);
    assert.throws(() => unpackWebviewMessage(edit({ w: 65536, h: 65536, data: deflate(new Uint8Array(2)) })), /patch 0: 4294967296 pixels/);
  });

  it('announcements of edits still being packed parse with an id; anything else is dropped', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'editComing', id: 7 }), { type: 'editComing', id: 7 });
    assert.deepEqual(parseWebviewMessage({ type: 'editDropped', id: 7, extra: 'x' }), { type: 'editDropped', id: 7 });
    for (const id of [-1, 1.5, '7', undefined, 2 ** 60]) assert.equal(parseWebviewMessage({ type: 'editComing', id }), null, String(id));
  });
});
