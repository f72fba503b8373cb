// The writers and counters beside the editor on 16-bit ids: a classical CLI tool painting class 300
// (the file read by PIL), a model's classes mapped to class 1000, instances from components,
// the label diff and agreement (sparse counts equal to the dense 8-bit ones), dataset statistics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { componentInstances, paintBinary } from '../../../src/algorithms/maskOps';
import { runClassicalJob } from '../../../src/algorithms/classicalJob';
import { buildClassMap } from '../../../src/algorithms/models/classMap';
import { planGeometry } from '../../../src/algorithms/models/geometry';
import { decodeSemantic } from '../../../src/algorithms/models/semantic';
import { decodeImage } from '../../../src/io/image';
import { agreement } from '../../../src/review/agreement';
import { diffMasks } from '../../../src/review/labelDiff';
import { StatsAccumulator } from '../../../src/review/stats';
import { parseConfig, stableStringify } from '../../../src/shared/config';
import { FIXTURE_IMAGES } from '../../paths';
import { pilRead, rng } from '../io/oracles';

const CONFIG16 = { version: 1, semanticBits: 16, classes: [{ id: 0, name: 'background' }, { id: 300, name: 'crossing' }, { id: 1000, name: 'road' }] };

describe('16-bit class ids in tools, models and review', () => {
  it('the threshold CLI paints --class 300 into a 16-bit dataset; PIL reads 300 exactly where the gray level is above Otsu', async function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-sem16-cli-'));
    try {
      fs.copyFileSync(path.join(FIXTURE_IMAGES, 'camera.png'), path.join(dir, 'camera.png'));
      fs.chmodSync(path.join(dir, 'camera.png'), 0o644);
      fs.writeFileSync(path.join(dir, 'maskwright.json'), stableStringify(CONFIG16));
      const out: string[] = [], err: string[] = [];
      const code = await main(['threshold', '--class', '300', '--json', dir], { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
      assert.equal(code, 0, err.join('\n'));
      const rec = JSON.parse(out[0]) as { threshold: number; written: boolean };
      assert.equal(rec.written, true);
      const img = await decodeImage(path.join(dir, 'camera.png'), { channels: 3 });
      const pil = pilRead(path.join(dir, 'camera.mask.png'));
      assert.ok(pil.mode === 'I;16' || pil.mode === 'I', `PIL mode ${pil.mode}`);
      let n = 0;
      for (let i = 0; i < img.width * img.height; i++) {
        const g = img.data[i * 3];
        const want = g > rec.threshold ? 300 : 0;
        if (pil.data[i] !== want) assert.fail(`pixel ${i}: ${pil.data[i]}, expected ${want} (gray ${g}, threshold ${rec.threshold})`);
        if (want) n++;
      }
      assert.ok(n > 1000);
      const bad = await main(['threshold', '--class', '70000', dir], { out: () => undefined, err: (l) => err.push(l), signal: new AbortController().signal });
      assert.equal(bad, 2, 'a class id above 65535 is a usage error');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a semantic model\'s channel named "road" lands as class 1000 in a Uint16Array', () => {
    const config = parseConfig(JSON.stringify(CONFIG16));
    const classMap = buildClassMap('m', ['background', 'road'], config);
    assert.deepEqual(Array.from(classMap), [0, 1000], 'by name: background is class 0, road class 1000');
    const g = planGeometry(8, 4, { resize: 'stretch', size: [8, 4] });
    const data = new Float32Array(2 * 32);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) { data[y * 8 + x] = 1; data[32 + y * 8 + x] = x < 3 ? 5 : -5; }
    const r = decodeSemantic({ data, dims: [1, 2, 4, 8] }, g, classMap, 0, { semanticBits: 16 });
    assert.ok(r.semantic instanceof Uint16Array);
    assert.deepEqual(Array.from(r.semantic.subarray(0, 8)), [1000, 1000, 1000, 0, 0, 0, 0, 0]);
    assert.ok(decodeSemantic({ data, dims: [1, 2, 4, 8] }, g, Int32Array.from([-1, 7]), 0).semantic instanceof Uint8Array, '8-bit by default');
  });

  it('classical jobs keep the type; 8-bit maps refuse class 300 by name instead of wrapping it to 44', () => {
    const sem = new Uint16Array(16);
    const painted = paintBinary(sem, Uint8Array.from({ length: 16 }, (_, i) => (i < 4 ? 1 : 0)), 1000);
    assert.ok(painted instanceof Uint16Array);
    assert.deepEqual(Array.from(painted.subarray(0, 5)), [1000, 1000, 1000, 1000, 0]);
    assert.throws(() => paintBinary(new Uint8Array(16), new Uint8Array(16), 300), /classId: 300 does not fit an 8-bit semantic mask \(0\.\.255\); class ids above 254 need "semanticBits": 16/);
    const rgb = new Uint8Array(4 * 4 * 3);
    for (let i = 0; i < 16; i++) rgb.fill(i < 8 ? 20 : 230, i * 3, i * 3 + 3);
    const r = runClassicalJob({ op: 'multiOtsu', classes: 2, targets: [300], backgroundId: 0 }, { width: 4, height: 4, rgb, semantic: new Uint16Array(16), instances: new Uint16Array(16), info: [] });
    assert.ok(r.semantic instanceof Uint16Array);
    assert.deepEqual(Array.from(r.semantic), [...new Array(8).fill(0), ...new Array(8).fill(300)]);
    assert.throws(() => runClassicalJob({ op: 'multiOtsu', classes: 2, targets: [300], backgroundId: 0 }, { width: 4, height: 4, rgb, semantic: new Uint8Array(16), instances: new Uint16Array(16), info: [] }), /targets\[0\]: 300 does not fit an 8-bit semantic mask/);
  });

  it('components of class 0, 300 and 65534 become instances of those classes', () => {
    const W = 6, H = 2;
    const sem = Uint16Array.from([0, 0, 7, 300, 300, 65534, 0, 0, 7, 300, 65535, 65534]);
    const r = componentInstances(sem, W, H, { backgroundId: 7, ignoreIndex: 65535 });
    assert.deepEqual(r.info.map((i) => i.class), [0, 300, 65534]);
    assert.deepEqual(r.perClass, { 0: 1, 300: 1, 65534: 1 });
  });

  it('diff and agreement on 16-bit ids equal the dense 8-bit counts for ids below 256, and count ids above it', () => {
    const rand = rng(5);
    const n = 64 * 48;
    const a8 = Uint8Array.from({ length: n }, () => Math.floor(rand() * 6));
    const b8 = a8.map((v) => (rand() < 0.2 ? Math.floor(rand() * 6) : v));
    const v = (s: Uint8Array | Uint16Array) => ({ width: 64, height: 48, semantic: s, instances: null });
    assert.deepEqual(diffMasks(v(Uint16Array.from(a8)), v(Uint16Array.from(b8))), diffMasks(v(a8), v(b8)));
    const opts = { backgroundId: 0, ignoreIndex: 5 };
    assert.deepEqual(agreement(Uint16Array.from(a8), Uint16Array.from(b8), opts), agreement(a8, b8, opts));

    const a = Uint16Array.from([0, 300, 300, 1000, 1000, 65535]);
    const b = Uint16Array.from([0, 300, 1000, 1000, 0, 300]);
    const d = diffMasks({ width: 6, height: 1, semantic: a, instances: null }, { width: 6, height: 1, semantic: b, instances: null });
    assert.equal(d.changedPixels, 3);
    assert.deepEqual(d.classes['300'], { before: 2, after: 2, intersection: 1, iou: 0.333333 });
    assert.deepEqual(d.classes['1000'], { before: 2, after: 2, intersection: 1, iou: 0.333333 });
    const ag = agreement(a, b, { backgroundId: 0, ignoreIndex: 65535 });
    assert.deepEqual(Object.keys(ag.classes), ['0', '300', '1000'], 'the ignore pixel (65535) is left out');
    assert.deepEqual(ag.classes['300'], { tp: 1, fp: 0, fn: 1, iou: 0.5, dice: 0.666667 });
  });

  it('dataset statistics count pixels, images and instances of class 1000', () => {
    const acc = new StatsAccumulator();
    acc.addImage('edited', Uint16Array.from([0, 1000, 1000, 65535]), Uint16Array.from([0, 4, 4, 0]), 65535);
    acc.addImage('edited', Uint8Array.from([0, 3, 3, 255]), null, 255);
    const s = acc.result(new Map([[1000, 'road']]));
    assert.deepEqual(s.classes['1000'], { pixels: 2, images: 1, instances: 1, name: 'road' });
    assert.deepEqual(s.classes['3'], { pixels: 2, images: 1, instances: 0 });
    assert.equal(s.classes['65535'], undefined);
  });
});
