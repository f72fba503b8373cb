// `maskwright validate`: each planted problem is found with its code, a clean folder gives nothing;
// EXIF orientation is a note (masks follow the stored grid, as PIL reads it).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { main } from '../../../src/cli/main';
import { readImageInfo, decodeImage } from '../../../src/io/image';
import { writeMaskSet } from '../../../src/io/maskSet';
import { encodeGray16Png, encodeIndexedPng } from '../../../src/io/labelPng';
import { defaultConfig, paletteOf } from '../../../src/shared/config';
import { createLabelMaps } from '../../../src/shared/maskModel';
import { pilRead, tempDir } from '../io/oracles';

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}

async function photo(file: string, w: number, h: number): Promise<void> {
  const px = Buffer.alloc(w * h * 3);
  for (let i = 0; i < px.length; i++) px[i] = (i * 37) & 255;
  await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
}

describe('maskwright validate', function () {
  this.timeout(120000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-validate-'); });
  afterEach(() => t.cleanup());

  it('a clean folder: exit 0, no problems', async () => {
    await photo(path.join(t.dir, 'a.png'), 8, 6);
    const maps = createLabelMaps(8, 6);
    maps.semantic.fill(1, 0, 10);
    maps.instances.fill(1, 0, 10);
    await writeMaskSet(path.join(t.dir, 'a.png'), maps, [{ id: 1, class: 1, source: 'manual' }], defaultConfig(), {});
    await photo(path.join(t.dir, 'b.png'), 4, 4); // no masks yet: nothing to report
    const r = await cli('validate', t.dir, '--json');
    assert.equal(r.code, 0, r.out.join('\n'));
    assert.deepEqual(r.out, []);
    assert.match(r.err.join('\n'), /2 image\(s\) checked: 0 problem/);
  });

  it('finds every planted problem, with its code and file', async () => {
    const cfg = defaultConfig();
    const img = (n: string): string => path.join(t.dir, n);
    for (const n of ['size.png', 'cls.png', 'multi.png', 'noentry.png', 'nopix.png', 'mixed.png', 'changed.png', 'dup.png', 'dup.jpg']) await photo(img(n), 8, 6);
    fs.writeFileSync(img('broken.png'), 'not an image');
    const pal = paletteOf(cfg);
    // mask of the wrong size
    fs.writeFileSync(img('size.mask.png'), encodeIndexedPng(7, 6, new Uint8Array(42), pal));
    // class id 9 not in the config (0 background, 1 object)
    const ids = new Uint8Array(48); ids[13] = 9;
    fs.writeFileSync(img('cls.mask.png'), encodeIndexedPng(8, 6, ids, pal));
    // an instance over two classes
    const m = createLabelMaps(8, 6);
    m.semantic.set([1, 1, 0]); m.instances.set([5, 5, 5]);
    await writeMaskSet(img('multi.png'), m, [{ id: 5, class: 1, source: 'manual' }], cfg, {});
    // instance pixels without a sidecar entry, and a sidecar entry without pixels
    const n = createLabelMaps(8, 6);
    n.semantic.set([1, 1]); n.instances.set([2, 2]);
    await writeMaskSet(img('noentry.png'), n, [], cfg, {});
    await writeMaskSet(img('nopix.png'), createLabelMaps(8, 6), [{ id: 4, class: 1, source: 'manual' }], cfg, {});
    // a mixed set: the instance map of another save
    await writeMaskSet(img('mixed.png'), n, [{ id: 2, class: 1, source: 'manual' }], cfg, {});
    fs.writeFileSync(img('mixed.instances.png'), encodeGray16Png(8, 6, new Uint16Array(48), [['maskwright-generation', 'ffffffffffffffff']]));
    // a mask rewritten by another program
    await writeMaskSet(img('changed.png'), createLabelMaps(8, 6), [], cfg, {});
    fs.writeFileSync(img('changed.mask.png'), encodeIndexedPng(8, 6, new Uint8Array(48).fill(1), pal));
    // a mask without an image, a leftover temp file
    fs.writeFileSync(img('ghost.mask.png'), encodeIndexedPng(8, 6, new Uint8Array(48), pal));
    fs.writeFileSync(img('.cls.mask.png.123.abcdefabcdef.tmp'), 'x');
    // EXIF orientation 6: a note, not a problem
    const raw = Buffer.alloc(8 * 6 * 3, 128);
    await sharp(raw, { raw: { width: 8, height: 6, channels: 3 } }).jpeg().withMetadata({ orientation: 6 }).toFile(img('rot.jpg'));

    const r = await cli('validate', t.dir, '--json');
    assert.equal(r.code, 1);
    const got = r.out.map((l) => JSON.parse(l) as { file: string; code: string; severity: string; message: string });
    const has = (code: string, file: string, re?: RegExp): void => {
      const hit = got.find((g) => g.code === code && path.basename(g.file) === file && (!re || re.test(g.message)));
      assert.ok(hit, `${code} on ${file} not in ${JSON.stringify(got, null, 1)}`);
    };
    has('mask-size', 'size.mask.png', /mask is 7x6 but the image is 8x6/);
    has('unknown-class', 'cls.mask.png', /class id 9 \(1 px, first at 5,1\)/);
    has('instance-multiclass', 'multi.instances.png', /instance 5 covers several classes: 0 \(1 px\), 1 \(2 px\)/);
    has('instance-without-entry', 'noentry.mask.json', /instance 2/);
    has('entry-without-pixels', 'nopix.mask.json', /instance 4/);
    has('mixed-set', 'mixed.mask.png', /mixed\.instances\.png is from save ffffffffffffffff/);
    has('changed-outside', 'changed.mask.png', /changed by another program/);
    has('mask-without-image', 'ghost.mask.png');
    has('stem-conflict', 'dup.jpg', /dup\.jpg, dup\.png share one stem/);
    has('image-unreadable', 'broken.png');
    has('interrupted-write', '.cls.mask.png.123.abcdefabcdef.tmp');
    has('exif-orientation', 'rot.jpg', /EXIF orientation 6/);
    assert.equal(got.find((g) => g.code === 'exif-orientation')?.severity, 'info');
    // Nothing was changed by validating.
    assert.ok(fs.existsSync(img('.cls.mask.png.123.abcdefabcdef.tmp')));
  });

  it('EXIF orientation: the image loads as stored (like PIL), and masks are saved on that grid', async () => {
    const f = path.join(t.dir, 'rot.jpg');
    const raw = Buffer.alloc(40 * 30 * 3);
    for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) raw.set(x < 20 ? [250, 10, 10] : [10, 10, 250], (y * 40 + x) * 3);
    await sharp(raw, { raw: { width: 40, height: 30, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(f);
    const info = await readImageInfo(f);
    assert.deepEqual([info.width, info.height, info.orientation], [40, 30, 6]);
    const d = await decodeImage(f, { channels: 3 });
    assert.deepEqual([d.width, d.height], [40, 30], 'stored grid, not rotated');
    assert.ok(d.data[0] > 200 && d.data[39 * 3 + 2] > 200, 'left red, right blue as stored');
    const pil = pilRead(f);
    assert.deepEqual(pil.shape.slice(0, 2), [30, 40], 'PIL Image.open reads the stored grid too');
    const maps = createLabelMaps(40, 30);
    await writeMaskSet(f, maps, [], defaultConfig(), {});
    assert.deepEqual(pilRead(path.join(t.dir, 'rot.mask.png')).shape, [30, 40]);
  });
});
