// compare and queue on the shared fixtures with the embedded text model (pp-ocrv4-det) and a
// fixture semantic model: uncertainty recorded by pre-labelling, agreement 1 with the model's own
// drafts, agreement after a change equal to numpy's IoU/Dice, and the queue's order and reasons.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURE_IMAGES, LOCAL_FIXTURES } from '../../paths';
import { cli } from './helpers';

const sidecar = (f: string): { prelabel?: { source: string; uncertainty?: { measure: string; value: number } }; generation?: string } => JSON.parse(fs.readFileSync(f, 'utf8'));

/** numpy IoU and Dice per class of two mask PNGs (ignore 255 in the reference left out). */
function oracleAgreement(ref: string, pred: string): Record<string, { iou: number; dice: number }> {
  const code = [
    'import json,sys', 'import numpy as np', 'from PIL import Image',
    'r=np.array(Image.open(sys.argv[1])).astype(int); p=np.array(Image.open(sys.argv[2])).astype(int)',
    'k=r!=255; r=r[k]; p=p[k]; out={}',
    'for c in sorted(set(np.unique(r).tolist())|set(np.unique(p).tolist())):',
    '  tp=int(((r==c)&(p==c)).sum()); fp=int(((r!=c)&(p==c)).sum()); fn=int(((r==c)&(p!=c)).sum())',
    '  out[str(c)]={"iou":tp/(tp+fp+fn),"dice":2*tp/(2*tp+fp+fn)}',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, ref, pred], { encoding: 'utf8' }));
}

