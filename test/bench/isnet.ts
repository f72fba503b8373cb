// Benchmark section of `npm run bench:prelabel`: a real segmentation model on CPU. ISNet (salient
// objects, 1024x1024 input; test-only, fetched into a cache on first use: ../models/isnet.ts) over
// the shared fixture images: bare session.run per image, and the batch pipeline (decode, resize,
// inference in the worker, post-processing, PNG writes) in steady state. Figures, not pass/fail.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBatch } from '../../src/dataset/batch';
import { decodeImage } from '../../src/io/image';
import { resolveEntry, validateEntry } from '../../src/inference/manifest';
import { ModelRunner } from '../../src/inference/runner';
import { ensureIsnet, isnetEntry } from '../models/isnet';
import { FIXTURE_IMAGES } from '../paths';

export async function benchIsnet(threads: number | undefined): Promise<void> {
  const { file } = ensureIsnet();
  const model = resolveEntry(validateEntry(isnetEntry(file), 'bench'), path.dirname(file), 'user');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-bench-isnet-'));
  try {
    fs.writeFileSync(path.join(dir, 'maskwright.json'), JSON.stringify({ version: 1, classes: [{ id: 0, name: 'background' }, { id: 1, name: 'foreground' }] }));
    const names = fs.readdirSync(FIXTURE_IMAGES).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
    const images = names.map((n) => { fs.copyFileSync(path.join(FIXTURE_IMAGES, n), path.join(dir, n)); return path.join(dir, n); });

    const runner = await ModelRunner.load(model, { device: 'cpu', threads });
    const run: number[] = [];
    for (const f of images) {
      const d = await decodeImage(f, { channels: 3 });
      const { tensor } = runner.prepare({ width: d.width, height: d.height, data: d.data });
      const t0 = performance.now();
      await runner.infer(tensor);
      run.push(performance.now() - t0);
    }
    await runner.dispose();
    const bare = run.slice(1); // the first run includes onnxruntime's warm-up
    const bareMs = bare.reduce((s, v) => s + v, 0) / bare.length;
    console.log(`ISNet (salient, 1024x1024 input, ${(fs.statSync(file).size / 1048576).toFixed(0)} MB, CPU, threads ${threads ?? 'default'}) on ${images.length} fixtures:`);
    console.log(`  bare session.run: ${bareMs.toFixed(0)} ms/image = ${(1000 / bareMs).toFixed(2)} images/s (mean of ${bare.length} after one warm-up)`);

    const stamps: number[] = [];
    const s = await runBatch(images, model, { device: 'cpu', threads, backend: 'worker', overwrite: true, onProgress: () => stamps.push(performance.now()) });
    const steady = (stamps.length - 1) / ((stamps[stamps.length - 1] - stamps[0]) / 1000);
    console.log(`  batch pipeline (worker): ${steady.toFixed(2)} images/s steady state = ${((steady * bareMs) / 10).toFixed(0)}% of bare; ${s.done} done, ${s.failed} failed, ${s.seconds.toFixed(1)} s incl. session load`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
