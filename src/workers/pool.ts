// One lazily spawned worker thread for the classical jobs: runs them one at a time off the extension
// host's thread; cancelling a job terminates the worker (the next job spawns a fresh one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClassicalInputs, ClassicalJob, ClassicalResult } from '../algorithms/classicalJob';

export type ToClassicalWorker = { id: number; job: ClassicalJob; inputs: ClassicalInputs };
export type FromClassicalWorker =
  | { type: 'result'; id: number; result: ClassicalResult }
  | { type: 'error'; id: number; message: string };

/** The job was cancelled before it finished; nothing was computed. */
export class CancellationError extends Error {
  constructor(what = 'job') {
    super(`${what} cancelled`);
    this.name = 'CancellationError';
  }
}

/** The worker script: dist/classicalWorker.js beside the bundle, or classical.js beside this file (tsc output). */
export function classicalWorkerScript(dir = __dirname): string {
  for (const f of ['classicalWorker.js', 'classical.js']) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`classical worker script not found beside ${dir} (run the build)`);
}

interface Running { id: number; resolve: (r: ClassicalResult) => void; reject: (e: Error) => void }

export class ClassicalPool {
  private worker: Worker | undefined;
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private disposed = false;
  /** Worker threads spawned so far (a cancel terminates one; the next job spawns another). */
  workersStarted = 0;

  /** `script` defaults to classicalWorkerScript(). */
  constructor(private readonly script?: string) {}

  /**
   * Runs a job in the worker. The inputs are copied (the caller's arrays stay usable); jobs run one at
   * a time. Aborting `signal` rejects with CancellationError and terminates the worker if it is running.
   */
  run(job: ClassicalJob, inputs: ClassicalInputs, signal?: AbortSignal): Promise<ClassicalResult> {
    const turn = this.queue.then(() => this.start(job, inputs, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private start(job: ClassicalJob, inputs: ClassicalInputs, signal?: AbortSignal): Promise<ClassicalResult> {
    if (this.disposed) return Promise.reject(new Error('the classical worker pool is disposed'));
    if (signal?.aborted) return Promise.reject(new CancellationError(job.op));
    const w = this.spawn();
    const id = this.nextId++;
    return new Promise<ClassicalResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.kill();
        reject(new CancellationError(job.op));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => { signal?.removeEventListener('abort', onAbort); this.running = undefined; };
      this.running = { id, resolve: (r) => { done(); resolve(r); }, reject: (e) => { done(); reject(e); } };
      const semantic = inputs.semantic.slice();
      const instances = inputs.instances.slice();
      const rgb = inputs.rgb?.slice();
      const msg: ToClassicalWorker = { id, job, inputs: { width: inputs.width, height: inputs.height, semantic, instances, info: [...inputs.info], ...(rgb ? { rgb } : {}) } };
      const transfer = [semantic.buffer, instances.buffer, ...(rgb ? [rgb.buffer] : [])];
      w.postMessage(msg, transfer);
    });
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script ?? classicalWorkerScript());
    w.on('message', (m: FromClassicalWorker) => {
      const r = this.running;
      if (this.worker !== w || !r || r.id !== m.id) return;
      if (m.type === 'result') r.resolve(m.result);
      else r.reject(new Error(m.message));
    });
    const fail = (e: Error): void => {
      if (this.worker !== w) return; // a terminated worker's late events never touch a newer job
      this.worker = undefined;
      this.running?.reject(e);
    };
    w.on('error', (e) => fail(new Error(`classical worker failed: ${e.message}`)));
    w.on('exit', (code) => fail(new Error(`classical worker exited (code ${code})`)));
    this.worker = w;
    this.workersStarted++;
    return w;
  }

  private kill(): void {
    const w = this.worker;
    this.worker = undefined;
    this.running = undefined;
    if (w) void w.terminate();
  }

  /** Terminates the worker; a running job rejects with CancellationError; later runs are refused. */
  dispose(): void {
    this.disposed = true;
    const r = this.running;
    this.kill();
    r?.reject(new CancellationError('job'));
  }
}
