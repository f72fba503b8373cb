// 16-bit semantic masks ("semanticBits": 16): the config, the writer and readers (compared with
// PIL pixel for pixel), refusals that name the file and value, and the typed arrays of patches,
// backups and the webview wire.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, parseConfig, type DatasetConfig } from '../../../src/shared/config';
import { createLabelMaps, makePatch, validatePatch, type InstanceInfo } from '../../../src/shared/maskModel';
import { decodeEdits, encodeEdits } from '../../../src/shared/editCodec';
import { parseEdit } from '../../../src/shared/protocol';
import { encodeGray16Png, encodeIndexedPng, readLabelPng } from '../../../src/io/labelPng';
import { MaskLoadError, maskFilesFor, readMasks } from '../../../src/io/masks';
import { writeMaskSet } from '../../../src/io/maskSet';
import { packMaps } from '../../../src/editor/wire';
import * as zlib from 'node:zlib';
import { pilRead, rng, tempDir } from './oracles';

const CLASSES = [{ id: 0, name: 'background' }, { id: 7, name: 'seven' }, { id: 300, name: 'three hundred', color: '#12ab34' }, { id: 65534, name: 'last' }];
const CONFIG16: DatasetConfig = parseConfig(JSON.stringify({ semanticBits: 16, classes: CLASSES }));
const CONFIG8: DatasetConfig = parseConfig(JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 7, name: 'seven' }] }));

function problems(text: string): string[] {
  try { parseConfig(text); } catch (e) { if (e instanceof ConfigError) return [...e.problems]; throw e; }
  return [];
}

