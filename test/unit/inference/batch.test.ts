// Batch pre-label through the real pipeline (worker thread, onnxruntime-node, sharp, atomic writes):
// masks read back from disk, resume, protection of reviewed / hand-made masks, per-image failures,
// cancel without partial files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBatch, type BatchProgress } from '../../../src/dataset/batch';
import { readLabelPng } from '../../../src/io/labelPng';
import { parseSidecar } from '../../../src/shared/sidecar';
import { FIXTURE_IMAGES } from '../../paths';
import { embedded, fixtureModel } from './helpers';

const CONFIG = JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 4, name: 'text' }] });

function folder(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-batch-'));
  fs.writeFileSync(path.join(dir, 'maskwright.json'), CONFIG);
  for (const n of names) fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(dir, n));
  return dir;
}
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((f) => /\.tmp|~$|\.partial/.test(f));

describe('batch pre-label', function () {
  this.timeout(180000);

  it('labels a folder in a worker, writes mask + instances + sidecar, records a broken image and goes on', async () => {
    const dir = folder(['text.png', 'camera.png']);
    fs.writeFileSync(path.join(dir, 'broken.png'), fs.readFileSync(path.join(FIXTURE_IMAGES, 'coffee.png')).subarray(0, 3000));
    const images = ['broken.png', 'camera.png', 'text.png'].map((f) => path.join(dir, f));
    const progress: BatchProgress[] = [];
    const s = await runBatch(images, embedded(), { device: 'cpu', onProgress: (p) => progress.push(p) });
    assert.equal(s.where, 'worker');
    assert.deepEqual([s.done, s.skipped, s.failed], [2, 0, 1]);
    assert.match(s.items.find((i) => i.status === 'failed')?.reason ?? '', /broken\.png/);
    assert.deepEqual(progress.map((p) => p.finished), [1, 2, 3]);
    assert.ok(progress[2].etaSeconds === 0);
    const mask = await readLabelPng(path.join(dir, 'text.mask.png'));
    assert.deepEqual([mask.header.width, mask.header.colorType, mask.header.bitDepth], [448, 3, 8]);
    const textPx = [...mask.data].filter((v) => v === 4).length;
    assert.ok(textPx > 0.05 * 448 * 172, `${textPx} text pixels`);
    const inst = await readLabelPng(path.join(dir, 'text.instances.png'));
    const side = parseSidecar(fs.readFileSync(path.join(dir, 'text.mask.json'), 'utf8'), 'sidecar');
    assert.equal(side.prelabel?.source, 'model:pp-ocrv4-det');
    assert.equal(side.reviewed, false);
    assert.ok(side.instances.length >= 5 && side.instances.every((i) => i.source === 'model:pp-ocrv4-det' && i.class === 4 && (i.score ?? 0) >= 0.6));
    const ids = new Set([...inst.data].filter((v) => v > 0));
    assert.deepEqual([...ids].sort((a, b) => a - b), side.instances.map((i) => i.id));
    assert.ok(!fs.existsSync(path.join(dir, 'broken.mask.png')));
    assert.deepEqual(leftovers(dir), []);

    // Resume: nothing to do; reviewed and hand-made masks are protected unless overwrite.
    const again = await runBatch(images.slice(1), embedded(), { device: 'cpu', backend: 'in-process' });
    assert.deepEqual(again.items.map((i) => i.reason), ['up to date (already labelled by model:pp-ocrv4-det)', 'up to date (already labelled by model:pp-ocrv4-det)']);
    // File times are never consulted: an image newer than its masks is not labelled again.
    const future = new Date(Date.now() + 60000);
    fs.utimesSync(images[1], future, future);
    assert.equal((await runBatch([images[1]], embedded(), { device: 'cpu', backend: 'in-process' })).skipped, 1);
    fs.writeFileSync(path.join(dir, 'text.mask.json'), fs.readFileSync(path.join(dir, 'text.mask.json'), 'utf8').replace('"reviewed": false', '"reviewed": true'));
    fs.rmSync(path.join(dir, 'camera.mask.json'));
    const before = fs.readFileSync(path.join(dir, 'text.mask.png'));
    const guarded = await runBatch(images.slice(1), embedded(), { device: 'cpu', backend: 'in-process' });
    assert.match(guarded.items[0].reason ?? '', /^masks without a sidecar/);
    assert.match(guarded.items[1].reason ?? '', /^reviewed/);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'text.mask.png')), before);
    const forced = await runBatch(images.slice(2), embedded(), { device: 'cpu', backend: 'in-process', overwrite: true });
    assert.equal(forced.done, 1);
    assert.equal(parseSidecar(fs.readFileSync(path.join(dir, 'text.mask.json'), 'utf8'), 's').reviewed, false);
    // --overwrite kept the reviewed set recoverable.
    const trash = forced.items[0].trashed ?? '';
    assert.match(trash, /^\.maskwright\/trash\//);
    assert.deepEqual(fs.readFileSync(path.join(dir, trash, 'text.mask.png')), before);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, trash, 'text.mask.json'), 'utf8')).reviewed, true);
  });

  it('cancel stops between images with no partial files; a second run resumes the rest', async () => {
    const dir = folder(['text.png', 'camera.png', 'coffee.png', 'horse.png']);
    const images = ['camera.png', 'coffee.png', 'horse.png', 'text.png'].map((f) => path.join(dir, f));
    const ac = new AbortController();
    const s = await runBatch(images, embedded(), { device: 'cpu', signal: ac.signal, onProgress: (p) => { if (p.finished === 1) ac.abort(); } });
    assert.equal(s.cancelled, true);
    assert.ok(s.done >= 1 && s.done < 4, `${s.done} done before the cancel took effect`);
    // Every image has either all its files or none.
    for (const img of images) {
      const stem = img.replace(/\.png$/, '');
      const have = ['.mask.png', '.mask.json'].map((e) => fs.existsSync(stem + e));
      assert.equal(have[0], have[1], `${img}: mask and sidecar written together`);
    }
    assert.deepEqual(leftovers(dir), []);
    const rest = await runBatch(images, embedded(), { device: 'cpu' });
    assert.equal(rest.skipped, s.done);
    assert.equal(rest.done, 4 - s.done);
  });

  it('a dataset whose classes do not fit the model fails each image with the reason, writing nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-batch-'));
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 1, name: 'cat' }] }));
    fs.copyFileSync(path.join(FIXTURE_IMAGES, 'camera.png'), path.join(dir, 'camera.png'));
    const yolo = fixtureModel({ id: 'yolo-fixture', family: 'instance', file: 'yolo_seg.onnx', classes: ['person', 'car'], input: { resize: 'letterbox', size: [640, 640] } });
    const s = await runBatch([path.join(dir, 'camera.png')], yolo, { device: 'cpu' });
    assert.equal(s.failed, 1);
    assert.match(s.items[0].reason ?? '', /classes not in the dataset config: person, car.*maskwright\.json/s);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['camera.png', 'maskwright.json']);
  });
});
