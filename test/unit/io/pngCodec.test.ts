import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { PNG_SIGNATURE, crc32, readChunks, writeChunk } from '../../../src/algorithms/codecs/pngChunks';
import { decodePng } from '../../../src/algorithms/codecs/pngDecode';
import { encodePng, encodePngAsync } from '../../../src/algorithms/codecs/pngEncode';
import { decodeLabelPngBytes, deflateLabel, deflateLabelChunks, encodeGray16Png, encodeGray16PngAsync, encodeIndexedPng, encodeIndexedPngAsync, inflateBounded } from '../../../src/io/labelPng';
import { ImageLoadError, decodeImage, readImageInfo } from '../../../src/io/image';
import { FIXTURE_IMAGES } from '../../paths';
import { pilReadMany, rng, tempDir } from './oracles';

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

/** Rows of `bytes` (serialized samples) filtered with type r % 5 on row r: every PNG filter, a reference implementation. */
function filterEveryType(bytes: Uint8Array, rowBytes: number, rows: number, bpp: number): Uint8Array {
  const out = new Uint8Array(rows * (rowBytes + 1));
  const at = (r: number, i: number): number => (r >= 0 && i >= 0 ? bytes[r * rowBytes + i] : 0);
  for (let r = 0; r < rows; r++) {
    const f = r % 5;
    out[r * (rowBytes + 1)] = f;
    for (let i = 0; i < rowBytes; i++) {
      const a = at(r, i - bpp), b = at(r - 1, i), c = at(r - 1, i - bpp);
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      out[r * (rowBytes + 1) + 1 + i] = (at(r, i) - pred) & 255;
    }
  }
  return out;
}

/** Label-like ids: runs of a few values, some spanning rows, plus scattered ids over the whole range. */
function labelLike(w: number, h: number, max: number, r: () => number): number[] {
  const out: number[] = [];
  let v = 0;
  for (let i = 0; i < w * h; i++) {
    if (i >= w && r() < 0.6) v = out[i - w];
    else if (r() < 0.1) v = Math.floor(r() * (max + 1));
    out.push(v);
  }
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

  it('PIL reads our 16-bit instance maps (Up rows) and palette masks exactly; the async encoders write the same bytes', async () => {
    const t = tempDir();
    try {
      const r = rng(11);
      const files: string[] = [], want: Array<Uint8Array | Uint16Array> = [];
      for (const [w, h] of [[1, 1], [2, 3], [7, 5], [64, 33], [257, 40]]) {
        const ids16 = Uint16Array.from(labelLike(w, h, 65535, r));
        const ids8 = Uint8Array.from(labelLike(w, h, 255, r));
        const pal = new Uint8Array(768).map((_, i) => (i * 7) & 255);
        const png16 = encodeGray16Png(w, h, ids16, [['k', 'v']]), png8 = encodeIndexedPng(w, h, ids8, pal);
        assert.deepEqual(await encodeGray16PngAsync(w, h, ids16, [['k', 'v']]), png16);
        assert.deepEqual(await encodeIndexedPngAsync(w, h, ids8, pal), png8);
        // A map that is a view into a larger buffer at an offset that is not 4-aligned.
        const shifted = new Uint16Array(ids16.length + 1).subarray(1);
        shifted.set(ids16);
        assert.deepEqual(encodeGray16Png(w, h, shifted, [['k', 'v']]), png16);
        // Streamed in chunks of a few rows: the same bytes as in one piece.
        assert.deepEqual(await encodePngAsync({ width: w, height: h, colorType: 0, bitDepth: 16, data: shifted, filter: 'up', text: [['k', 'v']] }, deflateLabelChunks, 3 * w), png16);
        assert.deepEqual(await encodePngAsync({ width: w, height: h, colorType: 3, bitDepth: 8, data: ids8, palette: pal, filter: 'none' }, deflateLabelChunks, 2 * w), png8);
        for (const [name, bytes, ids] of [[`i${w}x${h}.png`, png16, ids16], [`m${w}x${h}.png`, png8, ids8]] as const) {
          fs.writeFileSync(path.join(t.dir, name), bytes);
          files.push(path.join(t.dir, name));
          want.push(ids);
        }
      }
      pilReadMany(files).forEach((res, i) => {
        if (res instanceof Error) throw res;
        assert.deepEqual(res.data, want[i], files[i]);
      });
    } finally { t.cleanup(); }
  });

  it('every filter type (8-bit gray, RGB, gray+alpha; 16-bit gray), even and odd widths, decodes to the samples PIL reads', () => {
    const t = tempDir();
    try {
      const r = rng(5);
      const files: string[] = [], ours: Array<Uint8Array | Uint16Array> = [];
      for (const [w, h] of [[1, 6], [3, 10], [8, 10], [33, 12], [100, 15]]) {
        for (const [depth, ct, channels] of [[8, 0, 1], [16, 0, 1], [8, 2, 3], [8, 4, 2]] as const) {
          const n = w * h * channels * (depth / 8);
          const bytes = Uint8Array.from(labelLike(n, 1, 255, r));
          const png = craft(w, h, depth, ct, filterEveryType(bytes, n / h, h, (channels * depth) / 8));
          const f = path.join(t.dir, `f${w}x${h}-${depth}-${ct}.png`);
          fs.writeFileSync(f, png);
          files.push(f);
          ours.push(decodePng(png, inflateBounded).data);
        }
      }
      pilReadMany(files).forEach((res, i) => {
        if (res instanceof Error) throw res;
        assert.deepEqual(Array.from(ours[i]), Array.from(res.data), files[i]);
      });
    } finally { t.cleanup(); }
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