describe('16-bit semantic masks', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir(); });
  afterEach(() => t.cleanup());

  it('config: semanticBits 16 takes ids up to 65534 and ignore 65535 by default; 8-bit ids above 254 say what to set', () => {
    assert.equal(CONFIG16.semanticBits, 16);
    assert.equal(CONFIG16.ignoreIndex, 65535);
    assert.deepEqual(CONFIG16.classes.map((c) => c.id), [0, 7, 300, 65534]);
    assert.equal(CONFIG8.semanticBits, 8);
    assert.equal(CONFIG8.ignoreIndex, 255);
    assert.deepEqual(problems(JSON.stringify({ classes: [{ id: 300 }] })), ['classes[0].id must be an integer 0..254 (ids above 254 need "semanticBits": 16)']);
    assert.deepEqual(problems(JSON.stringify({ semanticBits: 12 })), ['semanticBits must be 8 or 16 (16: class ids above 254, stored as 16-bit grayscale PNGs), not 12']);
    assert.deepEqual(problems(JSON.stringify({ semanticBits: 16, classes: [{ id: 65535 }] })), ['classes[0].id must be an integer 0..65534']);
    assert.deepEqual(problems(JSON.stringify({ ignoreIndex: 300 })), ['ignoreIndex must be an integer 0..255']);
    assert.deepEqual(problems(JSON.stringify({ semanticBits: 16, ignoreIndex: 300, classes: [{ id: 300 }] })), ['classes[0].id 300 is the ignore index']);
    assert.equal(parseConfig(JSON.stringify({ semanticBits: 16, ignoreIndex: 255 })).ignoreIndex, 255, 'an explicit ignore index is kept');
  });

  it('writes a 16-bit grayscale mask that PIL reads as uint16 ids, pixel for pixel, and reads it back', async () => {
    const w = 97, h = 61;
    const maps = createLabelMaps(w, h, 0, 16);
    assert.ok(maps.semantic instanceof Uint16Array);
    const rand = rng(16);
    const ids = [0, 7, 300, 65534, 65535];
    for (let i = 0; i < maps.semantic.length; i++) maps.semantic[i] = ids[Math.floor(rand() * ids.length)];
    maps.semantic[0] = 300; maps.semantic[1] = 65534;
    for (let i = 0; i < 40; i++) maps.instances[i] = 5;
    for (let i = 0; i < 40; i++) maps.semantic[i] = 300;
    const info: InstanceInfo[] = [{ id: 5, class: 300, source: 'manual' }];
    const image = path.join(t.dir, 'img.png');
    const r = await writeMaskSet(image, maps, info, CONFIG16, {});
    assert.equal(r.status, 'written');
    const files = maskFilesFor(image, CONFIG16);

    const ours = await readLabelPng(files.mask);
    assert.equal(ours.header.colorType, 0);
    assert.equal(ours.header.bitDepth, 16);
    const pil = pilRead(files.mask);
    assert.ok(pil.mode === 'I;16' || pil.mode === 'I', `PIL mode ${pil.mode}`); // PIL 9.4 opens 16-bit gray as 'I' (int32)
    assert.deepEqual(pil.shape, [h, w]);
    assert.ok(pil.data instanceof Uint16Array);
    assert.deepEqual(Array.from(pil.data), Array.from(maps.semantic), 'PIL reads the ids written');

    const back = await readMasks(image, w, h, CONFIG16);
    assert.ok(back.maps.semantic instanceof Uint16Array);
    assert.deepEqual(Array.from(back.maps.semantic), Array.from(maps.semantic));
    assert.deepEqual(back.instanceInfo, info);
    assert.deepEqual(back.warnings, [], '65535 is the ignore index, every other id is listed');
  });

  it('an 8-bit dataset refuses a 16-bit mask with an id above 255, naming the file, the id and its pixel', async () => {
    const w = 5, h = 4;
    const ids = new Uint16Array(w * h).fill(7);
    ids[2 * w + 3] = 300;
    const image = path.join(t.dir, 'a.png');
    const files = maskFilesFor(image, CONFIG8);
    fs.writeFileSync(files.mask, encodeGray16Png(w, h, ids));
    await assert.rejects(readMasks(image, w, h, CONFIG8), (e: unknown) => {
      assert.ok(e instanceof MaskLoadError);
      assert.equal(e.file, files.mask);
      assert.match(e.message, /a\.mask\.png: 16-bit semantic mask has class id 300 at pixel 3,2, but the dataset config is 8-bit .*"semanticBits": 16/);
      return true;
    });
    // A 16-bit file whose ids fit is still read (FORMATS.md: readers accept 16-bit grayscale).
    ids[2 * w + 3] = 7;
    fs.writeFileSync(files.mask, encodeGray16Png(w, h, ids));
    const ok = await readMasks(image, w, h, CONFIG8);
    assert.ok(ok.maps.semantic instanceof Uint8Array);
    assert.ok(ok.maps.semantic.every((v) => v === 7));
  });

  it('a 16-bit dataset widens an existing 8-bit palette mask to Uint16Array with the same ids', async () => {
    const w = 6, h = 3;
    const ids = Uint8Array.from({ length: w * h }, (_, i) => (i % 2 ? 7 : 0));
    const image = path.join(t.dir, 'b.png');
    const pal = new Uint8Array(768);
    fs.writeFileSync(maskFilesFor(image, CONFIG16).mask, encodeIndexedPng(w, h, ids, pal));
    const m = await readMasks(image, w, h, CONFIG16);
    assert.ok(m.maps.semantic instanceof Uint16Array);
    assert.deepEqual(Array.from(m.maps.semantic), Array.from(ids));
  });

  it('the writer refuses maps of the other depth instead of converting them', async () => {
    const image = path.join(t.dir, 'c.png');
    await assert.rejects(writeMaskSet(image, createLabelMaps(4, 4), [], CONFIG16, {}), /maps\.semantic must be a Uint16Array of 16 values \(the dataset's semantic masks are 16-bit\)/);
    await assert.rejects(writeMaskSet(image, createLabelMaps(4, 4, 0, 16), [], CONFIG8, {}), /maps\.semantic must be a Uint8Array of 16 values/);
  });

  it('patches carry the maps\' type: validated, through the protocol parser and the backup codec', () => {
    const maps = createLabelMaps(8, 4, 0, 16);
    const p = makePatch(maps, 'semantic', 1, 1, 3, 2, Uint16Array.from([300, 300, 65534, 0, 7, 300]));
    assert.ok(p && p.before instanceof Uint16Array);
    validatePatch(maps, p);
    assert.throws(() => validatePatch(maps, { ...p, before: new Uint8Array(6), after: new Uint8Array(6) }), /patch before must be a Uint16Array of 6 values \(the dataset's semantic masks are 16-bit\)/);
    assert.throws(() => validatePatch(createLabelMaps(8, 4), p), /must be a Uint8Array of 6 values \(the dataset's semantic masks are 8-bit\)/);

    const parsed = parseEdit({ label: 'brush', patches: [p] });
    assert.ok(parsed && parsed.patches[0].after instanceof Uint16Array);
    assert.equal(parseEdit({ label: 'x', patches: [{ ...p, after: new Uint8Array(6) }] }), null, 'mixed types are malformed');

    const inst = makePatch(maps, 'instances', 0, 0, 2, 1, Uint16Array.from([3, 3]))!;
    const small = makePatch(createLabelMaps(8, 4), 'semantic', 0, 0, 3, 1, Uint8Array.from([1, 2, 3]))!;
    const { edits } = decodeEdits(encodeEdits([{ label: 'a', patches: [p, inst] }, { label: 'b', patches: [small] }]));
    assert.ok(edits[0].patches[0].after instanceof Uint16Array);
    assert.deepEqual(Array.from(edits[0].patches[0].after), [300, 300, 65534, 0, 7, 300]);
    assert.deepEqual(Array.from(edits[0].patches[1].after), [3, 3]);
    assert.ok(edits[1].patches[0].after instanceof Uint8Array);
    assert.deepEqual(Array.from(edits[1].patches[0].after), [1, 2, 3]);
  });

  it('packed wire maps say their depth and carry the 16-bit ids little-endian', async () => {
    const maps = createLabelMaps(33, 9, 0, 16);
    for (let i = 0; i < maps.semantic.length; i++) maps.semantic[i] = (i * 2311) % 65536;
    const wire = await packMaps(maps);
    assert.equal(wire.packed, 'deflate');
    assert.equal(wire.packed === 'deflate' && wire.semanticBits, 16);
    const bytes = zlib.inflateSync(wire.semantic);
    assert.equal(bytes.length, 33 * 9 * 2);
    for (let i = 0; i < maps.semantic.length; i++) assert.equal(bytes.readUInt16LE(i * 2), maps.semantic[i]);
    const small = await packMaps(createLabelMaps(4, 4, 3));
    assert.equal(small.packed === 'deflate' && small.semanticBits, 8);
    assert.deepEqual([...zlib.inflateSync(small.semantic)], new Array(16).fill(3));
  });
});
