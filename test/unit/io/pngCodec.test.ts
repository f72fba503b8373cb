import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { PNG_SIGNATURE, crc32, readChunks, writeChunk } from '../../../src/algorithms/codecs/pngChunks';
import { decodePng } from '../../../src/algorithms/codecs/pngDecode';
import { encodePng } from '../../../src/algorithms/codecs/pngEncode';
import { decodeLabelPngBytes, deflateLabel, encodeGray16Png, encodeIndexedPng, inflateBounded } from '../../../src/io/labelPng';
import { ImageLoadError, decodeImage, readImageInfo } from '../../../src/io/image';
import { FIXTURE_IMAGES } from '../../paths';
import { rng, tempDir } from './oracles';

/** A PNG with the given IHDR fields and a zlib stream of `raw` as its only IDAT. */
function craft(width: number, height: number, bitDepth: number, colorType: number, raw: Uint8Array, palette?: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width); dv.setUint32(4, height);
  ihdr[8] = bitDepth; ihdr[9] = colorType;
  const z = zlib.deflateSync(raw);
  const out = new Uint8Array(8 + 25 + (palette ? 12 + palette.length : 0) + 12 + z.length + 12);
  out.set(PNG_SIGNATURE);
  let at = writeChunk(out, 8, 'IHDR', ihdr);
  if (palette) at = writeChunk(out, at, 'PLTE', palette);
  at = writeChunk(out, at, 'IDAT', z);
  writeChunk(out, at, 'IEND', new Uint8Array(0));
  return out;
}

describe('codecs/png', () => {
  it('crc32 matches zlib', () => {
    const b = new TextEncoder().encode('IEND');
    assert.equal(crc32(b), zlib.crc32(b));
    assert.equal(crc32(b), 0xae426082);
  });

  it('indexed and 16-bit round trips at odd sizes, exact', () => {
    const r = rng(7);
    for (const [w, h] of [[1, 1], [3, 7], [257, 5], [31, 64]]) {
      const ids = new Uint8Array(w * h).map(() => Math.floor(r() * 256));
      const pal = new Uint8Array(768).map((_, i) => i & 255);
      const png = decodeLabelPngBytes(encodeIndexedPng(w, h, ids, pal), 'x');
      assert.deepEqual(png.data, ids);
      const ids16 = new Uint16Array(w * h).map(() => Math.floor(r() * 65536));
      assert.deepEqual(decodeLabelPngBytes(encodeGray16Png(w, h, ids16), 'y').data, ids16);
    }
  });

  it('sharp decodes our 8-bit gray output to the same values (a second reader)', async () => {
    const w = 40, h = 9;
    const ids = new Uint8Array(w * h).map((_, i) => (i * 37) & 255);
    const bytes = encodePng({ width: w, height: h, colorType: 0, bitDepth: 8, data: ids }, deflateLabel);
    const { data, info } = await sharp(bytes).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 1);
    assert.deepEqual(new Uint8Array(data), ids);
  });

  it('decodes all five filter types (sharp/libpng-written Paeth and Average rows)', async () => {
    const t = tempDir();
    try {
      const src = path.join(FIXTURE_IMAGES, 'camera.png');
      const { data, info } = await sharp(src).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      const seen = new Set<number>();
      for (const adaptiveFiltering of [false, true]) {
        const f = path.join(t.dir, `c${adaptiveFiltering}.png`);
        await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).toColourspace('b-w').png({ adaptiveFiltering, compressionLevel: 9 }).toFile(f);
        const png = decodeLabelPngBytes(new Uint8Array(fs.readFileSync(f)), f);
        assert.deepEqual(png.data, new Uint8Array(data));
        const z = Buffer.concat(readChunks(new Uint8Array(fs.readFileSync(f))).filter((c) => c.type === 'IDAT').map((c) => c.data));
        const raw = zlib.inflateSync(z);
        for (let y = 0; y < info.height; y++) seen.add(raw[y * (info.width + 1)]);
      }
      assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4], 'the files exercise every filter type');
    } finally { t.cleanup(); }
  });

  it('rejects bad arguments to the encoder by name', () => {
    assert.throws(() => encodePng({ width: 2, height: 2, colorType: 3, bitDepth: 8, data: new Uint8Array(4) }, deflateLabel), /palette/);
    assert.throws(() => encodePng({ width: 2, height: 2, colorType: 0, bitDepth: 16, data: new Uint8Array(4) }, deflateLabel), /Uint16Array of 4/);
    assert.throws(() => encodePng({ width: 0, height: 2, colorType: 0, bitDepth: 8, data: new Uint8Array(0) }, deflateLabel), /width\/height/);
  });

  it('a zip bomb cannot allocate without bound', () => {
    // 16x16 gray header, but the stream inflates to 64 MiB of zeros.
    const bomb = craft(16, 16, 8, 0, new Uint8Array(64 << 20));
    assert.ok(bomb.length < 200_000);
    assert.throws(() => decodePng(bomb, inflateBounded), /cannot be decompressed/);
  });

  it('refuses oversized headers before inflating', () => {
    const big = craft(40000, 2, 8, 0, new Uint8Array(10));
    assert.throws(() => decodeLabelPngBytes(big, 'big.png'), /big\.png: image size 40000x2 exceeds the limit/);
    assert.throws(() => decodePng(craft(100, 100, 8, 0, new Uint8Array(10)), inflateBounded, { maxPixels: 5000 }), /100x100 exceeds the limit of 5000/);
  });

  it('reports truncated data, bad filters, bad CRC and invalid headers', () => {
    assert.throws(() => decodePng(craft(4, 4, 8, 0, new Uint8Array(10)), inflateBounded), /truncated/);
    const badFilter = new Uint8Array(4 * 5); badFilter[5] = 9;
    assert.throws(() => decodePng(craft(4, 4, 8, 0, badFilter), inflateBounded), /row 1 has unknown filter type 9/);
    const good = craft(4, 4, 8, 0, new Uint8Array(20));
    const bad = good.slice(); bad[bad.length - 20] ^= 1;
    assert.throws(() => decodePng(bad, inflateBounded), /bad CRC/);
    assert.throws(() => decodePng(craft(4, 4, 3, 0, new Uint8Array(20)), inflateBounded), /bit depth 3 is invalid/);
    assert.throws(() => decodePng(craft(4, 4, 8, 3, new Uint8Array(20)), inflateBounded), /without a PLTE/);
  });
});

