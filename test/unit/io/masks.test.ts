import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { parseConfig, paletteOf, defaultConfig, type DatasetConfig } from '../../../src/shared/config';
import { createLabelMaps } from '../../../src/shared/maskModel';
import { encodeIndexedPng, readLabelPng } from '../../../src/io/labelPng';
import { MaskLoadError, maskFilesFor, readMasks } from '../../../src/io/masks';
import { inspectSet, readMaskSet, writeMaskSet, type SetMeta } from '../../../src/io/maskSet';
import type { InstanceInfo, LabelMaps } from '../../../src/shared/maskModel';
import { decodeGray16 } from '../../../src/io/image';
import { instanceClassStats } from '../../../src/io/instanceStats';
import { pilRead, rng, tempDir } from './oracles';

const CONFIG: DatasetConfig = parseConfig(JSON.stringify({
  classes: [
    { id: 0, name: 'background', color: '#000000' },
    { id: 1, name: 'cat', color: '#ff8800', kind: 'thing' },
    { id: 2, name: 'road', color: '#123456', kind: 'stuff' },
  ],
}));

/** The mask-set writer, asserting it wrote. */
async function writeMasks(img: string, maps: LabelMaps, info: InstanceInfo[], cfg: DatasetConfig, meta: SetMeta = {}): Promise<{ written: string[] }> {
  const r = await writeMaskSet(img, maps, info, cfg, meta);
  assert.equal(r.status, 'written');
  return { written: r.status === 'written' ? r.written : [] };
}

const REVIEW = { review: { at: '2026-01-02T00:00:00.000Z', by: 'ana' } };

