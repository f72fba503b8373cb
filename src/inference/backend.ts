// Where session.run happens: in a worker thread (off the extension host's thread; the default when
// the worker script exists) or in this thread (fallback). Pre/post-processing stay with the caller.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Geometry } from '../algorithms/models/geometry';
import type { FloatTensor, RgbImage } from '../algorithms/models/preprocess';
import type { ResolvedModel } from './manifest';
import type { Provider, ProviderAttempt, SessionOptions } from './providers';

export interface InferBackend {
  readonly provider: Provider;
  readonly attempts: readonly ProviderAttempt[];
  readonly outputNames: readonly string[];
  /** 'worker' or 'in-process'. */
  readonly where: 'worker' | 'in-process';
  infer(tensor: FloatTensor): Promise<FloatTensor[]>;
  /**
   * Pre-processes `img` with the model's input spec where the session lives (the worker thread) and
   * runs it. Calls are queued: the next image is pre-processed while the previous one runs.
   */
  inferImage(img: RgbImage): Promise<{ outputs: FloatTensor[]; geometry: Geometry }>;
  dispose(): Promise<void>;
}

/** Messages between backend.ts and worker.ts. */
export type ToWorker =
  | { type: 'load'; model: ResolvedModel; opts: SessionOptions }
  | { type: 'infer'; id: number; dims: number[]; data: Float32Array }
  | { type: 'inferImage'; id: number; width: number; height: number; data: Uint8Array }
  | { type: 'dispose' };
export type FromWorker =
  | { type: 'loaded'; provider: Provider; attempts: ProviderAttempt[]; outputNames: string[] }
  | { type: 'result'; id: number; outputs: { dims: number[]; data: Float32Array }[]; geometry?: Geometry }
  | { type: 'error'; id: number | null; message: string };

/** The worker script beside this module: dist/inferenceWorker.js (bundles) or worker.js (tsc output). */
export function workerScript(): string | undefined {
  for (const f of ['inferenceWorker.js', 'worker.js']) {
    const p = path.join(__dirname, f);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export async function inProcessBackend(model: ResolvedModel, opts: SessionOptions): Promise<InferBackend> {
  const { ModelRunner } = await import('./runner');
  const r = await ModelRunner.load(model, opts);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    provider: r.provider, attempts: r.attempts, outputNames: r.outputNames, where: 'in-process',
    infer: (t) => r.infer(t),
    inferImage(img) {
      const { tensor, geometry } = r.prepare(img);
      const run = queue.then(() => r.infer(tensor)).then((outputs) => ({ outputs, geometry }));
      queue = run.catch(() => undefined);
      return run;
    },
    dispose: () => r.dispose(),
  };
}

export async function workerBackend(model: ResolvedModel, opts: SessionOptions, script: string): Promise<InferBackend> {
  const worker = new Worker(script);
  const pending = new Map<number, { resolve: (o: { outputs: FloatTensor[]; geometry?: Geometry }) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | undefined;
  const failAll = (e: Error): void => { dead = e; for (const p of pending.values()) p.reject(e); pending.clear(); };
  const loaded = new Promise<Extract<FromWorker, { type: 'loaded' }>>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'loaded') resolve(m);
      else if (m.type === 'error' && m.id === null) reject(new Error(m.message));
      else if (m.type === 'error' || m.type === 'result') {
        const p = pending.get(m.id as number);
        if (!p) return;
        pending.delete(m.id as number);
        if (m.type === 'error') p.reject(new Error(m.message));
        else p.resolve({ outputs: m.outputs, geometry: m.geometry });
      }
    });
    worker.on('error', (e) => { reject(e); failAll(e); });
    worker.on('exit', (code) => { const e = new Error(`inference worker exited (code ${code})`); reject(e); failAll(e); });
  });
  worker.postMessage({ type: 'load', model, opts } satisfies ToWorker);
  let info: Extract<FromWorker, { type: 'loaded' }>;
  try { info = await loaded; } catch (e) { await worker.terminate(); throw e; }
  return {
    provider: info.provider, attempts: info.attempts, outputNames: info.outputNames, where: 'worker',
    infer(t) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<{ outputs: FloatTensor[] }>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Copy, then transfer the copy: the caller keeps its tensor, nothing is cloned twice.
        const data = new Float32Array(t.data);
        worker.postMessage({ type: 'infer', id, dims: [...t.dims], data } satisfies ToWorker, [data.buffer]);
      }).then((r) => r.outputs);
    },
    inferImage(img) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<{ outputs: FloatTensor[]; geometry?: Geometry }>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const data = new Uint8Array(img.data);
        worker.postMessage({ type: 'inferImage', id, width: img.width, height: img.height, data } satisfies ToWorker, [data.buffer]);
      }).then((r) => {
        if (!r.geometry) throw new Error('inference worker returned no geometry');
        return { outputs: r.outputs, geometry: r.geometry };
      });
    },
    async dispose() {
      worker.postMessage({ type: 'dispose' } satisfies ToWorker);
      await worker.terminate();
    },
  };
}

/** A worker backend when the worker script exists, else in-process. */
export async function createBackend(model: ResolvedModel, opts: SessionOptions, prefer: 'worker' | 'in-process' = 'worker'): Promise<InferBackend> {
  const script = prefer === 'worker' ? workerScript() : undefined;
  return script ? workerBackend(model, opts, script) : inProcessBackend(model, opts);
}