describe('compare and queue on real fixtures', function () {
  this.timeout(300000);
  let dir = '';
  let modelsFile = '';
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-cq-'));
    for (const n of ['text.png', 'camera.png', 'coffee.png', 'chelsea.png']) fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(dir, n));
    modelsFile = path.join(dir, '..', `${path.basename(dir)}-models.json`);
    fs.writeFileSync(modelsFile, JSON.stringify([{ id: 'sem-fixture', family: 'semantic', file: path.join(LOCAL_FIXTURES, 'models', 'semantic_rgb.onnx'), classes: ['red', 'green', 'blue'], input: { resize: 'stretch', size: [64, 48], scale: 0.1 } }]));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(modelsFile, { force: true });
  });

  it('pre-labelling with the embedded text model records a low-margin-share uncertainty in each sidecar', async () => {
    const r = await cli('prelabel', dir, '--model', 'pp-ocrv4-det', '--device', 'cpu');
    assert.equal(r.code, 0, r.err.join('\n'));
    for (const n of ['text', 'camera', 'coffee', 'chelsea']) {
      const u = sidecar(path.join(dir, `${n}.mask.json`)).prelabel?.uncertainty;
      assert.ok(u, `${n} has an uncertainty`);
      assert.equal(u.measure, 'low-margin-share');
      assert.ok(u.value >= 0 && u.value <= 1, `${n}: ${u.value}`);
    }
    // text.png is crisp printed text: the model is sure of most of what it labels.
    assert.ok((sidecar(path.join(dir, 'text.mask.json')).prelabel?.uncertainty?.value ?? 1) < 0.2);
  });

  it('compare --model with the model that drafted the masks agrees exactly (IoU and Dice 1)', async () => {
    const r = await cli('compare', dir, '--model', 'pp-ocrv4-det', '--device', 'cpu', '--json');
    assert.equal(r.code, 0, r.err.join('\n'));
    const j = JSON.parse(r.out[0]);
    assert.equal(j.with, 'model:pp-ocrv4-det');
    assert.equal(j.images.length, 4);
    for (const im of j.images) {
      assert.equal(im.pixelAccuracy, 1, im.image);
      for (const c of Object.values(im.classes) as Array<{ iou: number; dice: number; fp: number; fn: number }>) {
        assert.deepEqual([c.iou, c.dice, c.fp, c.fn], [1, 1, 0, 0]);
      }
    }
    assert.equal(j.dataset.meanIoU, 1);
    assert.ok(fs.existsSync(path.join(dir, '.maskwright', 'agreement.json')));
  });

  it('after a change, compare --model gives numpy\'s per-class IoU and Dice, and the queue puts that image first with its reason', async () => {
    // Dark text on a light page: Otsu with --invert labels the glyphs themselves, tighter than the model's boxes.
    let r = await cli('threshold', path.join(dir, 'text.png'), '--method', 'otsu', '--overwrite', '--invert');
    assert.equal(r.code, 0, r.err.join('\n'));
    const before = path.join(dir, 'pred');
    fs.mkdirSync(before);
    r = await cli('compare', dir, '--model', 'pp-ocrv4-det', '--device', 'cpu', '--json');
    assert.equal(r.code, 0, r.err.join('\n'));
    const j = JSON.parse(r.out[0]);
    const text = j.images.find((i: { image: string }) => path.basename(i.image) === 'text.png');
    assert.ok(text.meanIoU < 1);
    // numpy on the saved mask and the model's own draft of the same image (pre-labelled into pred/).
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'text.png'), path.join(before, 'text.png'));
    r = await cli('prelabel', before, '--model', 'pp-ocrv4-det', '--device', 'cpu');
    assert.equal(r.code, 0);
    const want = oracleAgreement(path.join(dir, 'text.mask.png'), path.join(before, 'text.mask.png'));
    assert.deepEqual(Object.keys(text.classes), Object.keys(want));
    for (const [c, w] of Object.entries(want)) {
      assert.ok(Math.abs(text.classes[c].iou - w.iou) < 1e-6, `class ${c} iou ${text.classes[c].iou} vs ${w.iou}`);
      assert.ok(Math.abs(text.classes[c].dice - w.dice) < 1e-6, `class ${c} dice`);
    }
    fs.rmSync(before, { recursive: true });

    r = await cli('queue', dir, '--json');
    assert.equal(r.code, 0, r.err.join('\n'));
    const q = JSON.parse(r.out[0]) as Array<{ image: string; status: string; score: number; reason: string; agreement?: number }>;
    assert.equal(q.length, 4);
    assert.equal(path.basename(q[0].image), 'text.png', JSON.stringify(q, null, 1));
    assert.equal(q[0].agreement, text.meanIoU);
    assert.ok(Math.abs(q[0].score - (1 - text.meanIoU)) < 1e-4);
    assert.match(q[0].reason, /agreement mIoU .* with model:pp-ocrv4-det/);
    for (let i = 1; i < q.length; i++) assert.ok(q[i - 1].score >= q[i].score, 'sorted by score');
  });

  it('a fixture semantic model: pre-label records its uncertainty, compare --pred reads another folder, reviewed images go last', async () => {
    const sem = path.join(dir, 'sem');
    fs.mkdirSync(sem);
    for (const n of ['coffee.png', 'chelsea.png', 'astronaut.png']) fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(sem, n));
    let r = await cli('prelabel', sem, '--model', 'sem-fixture', '--models-file', modelsFile, '--device', 'cpu');
    assert.equal(r.code, 0, r.err.join('\n'));
    const values = ['coffee', 'chelsea', 'astronaut'].map((n) => sidecar(path.join(sem, `${n}.mask.json`)).prelabel?.uncertainty?.value);
    for (const v of values) assert.ok(v !== undefined && v >= 0 && v <= 1);
    // A reviewed set goes after every unreviewed one, whatever its score.
    const order = ['coffee', 'chelsea', 'astronaut'].map((n, i) => ({ n, v: values[i] as number })).sort((a, b) => b.v - a.v);
    r = await cli('queue', sem, '--json');
    const q1 = JSON.parse(r.out[0]) as Array<{ image: string; score: number; status: string; reason: string }>;
    assert.deepEqual(q1.map((x) => path.basename(x.image, '.png')), order.map((o) => o.n));
    assert.match(q1[0].reason, /automatic draft, not reviewed \(model:sem-fixture\); uncertainty/);

    const scFile = path.join(sem, `${order[0].n}.mask.json`);
    const sc = JSON.parse(fs.readFileSync(scFile, 'utf8'));
    sc.reviewed = true;
    sc.review = { at: '2026-01-01T00:00:00Z', by: 'test' };
    fs.writeFileSync(scFile, JSON.stringify(sc));
    r = await cli('queue', sem, '--json');
    const q2 = JSON.parse(r.out[0]) as Array<{ image: string; status: string }>;
    assert.equal(path.basename(q2[2].image, '.png'), order[0].n);
    assert.equal(q2[2].status, 'reviewed');

    // --pred: the same drafts copied elsewhere agree exactly; one class swapped in the copy does not.
    const pred = path.join(dir, 'semPred');
    fs.mkdirSync(pred);
    for (const n of ['coffee', 'chelsea', 'astronaut']) fs.copyFileSync(path.join(sem, `${n}.mask.png`), path.join(pred, `${n}.mask.png`));
    r = await cli('compare', sem, '--pred', pred, '--json', '--no-cache');
    assert.equal(r.code, 0, r.err.join('\n'));
    const j = JSON.parse(r.out[0]);
    assert.equal(j.images.length, 3);
    assert.equal(j.dataset.meanIoU, 1);
    assert.ok(!fs.existsSync(path.join(sem, '.maskwright', 'agreement.json')), '--no-cache writes nothing');
  });

  it('bad arguments exit 2: neither or both of --model/--pred, a file instead of a folder', async () => {
    assert.equal((await cli('compare', dir)).code, 2);
    assert.equal((await cli('compare', dir, '--model', 'x', '--pred', dir)).code, 2);
    assert.equal((await cli('compare', path.join(dir, 'text.png'), '--pred', dir)).code, 2);
    assert.equal((await cli('queue')).code, 2);
    assert.equal((await cli('queue', dir, '--limit', '0')).code, 2);
  });
});