describe('io/masks', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir(); });
  afterEach(() => t.cleanup());

  const image = (name = 'img.jpg'): string => path.join(t.dir, name);

  it('instanceClassStats counts by runs what a pixel-by-pixel count gives', () => {
    const r = rng(9), n = 5000;
    const semantic = new Uint8Array(n), instances = new Uint16Array(n);
    for (let i = 1; i < n; i++) {
      semantic[i] = r() < 0.9 ? semantic[i - 1] : Math.floor(r() * 4);
      instances[i] = r() < 0.9 ? instances[i - 1] : Math.floor(r() * 5);
    }
    const naive = new Map<number, Map<number, number>>();
    for (let i = 0; i < n; i++) {
      if (!instances[i]) continue;
      const m = naive.get(instances[i]) ?? new Map<number, number>();
      m.set(semantic[i], (m.get(semantic[i]) ?? 0) + 1);
      naive.set(instances[i], m);
    }
    const got = instanceClassStats(semantic, instances);
    assert.deepEqual([...got.keys()], [...naive.keys()].sort((a, b) => a - b));
    for (const [id, m] of naive) assert.deepEqual(new Map([...got.get(id)!].sort()), new Map([...m].sort()), `instance ${id}`);
  });

  it('readMaskSet gives the maps of readMasks and the state of inspectSet (ok, then changed by another program)', async () => {
    const w = 33, h = 17, r = rng(3);
    const maps = createLabelMaps(w, h);
    maps.semantic.forEach((_, i) => { maps.semantic[i] = r() < 0.5 ? 1 : 2; });
    maps.instances.forEach((_, i) => { maps.instances[i] = maps.semantic[i] === 1 ? 1 + (i % 3) : 0; });
    const info: InstanceInfo[] = [1, 2, 3].map((id) => ({ id, class: 1, source: 'manual' }));
    await writeMasks(image(), maps, info, CONFIG);
    for (const expected of ['ok', 'changed']) {
      const both = await readMaskSet(image(), w, h, CONFIG);
      assert.deepEqual(both.loaded, await readMasks(image(), w, h, CONFIG));
      assert.deepEqual(both.state, await inspectSet(image(), CONFIG));
      assert.equal(both.state.integrity, expected);
      assert.deepEqual(both.loaded.maps.instances, maps.instances);
      // Another program rewrites the semantic mask (same pixels, new bytes without a generation).
      fs.writeFileSync(maskFilesFor(image(), CONFIG).mask, encodeIndexedPng(w, h, maps.semantic as Uint8Array, paletteOf(CONFIG), [['Software', 'other']]));
    }
  });

  it('palette PNG round trip keeps every id 0..255, read by our reader, sharp and PIL', async () => {
    const w = 256, h = 8;
    const maps = createLabelMaps(w, h);
    const rand = rng(1);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) maps.semantic[y * w + x] = y === 0 ? x : Math.floor(rand() * 256);
    const { written } = await writeMasks(image(), maps, [], CONFIG);
    const files = maskFilesFor(image(), CONFIG);
    assert.deepEqual(written, [files.mask, files.sidecar]);
    assert.equal(fs.existsSync(files.instances), false);
    assert.equal(fs.existsSync(files.sidecar), true, 'a mask without instances still gets a sidecar (review state, generation)');

    const ours = await readLabelPng(files.mask);
    assert.equal(ours.header.colorType, 3);
    assert.equal(ours.header.bitDepth, 8);
    assert.deepEqual(ours.data, maps.semantic);
    const pal = paletteOf(CONFIG);
    assert.deepEqual(ours.palette, pal);

    const { data: rgb, info } = await sharp(files.mask).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 3);
    for (let i = 0; i < w * h; i++) {
      const id = maps.semantic[i];
      assert.deepEqual([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]], [pal[id * 3], pal[id * 3 + 1], pal[id * 3 + 2]], `sharp colour at pixel ${i}`);
    }
    assert.deepEqual([pal[3], pal[4], pal[5]], [0xff, 0x88, 0x00]);

    const pil = pilRead(files.mask);
    assert.equal(pil.mode, 'P');
    assert.deepEqual(pil.shape, [h, w]);
    assert.deepEqual(pil.data, maps.semantic);
    assert.deepEqual(pil.palette?.slice(0, 9), [0, 0, 0, 0xff, 0x88, 0, 0x12, 0x34, 0x56]);

    const back = await readMasks(image(), w, h, CONFIG);
    assert.deepEqual(back.maps.semantic, maps.semantic);
    assert.deepEqual(back.existing, { mask: true, instances: false, sidecar: true });
    assert.ok(back.warnings.some((x) => /class ids not in the config: 3 /.test(x)), back.warnings.join('\n'));
  });

  it('16-bit instance ids 0, 1, 300, 65535 round trip through sharp grey16 and PIL I;16', async () => {
    const w = 4, h = 3;
    const maps = createLabelMaps(w, h);
    const ids = [0, 1, 300, 65535, 65535, 300, 1, 0, 256, 255, 4097, 0];
    maps.instances.set(ids);
    for (let i = 0; i < ids.length; i++) maps.semantic[i] = ids[i] ? 1 : 0;
    const info = [{ id: 1, class: 1, source: 'manual' }, { id: 300, class: 1, source: 'model:x', score: 0.5 }];
    const { written } = await writeMasks(image(), maps, info, CONFIG, REVIEW);
    const files = maskFilesFor(image(), CONFIG);
    assert.deepEqual(written, [files.instances, files.mask, files.sidecar]);

    const s = await decodeGray16(files.instances);
    assert.deepEqual([...s.data], ids);
    const pil = pilRead(files.instances);
    assert.ok(pil.mode === 'I;16' || pil.mode === 'I', `PIL mode ${pil.mode}`); // PIL 9.4 opens 16-bit gray as 'I'
    assert.deepEqual([...pil.data], ids);

    const back = await readMasks(image(), w, h, CONFIG);
    assert.deepEqual([...back.maps.instances], ids);
    assert.equal(back.sidecar?.reviewed, true);
    assert.deepEqual(back.instanceInfo.map((i) => [i.id, i.class, i.source]), [[1, 1, 'manual'], [255, 1, 'manual'], [256, 1, 'manual'], [300, 1, 'model:x'], [4097, 1, 'manual'], [65535, 1, 'manual']]);
    assert.equal(back.instanceInfo.find((i) => i.id === 300)?.score, 0.5);
  });

  it('missing files give empty maps filled with the background id', async () => {
    const cfg = parseConfig(JSON.stringify({ backgroundId: 3, classes: [{ id: 3, name: 'bg' }] }));
    const r = await readMasks(image(), 5, 4, cfg);
    assert.ok(r.maps.semantic.every((v) => v === 3));
    assert.ok(r.maps.instances.every((v) => v === 0));
    assert.deepEqual(r.existing, { mask: false, instances: false, sidecar: false });
    assert.equal(r.sidecar, null);
  });

  it('accepts 8-bit gray, 16-bit gray and palette-colour RGB masks', async () => {
    const files = maskFilesFor(image(), CONFIG);
    const ids = new Uint8Array([0, 1, 2, 255, 1, 0]);
    await sharp(Buffer.from(ids), { raw: { width: 3, height: 2, channels: 1 } }).toColourspace('b-w').png().toFile(files.mask);
    assert.deepEqual((await readMasks(image(), 3, 2, CONFIG)).maps.semantic, ids);

    await sharp(new Uint16Array([0, 1, 2, 255, 1, 0]), { raw: { width: 3, height: 2, channels: 1 } }).toColourspace('grey16').png().toFile(files.mask + '.tmp.png');
    fs.renameSync(files.mask + '.tmp.png', files.mask);
    assert.equal((await readLabelPng(files.mask)).header.bitDepth, 16);
    assert.deepEqual((await readMasks(image(), 3, 2, CONFIG)).maps.semantic, ids);

    const pal = paletteOf(CONFIG);
    const rgb = Buffer.alloc(6 * 3);
    ids.forEach((id, i) => rgb.set(pal.subarray(id * 3, id * 3 + 3), i * 3));
    await sharp(rgb, { raw: { width: 3, height: 2, channels: 3 } }).png().toFile(files.mask + '.tmp.png');
    fs.renameSync(files.mask + '.tmp.png', files.mask);
    assert.equal((await readLabelPng(files.mask)).header.colorType, 2);
    assert.deepEqual((await readMasks(image(), 3, 2, CONFIG)).maps.semantic, ids);
  });

  it('16-bit gray semantic mask with an id above 255 is refused naming the id', async () => {
    const files = maskFilesFor(image(), CONFIG);
    await sharp(new Uint16Array([0, 1, 700, 3]), { raw: { width: 2, height: 2, channels: 1 } }).toColourspace('grey16').png().toFile(files.mask);
    await assert.rejects(readMasks(image(), 2, 2, CONFIG), (e: Error) => e instanceof MaskLoadError && /class id 700/.test(e.message) && e.message.includes(files.mask));
  });

  it('an unknown colour is an error naming the colour and its first pixel', async () => {
    const files = maskFilesFor(image(), CONFIG);
    const rgb = Buffer.alloc(4 * 3 * 3); // 4x3 black
    rgb.set([0xff, 0x88, 0x00], (1 * 4 + 1) * 3); // cat at 1,1
    rgb.set([0x01, 0x02, 0x03], (2 * 4 + 2) * 3); // unknown at 2,2
    rgb.set([0x01, 0x02, 0x03], (2 * 4 + 3) * 3);
    await sharp(rgb, { raw: { width: 4, height: 3, channels: 3 } }).png().toFile(files.mask);
    await assert.rejects(readMasks(image(), 4, 3, CONFIG), (e: Error) => e instanceof MaskLoadError && e.message.includes('#010203') && e.message.includes('pixel 2,2'));
  });

  it('a mask of the wrong size is an error naming both sizes', async () => {
    await writeMasks(image(), createLabelMaps(7, 5), [], CONFIG);
    await assert.rejects(readMasks(image(), 8, 5, CONFIG), /mask is 7x5 but the image is 8x5/);
  });

  it('a non-PNG or corrupt mask is an error with the reason', async () => {
    const files = maskFilesFor(image(), CONFIG);
    fs.writeFileSync(files.mask, 'not a png at all');
    await assert.rejects(readMasks(image(), 2, 2, CONFIG), (e: Error) => e instanceof MaskLoadError && /signature/.test(e.message));
    await writeMasks(image(), createLabelMaps(64, 64), [], CONFIG);
    const bytes = fs.readFileSync(files.mask);
    fs.writeFileSync(files.mask, bytes.subarray(0, bytes.length - 20));
    await assert.rejects(readMasks(image(), 64, 64, CONFIG), (e: Error) => e instanceof MaskLoadError && e.message.includes(files.mask));
  });

  it('instance classes missing from the sidecar are derived by majority; mixed classes warn', async () => {
    const w = 4, h = 2;
    const maps = createLabelMaps(w, h);
    maps.semantic.set([1, 1, 2, 2, 2, 2, 0, 0]);
    maps.instances.set([5, 5, 5, 9, 9, 9, 0, 0]);
    await writeMasks(image(), maps, [], CONFIG);
    const r = await readMasks(image(), w, h, CONFIG);
    assert.deepEqual(r.instanceInfo, [{ id: 5, class: 1, source: 'manual' }, { id: 9, class: 2, source: 'manual' }]);
    assert.ok(r.warnings.some((x) => /instance 5 covers several classes: 1 \(2 px\), 2 \(1 px\)/.test(x)), r.warnings.join('\n'));
    assert.ok(!r.warnings.some((x) => /instance 9/.test(x)));
  });

  it('instance file is rewritten (all zero) when it exists, so it never goes stale; prelabel is kept', async () => {
    const maps = createLabelMaps(3, 3);
    maps.instances[4] = 7;
    maps.semantic[4] = 1;
    const pre = { source: 'model:demo', date: '2026-01-01T00:00:00Z', params: { t: 0.5 } };
    await writeMasks(image(), maps, [{ id: 7, class: 1, source: 'model:demo' }], CONFIG, { prelabel: pre });
    maps.instances[4] = 0;
    const files = maskFilesFor(image(), CONFIG);
    const { written } = await writeMasks(image(), maps, [], CONFIG, { prelabel: pre, ...REVIEW });
    assert.deepEqual(written, [files.instances, files.mask, files.sidecar]);
    assert.ok((await decodeGray16(files.instances)).data.every((v) => v === 0));
    const side = JSON.parse(fs.readFileSync(files.sidecar, 'utf8'));
    const { generation, files: hashes, ...rest } = side;
    assert.deepEqual(rest, { image: { file: 'img.jpg', height: 3, width: 3 }, instances: [], prelabel: pre, reviewed: true, review: REVIEW.review, version: 1 });
    assert.match(generation, /^[0-9a-f]{16}$/);
    assert.deepEqual(Object.keys(hashes).sort(), ['img.instances.png', 'img.mask.png']);
  });

  it('a broken sidecar is an error naming the file', async () => {
    const files = maskFilesFor(image(), CONFIG);
    fs.writeFileSync(files.sidecar, '{"instances": 3}');
    await assert.rejects(readMasks(image(), 2, 2, CONFIG), (e: Error) => e instanceof MaskLoadError && e.message.includes(files.sidecar) && /instances must be an array/.test(e.message));
  });

  it('custom patterns decide the file names', () => {
    const cfg = parseConfig(JSON.stringify({ patterns: { mask: '{stem}.seg.png', instances: 'inst_{stem}.png', sidecar: '{stem}.labels.json' } }));
    const f = maskFilesFor(path.join('data', 'a.b.jpg'), cfg);
    assert.equal(path.basename(f.mask), 'a.b.seg.png');
    assert.equal(path.basename(f.instances), 'inst_a.b.png');
    assert.equal(path.basename(f.sidecar), 'a.b.labels.json');
    assert.ok(path.isAbsolute(f.mask));
  });

  it('default config palette: ids beyond the config use the VOC colours', async () => {
    const maps = createLabelMaps(2, 1);
    maps.semantic.set([15, 255]);
    await writeMasks(image(), maps, [], defaultConfig());
    const pil = pilRead(maskFilesFor(image(), defaultConfig()).mask);
    assert.deepEqual(pil.palette?.slice(15 * 3, 15 * 3 + 3), [192, 128, 128]); // VOC "person"
    assert.deepEqual(pil.palette?.slice(255 * 3), [224, 224, 192]); // VOC void
  });

  it('a writer that expected no masks (Save As onto another image) keeps the masks it finds there in the trash', async () => {
    const maps = createLabelMaps(4, 4);
    maps.semantic.fill(2);
    await writeMasks(image(), maps, [], CONFIG);
    const files = maskFilesFor(image(), CONFIG);
    const theirs = fs.readFileSync(files.mask);
    maps.semantic.fill(1);
    const r = await writeMaskSet(image(), maps, [], CONFIG, {}, { expectGeneration: null });
    assert.equal(r.status, 'written');
    assert.ok(r.status === 'written' && r.trashed, 'the replaced set went to the trash');
    if (r.status === 'written' && r.trashed) assert.deepEqual(fs.readFileSync(path.join(t.dir, r.trashed, path.basename(files.mask))), theirs);
    assert.deepEqual(pilRead(files.mask).data, new Uint8Array(16).fill(1));
  });
});
