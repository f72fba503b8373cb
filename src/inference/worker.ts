// Inference worker thread (esbuild target dist/inferenceWorker.js; tsc: out/src/inference/worker.js):
// holds one model session and runs session.run on tensors posted by backend.ts.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './backend';
import { ModelRunner } from './runner';

const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');
let runner: ModelRunner | undefined;
// Runs are serialised; pre-processing of a queued image overlaps the run before it.
let queue: Promise<unknown> = Promise.resolve();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

port.on('message', async (m: ToWorker) => {
  try {
    if (m.type === 'load') {
      runner = await ModelRunner.load(m.model, m.opts);
      post({ type: 'loaded', provider: runner.provider, attempts: [...runner.attempts], outputNames: [...runner.outputNames] });
    } else if (m.type === 'infer') {
      if (!runner) throw new Error('no model loaded');
      const outs = await runner.infer({ dims: m.dims, data: m.data });
      const copies = outs.map((o) => ({ dims: [...o.dims], data: new Float32Array(o.data) }));
      post({ type: 'result', id: m.id, outputs: copies }, copies.map((c) => c.data.buffer as ArrayBuffer));
    } else if (m.type === 'inferImage') {
      if (!runner) throw new Error('no model loaded');
      const r = runner;
      const { tensor, geometry } = r.prepare({ width: m.width, height: m.height, data: m.data });
      const run = queue.then(() => r.infer(tensor));
      queue = run.catch(() => undefined);
      const outs = await run;
      const copies = outs.map((o) => ({ dims: [...o.dims], data: new Float32Array(o.data) }));
      post({ type: 'result', id: m.id, outputs: copies, geometry }, copies.map((c) => c.data.buffer as ArrayBuffer));
    } else if (m.type === 'dispose') {
      await runner?.dispose();
      runner = undefined;
    }
  } catch (e) {
    post({ type: 'error', id: m.type === 'infer' || m.type === 'inferImage' ? m.id : null, message: (e as Error).message });
  }
});
