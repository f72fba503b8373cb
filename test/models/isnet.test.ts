// The salient adapter end to end with a real segmentation model (ISNet, test-only, see ./isnet.ts) on
// the shared fixture images, against references derived without the adapter:
//  - horse.png is a black silhouette on white: the horse is where PIL reads gray < 128;
//  - astronaut.png: points checked by eye on the picture (figure, hair, badge, helmet vs. flag,
//    wall, shuttle model, table) and the figure's outline box;
//  - astronaut.png and coffee.png: the same weights run by onnxruntime-web (wasm) on a tensor made by
//    sharp's resize, with the mask resized back by sharp as the package's own pipeline does.
// Then the CLI (dist/cli.js prelabel --models-file) writes the same mask, read back by PIL.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../src/io/image';
import { resolveEntry, validateEntry } from '../../src/inference/manifest';
import { ModelRunner } from '../../src/inference/runner';
import { parseConfig } from '../../src/shared/config';
import type { PrelabelResult } from '../../src/algorithms/models/result';
import { FIXTURE_IMAGES, REPO } from '../paths';
import { ensureIsnet, isnetEntry } from './isnet';

const PY = '/usr/bin/python3';
const FG = 1;
const CONFIG = parseConfig(JSON.stringify({ version: 1, classes: [{ id: 0, name: 'background' }, { id: FG, name: 'foreground' }] }));

function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0, y = b[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union ? inter / union : 1;
}

/** PIL's reading of a file as one 0/1 byte per pixel: `expr` is a Python expression of v (the L value). */
function pilMask(file: string, expr: string): { width: number; height: number; mask: Uint8Array } {
  const code = `import sys\nfrom PIL import Image\nim = Image.open(sys.argv[1])\nim = im.convert("L") if im.mode not in ("L", "P") else im\nsys.stdout.buffer.write(im.size[0].to_bytes(4, "little") + im.size[1].to_bytes(4, "little") + bytes(1 if (${expr}) else 0 for v in im.getdata()))`;
  const b = execFileSync(PY, ['-c', code, file], { maxBuffer: 1 << 26 });
  return { width: b.readUInt32LE(0), height: b.readUInt32LE(4), mask: new Uint8Array(b.subarray(8)) };
}