describe('io/image', () => {
  it('decodes fixtures to RGB and agrees with PIL on size', async () => {
    const img = await decodeImage(path.join(FIXTURE_IMAGES, 'camera.png'));
    assert.deepEqual([img.width, img.height, img.channels, img.format], [512, 512, 3, 'png']);
    const jpg = await decodeImage(path.join(FIXTURE_IMAGES, 'rocket.jpg'), { channels: 4 });
    assert.equal(jpg.channels, 4);
    assert.equal(jpg.data.length, jpg.width * jpg.height * 4);
    assert.equal(jpg.data[3], 255);
  });

  it('refuses images over the limit from the header, naming the size', async () => {
    const t = tempDir();
    try {
      const f = path.join(t.dir, 'huge.png');
      fs.writeFileSync(f, craft(40000, 3, 8, 0, new Uint8Array(10)));
      const info = await readImageInfo(f);
      assert.deepEqual([info.width, info.height], [40000, 3]);
      await assert.rejects(decodeImage(f), (e: Error) => e instanceof ImageLoadError && e.message.includes(f) && /40000x3 exceeds/.test(e.message));
      await assert.rejects(decodeImage(path.join(FIXTURE_IMAGES, 'camera.png'), { maxPixels: 1000 }), /512x512 exceeds the limit of 1000/);
      fs.writeFileSync(path.join(t.dir, 'junk.jpg'), 'junk');
      await assert.rejects(readImageInfo(path.join(t.dir, 'junk.jpg')), (e: Error) => e instanceof ImageLoadError && e.message.includes('junk.jpg'));
    } finally { t.cleanup(); }
  });
});
