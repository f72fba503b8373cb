// Classical worker thread (esbuild target dist/classicalWorker.js; tsc: out/src/workers/classical.js):
// runs one ClassicalJob per message on transferred buffers and posts the result with transfers.
import { parentPort } from 'node:worker_threads';
import { runClassicalJob } from '../algorithms/classicalJob';
import type { FromClassicalWorker, ToClassicalWorker } from './pool';

const port = parentPort;
if (!port) throw new Error('classical.ts must run as a worker thread');

port.on('message', (m: ToClassicalWorker) => {
  try {
    const r = runClassicalJob(m.job, m.inputs);
    const transfer: ArrayBuffer[] = [];
    if (r.semantic) transfer.push(r.semantic.buffer as ArrayBuffer);
    if (r.instances && r.instances.buffer !== r.semantic?.buffer) transfer.push(r.instances.buffer as ArrayBuffer);
    port.postMessage({ type: 'result', id: m.id, result: r } satisfies FromClassicalWorker, transfer);
  } catch (e) {
    port.postMessage({ type: 'error', id: m.id, message: (e as Error).message } satisfies FromClassicalWorker);
  }
});
