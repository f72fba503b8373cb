// The classical CLI subcommands end to end: main([...]) on temp copies of fixture images, the
// written PNGs read back with sharp.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { main } from '../../../src/cli/main';
import { FIXTURE_IMAGES } from '../../paths';
import { refs } from './helpers';
import { defaultConfig, paletteOf } from '../../../src/shared/config';

interface Run { code: number; out: string[]; err: string[] }
async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}
async function readGray(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 1);
  return new Uint8Array(data);
}
/** Class ids of an indexed mask PNG: sharp expands the palette to RGB; map colours back to ids. */
async function readClasses(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pal = paletteOf(defaultConfig());
  const byColour = new Map<number, number>();
  for (let id = 255; id >= 0; id--) byColour.set((pal[id * 3] << 16) | (pal[id * 3 + 1] << 8) | pal[id * 3 + 2], id);
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++) {
    const id = byColour.get((data[i * 3] << 16) | (data[i * 3 + 1] << 8) | data[i * 3 + 2]);
    assert.ok(id !== undefined, `unknown colour at pixel ${i}`);
    out[i] = id;
  }
  return out;
}
async function readGray16(file: string): Promise<Uint16Array> {
  const { data } = await sharp(file).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  return new Uint16Array(data.buffer, data.byteOffset, data.length / 2).slice();
}

describe('classical CLI', function () {
  this.timeout(120000);
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-classical-'));
    for (const n of ['camera.png', 'coins-free.png'].filter((n) => fs.existsSync(path.join(FIXTURE_IMAGES, n)))) fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(dir, n));
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), path.join(dir, 'text.png'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('threshold --method otsu --json reports threshold 102 for camera.png and writes the class where gray > 102', async () => {
    const img = path.join(dir, 'camera.png');
    const r = await cli('threshold', '--method', 'otsu', '--json', img);
    assert.equal(r.code, 0, r.err.join('\n'));
    const rec = JSON.parse(r.out[0]);
    assert.equal(rec.threshold, 102);
    assert.equal(rec.written, true);
    const mask = await readClasses(path.join(dir, 'camera.mask.png'));
    const gray = await readGray(img);
    let bad = 0, fg = 0;
    for (let i = 0; i < gray.length; i++) { if ((gray[i] > 102 ? 1 : 0) !== mask[i]) bad++; if (mask[i]) fg++; }
    assert.equal(bad, 0);
    assert.equal(fg, rec.foreground);
    const side = JSON.parse(fs.readFileSync(path.join(dir, 'camera.mask.json'), 'utf8'));
    assert.equal(side.prelabel.source, 'tool:threshold');
    assert.equal(side.reviewed, false);
  });

  it('components --json counts the objects of the saved mask (= OpenCV 8-connected count); --write-instances writes them', async () => {
    const img = path.join(dir, 'camera.png');
    assert.equal((await cli('threshold', img)).code, 0);
    const r = await cli('components', '--json', img);
    assert.equal(r.code, 0, r.err.join('\n'));
    const rec = JSON.parse(r.out[0]);
    assert.equal(rec.count, refs.images['camera.png'].cc8.count);
    assert.equal(rec.written, false);
    const w = await cli('components', '--write-instances', '--json', img);
    assert.equal(JSON.parse(w.out[0]).written, true);
    const inst = await readGray16(path.join(dir, 'camera.instances.png'));
    const ids = new Set(inst);
    ids.delete(0);
    assert.equal(ids.size, rec.count);
    assert.equal(Math.max(...ids), rec.count);
  });

  it('never writes over a reviewed mask unless --overwrite', async () => {
    const img = path.join(dir, 'camera.png');
    assert.equal((await cli('threshold', img)).code, 0);
    const sideFile = path.join(dir, 'camera.mask.json');
    const side = JSON.parse(fs.readFileSync(sideFile, 'utf8'));
    fs.writeFileSync(sideFile, JSON.stringify({ ...side, reviewed: true }));
    const before = fs.readFileSync(path.join(dir, 'camera.mask.png'));
    const r = await cli('threshold', '--method', 'fixed', '--value', '200', '--json', img);
    const rec = JSON.parse(r.out[0]);
    assert.equal(rec.written, false);
    assert.match(rec.skipped, /reviewed/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'camera.mask.png')), before);
    const o = await cli('threshold', '--method', 'fixed', '--value', '200', '--overwrite', '--json', img);
    assert.equal(JSON.parse(o.out[0]).written, true);
    assert.notDeepEqual(fs.readFileSync(path.join(dir, 'camera.mask.png')), before);
  });

  it('works on a folder: morph, watershed, edges and kmeans write masks beside each image', async () => {
    assert.equal((await cli('threshold', dir)).code, 0);
    const m = await cli('morph', '--op', 'open', '--radius', '2', '--json', dir);
    assert.equal(m.code, 0, m.err.join('\n'));
    for (const l of m.out) { const rec = JSON.parse(l); assert.ok(rec.after <= rec.before); }
    const ws = await cli('watershed', '--json', '--min-distance', '7', path.join(dir, 'camera.png'));
    assert.equal(ws.code, 0, ws.err.join('\n'));
    assert.ok(JSON.parse(ws.out[0]).count >= refs.images['camera.png'].cc8.count / 2);
    const inst = await readGray16(path.join(dir, 'camera.instances.png'));
    assert.equal(new Set(inst).size - 1, JSON.parse(ws.out[0]).count);
    const e = await cli('edges', '--json', path.join(dir, 'camera.png'));
    assert.equal(JSON.parse(e.out[0]).edges, refs.images['camera.png'].canny_50_150_l1.nnz);
    const k = await cli('kmeans', '--k', '3', '--json', path.join(dir, 'text.png'));
    const rec = JSON.parse(k.out[0]);
    assert.equal(rec.sizes.reduce((a: number, b: number) => a + b, 0), 448 * 172);
    const km = await readClasses(path.join(dir, 'text.mask.png'));
    assert.equal(km.filter((v) => v === 2).length, rec.sizes[2]);
  });

  it('bad arguments exit 2 with the option named; --help prints usage', async () => {
    const r = await cli('threshold', '--method', 'bogus', dir);
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /--method bogus must be one of/);
    assert.equal((await cli('morph', dir)).code, 2);
    assert.match((await cli('kmeans', '--k', '1', dir)).err.join('\n'), /--k 1 must be an integer 2..64/);
    for (const c of ['threshold', 'edges', 'kmeans', 'watershed', 'components', 'morph']) {
      const h = await cli(c, '--help');
      assert.equal(h.code, 0);
      assert.match(h.out[0], new RegExp(`^usage: maskwright ${c} `));
    }
  });

  it('a broken image fails that image (exit 1) and the others are still processed', async () => {
    fs.writeFileSync(path.join(dir, 'broken.png'), Buffer.from('not a png'));
    const r = await cli('threshold', '--json', dir);
    assert.equal(r.code, 1);
    const recs = r.out.map((l) => JSON.parse(l));
    assert.ok(recs.find((x) => x.image.endsWith('broken.png')).error);
    assert.equal(recs.find((x) => x.image.endsWith('camera.png')).written, true);
  });
});