/** The reference: sharp resizes to 1024x1024, onnxruntime-web (wasm) runs the model, sharp resizes the 8-bit mask back. */
async function referenceMask(modelFile: string, image: string): Promise<Uint8Array> {
  const ortWeb = require('onnxruntime-web') as typeof import('onnxruntime-web');
  ortWeb.env.wasm.numThreads = 1;
  const meta = await sharp(image).metadata();
  const { data } = await sharp(image).removeAlpha().toColourspace('srgb').resize(1024, 1024, { fit: 'fill', kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  const n = 1024 * 1024, t = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) t[c * n + i] = (data[i * 3 + c] - 128) / 256;
  const session = await ortWeb.InferenceSession.create(new Uint8Array(fs.readFileSync(modelFile)), { executionProviders: ['wasm'] });
  try {
    const out = await session.run({ input: new ortWeb.Tensor('float32', t, [1, 3, 1024, 1024]) }, ['output']);
    const p = out.output.data as Float32Array;
    const u8 = Buffer.alloc(n);
    for (let i = 0; i < n; i++) u8[i] = Math.max(0, Math.min(255, Math.round(p[i] * 255)));
    const back = await sharp(u8, { raw: { width: 1024, height: 1024, channels: 1 } }).resize(meta.width, meta.height, { fit: 'fill', kernel: 'linear' }).extractChannel(0).raw().toBuffer();
    if (back.length !== (meta.width ?? 0) * (meta.height ?? 0)) throw new Error(`resized mask has ${back.length} bytes for ${meta.width}x${meta.height}`);
    return Uint8Array.from(back, (v) => (v > 127 ? 1 : 0));
  } finally {
    await session.release();
  }
}

describe('ISNet (a real salient model) through the salient adapter', function () {
  this.timeout(600000);
  let model: { file: string };
  let runner: ModelRunner;
  const results = new Map<string, PrelabelResult>();

  before(async () => {
    model = ensureIsnet();
    const entry = resolveEntry(validateEntry(isnetEntry(model.file), 'isnet'), path.dirname(model.file), 'user');
    runner = await ModelRunner.load(entry, { device: 'cpu' });
  });
  after(async () => { if (runner) await runner.dispose(); });

  async function label(name: string): Promise<PrelabelResult> {
    let r = results.get(name);
    if (!r) {
      const d = await decodeImage(path.join(FIXTURE_IMAGES, name), { channels: 3 });
      r = await runner.prelabel({ width: d.width, height: d.height, data: d.data }, { config: CONFIG });
      results.set(name, r);
    }
    return r;
  }

  it('loads with the declared input and output, on CPU', () => {
    assert.equal(runner.provider, 'cpu');
    assert.deepEqual(runner.outputNames, ['output']);
  });

  it('horse.png: the mask is the silhouette (IoU with PIL\'s dark pixels >= 0.9)', async () => {
    const r = await label('horse.png');
    const ref = pilMask(path.join(FIXTURE_IMAGES, 'horse.png'), 'v < 128');
    assert.deepEqual([r.width, r.height], [ref.width, ref.height]);
    const v = iou(r.semantic, ref.mask);
    console.log(`      horse.png: IoU with the silhouette ${v.toFixed(4)}`);
    assert.ok(v >= 0.9, `IoU ${v.toFixed(4)}`);
    assert.deepEqual([...new Set(r.semantic)].sort(), [0, FG]);
  });

  it('astronaut.png: the figure and helmet are foreground; flag, wall, shuttle model and table are not', async () => {
    const r = await label('astronaut.png');
    const at = (x: number, y: number): number => r.semantic[y * r.width + x];
    const fg: [number, number, string][] = [[225, 130, 'face'], [225, 40, 'hair'], [100, 350, 'suit'], [170, 385, 'mission badge'], [380, 420, 'helmet'], [200, 230, 'neck ring']];
    const bg: [number, number, string][] = [[40, 200, 'flag'], [330, 60, 'wall'], [340, 170, 'wall'], [400, 150, 'shuttle model'], [500, 20, 'corner'], [10, 10, 'corner'], [440, 310, 'table']];
    for (const [x, y, what] of fg) assert.equal(at(x, y), FG, `${what} (${x}, ${y}) is foreground`);
    for (const [x, y, what] of bg) assert.equal(at(x, y), 0, `${what} (${x}, ${y}) is background`);
    let x0 = r.width, y0 = r.height, x1 = -1, n = 0;
    for (let i = 0; i < r.semantic.length; i++) {
      if (r.semantic[i] !== FG) continue;
      const x = i % r.width, y = (i / r.width) | 0;
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); n++;
    }
    // the outline checked on the picture: the suit's left edge near x = 20, the hair's top near y = 15
    assert.ok(x0 >= 5 && x0 <= 45 && y0 >= 5 && y0 <= 30 && x1 >= 490, `foreground box from (${x0}, ${y0}) to x ${x1}`);
    assert.ok(n / r.semantic.length > 0.4 && n / r.semantic.length < 0.7, `foreground ${(100 * n / r.semantic.length).toFixed(1)}%`);
  });

  for (const name of ['astronaut.png', 'coffee.png']) {
    it(`${name}: agrees with the same weights run by onnxruntime-web on sharp's resize (IoU >= 0.97)`, async () => {
      const r = await label(name);
      const ref = await referenceMask(model.file, path.join(FIXTURE_IMAGES, name));
      const v = iou(r.semantic, ref);
      console.log(`      ${name}: IoU with the onnxruntime-web reference ${v.toFixed(4)}`);
      assert.ok(v >= 0.97, `IoU ${v.toFixed(4)}`);
    });
  }

  it('the CLI pre-labels a folder with it (--models-file) and writes the same mask, read by PIL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-isnet-cli-'));
    try {
      for (const n of ['astronaut.png', 'horse.png']) fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(dir, n));
      fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ version: 1, classes: [{ id: 0, name: 'background' }, { id: FG, name: 'foreground' }] }));
      const models = path.join(dir, 'models.json');
      fs.writeFileSync(models, JSON.stringify([isnetEntry(model.file)]));
      execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'prelabel', dir, '--model', 'isnet-general', '--models-file', models, '--device', 'cpu', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      for (const n of ['astronaut.png', 'horse.png']) {
        const saved = pilMask(path.join(dir, n.replace('.png', '.mask.png')), `v == ${FG}`);
        const r = await label(n);
        assert.deepEqual([saved.width, saved.height], [r.width, r.height]);
        let diff = 0;
        for (let i = 0; i < r.semantic.length; i++) if ((r.semantic[i] === FG ? 1 : 0) !== saved.mask[i]) diff++;
        assert.equal(diff, 0, `${n}: the saved mask differs from the adapter's in ${diff} pixels`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
