import * as assert from 'node:assert/strict';
import type { ClassicalJob } from '../../../src/algorithms/classicalJob';
import { runClassicalJob } from '../../../src/algorithms/classicalJob';
import { CancellationError, ClassicalPool } from '../../../src/workers/pool';
import { cameraRgb } from '../algorithms/cameraRgb';

describe('ClassicalPool (worker thread out/src/workers/classical.js)', () => {
  const pool = new ClassicalPool();
  after(() => pool.dispose());

  it('returns the same bytes as the in-process runner and leaves the inputs usable', async () => {
    const cam = await cameraRgb(256);
    const n = cam.width * cam.height;
    const semantic = new Uint8Array(n);
    const instances = new Uint16Array(n);
    const inputs = { width: cam.width, height: cam.height, rgb: cam.data, semantic, instances, info: [] };
    const jobs: ClassicalJob[] = [
      { op: 'threshold', method: 'otsu', classId: 1 },
      { op: 'kmeans', k: 3, targets: [0, 1, 2] },
      { op: 'multiOtsu', classes: 3, backgroundId: 0, targets: [1, 2] },
    ];
    for (const job of jobs) {
      const w = await pool.run(job, inputs);
      const p = runClassicalJob(job, inputs);
      assert.deepEqual(w, p, job.op);
      assert.equal(semantic.length, n, 'the caller\'s buffer is not transferred away');
    }
    const sem = runClassicalJob(jobs[0], inputs).semantic!;
    const withSem = { ...inputs, semantic: sem };
    for (const job of [{ op: 'splitInstances', backgroundId: 0, ignoreIndex: 255 }, { op: 'splitTouching', classId: 1 }, { op: 'morphology', kind: 'close', classId: 1, backgroundId: 0 }] as ClassicalJob[]) {
      const w = await pool.run(job, withSem);
      assert.ok(w.semantic || w.instances, job.op);
      assert.deepEqual(w, runClassicalJob(job, withSem), job.op);
    }
    await assert.rejects(pool.run({ op: 'splitInstances', backgroundId: 0, ignoreIndex: 255 }, inputs), /no labelled pixels/);
    assert.equal(pool.workersStarted, 1, 'one worker serves every job, errors included');
  });

  it('cancel terminates a long k-means (k=16, 2048x2048): the job rejects with CancellationError; the next job works', async () => {
    const big = await cameraRgb(2048);
    const n = big.width * big.height;
    const inputs = { width: big.width, height: big.height, rgb: big.data, semantic: new Uint8Array(n), instances: new Uint16Array(n), info: [] };
    const started = pool.workersStarted;
    const ac = new AbortController();
    const job = pool.run({ op: 'kmeans', k: 16, targets: Array.from({ length: 16 }, (_, i) => i) }, inputs, ac.signal);
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(job, (e: Error) => e instanceof CancellationError && /kmeans cancelled/.test(e.message));
    const small = await cameraRgb(64);
    const sInputs = { width: 64, height: 64, rgb: small.data, semantic: new Uint8Array(4096), instances: new Uint16Array(4096), info: [] };
    const r = await pool.run({ op: 'threshold', method: 'otsu', classId: 1 }, sInputs);
    assert.deepEqual(r, runClassicalJob({ op: 'threshold', method: 'otsu', classId: 1 }, sInputs));
    assert.equal(pool.workersStarted, started + 1, 'the cancelled worker was replaced by a fresh one');
    // already aborted: refused without starting anything
    await assert.rejects(pool.run({ op: 'threshold', method: 'otsu', classId: 1 }, sInputs, AbortSignal.abort()), CancellationError);
  });

  it('dispose rejects the running job and refuses later ones', async () => {
    const p = new ClassicalPool();
    const cam = await cameraRgb(1024);
    const n = cam.width * cam.height;
    const running = p.run({ op: 'kmeans', k: 16, targets: Array.from({ length: 16 }, (_, i) => i) }, { width: cam.width, height: cam.height, rgb: cam.data, semantic: new Uint8Array(n), instances: new Uint16Array(n), info: [] });
    setTimeout(() => p.dispose(), 100);
    await assert.rejects(running, CancellationError);
    await assert.rejects(p.run({ op: 'splitInstances', backgroundId: 0, ignoreIndex: 255 }, { width: 1, height: 1, semantic: new Uint8Array(1), instances: new Uint16Array(1), info: [] }), /disposed/);
  });
});
