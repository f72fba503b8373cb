// CUDA / WebGPU vs CPU with onnxruntime-node on the same inputs: speed-up and max abs difference.
// Usage (via run.sh): node test/gpu/compare.js .run/gpu OUT.json
'use strict';
const fs = require('fs');
const path = require('path');
const [dir, outFile] = process.argv.slice(2);
// The packed copy (whose bin folder run.sh gave the CUDA provider libraries), not a node_modules above.
const ort = require(path.resolve(dir, 'node_modules', 'onnxruntime-node'));
ort.env.logLevel = 'error';
const { toInputTensor } = require(path.resolve(dir, 'lib', 'preprocess.js'));
const fixtures = path.resolve(__dirname, '..', 'fixtures', 'models');
const images = JSON.parse(fs.readFileSync(path.join(dir, 'images', 'index.json'), 'utf8'))
  .map((i) => ({ ...i, data: new Uint8Array(fs.readFileSync(path.join(dir, 'images', i.name + '.rgb'))) }));
const textSpec = JSON.parse(fs.readFileSync(path.join(dir, 'text_det.json'), 'utf8'));

const cases = [];
for (const img of images) cases.push({ model: path.join(dir, 'text_det.onnx'), label: `PP-OCRv4 det on ${img.name}`, feeds: () => ({ x: toInputTensor(img, textSpec).tensor }) });
const big = images[1];
cases.push({ model: path.join(fixtures, 'yolo_seg.onnx'), label: 'YOLO-seg fixture', feeds: () => ({ images: toInputTensor(big, { resize: 'letterbox', size: [640, 640], padValue: 114 / 255 }).tensor }) });
cases.push({ model: path.join(fixtures, 'sam_encoder.onnx'), label: 'SAM encoder fixture', feeds: () => ({ image: toInputTensor(big, { resize: 'longest-side', size: [1024, 1024], scale: 1, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] }).tensor }) });

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

async function timeRuns(session, feeds, n) {
  const f = {};
  for (const [k, t] of Object.entries(feeds)) f[k] = new ort.Tensor('float32', t.data, t.dims);
  let out;
  for (let i = 0; i < 3; i++) out = await session.run(f); // warm-up (kernel selection, uploads)
  const ms = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); out = await session.run(f); ms.push(performance.now() - t0); }
  const outputs = {};
  for (const k of session.outputNames) outputs[k] = Float32Array.from(out[k].data);
  return { ms: median(ms), outputs };
}

(async () => {
  const figures = { onnxruntime: ort.env.versions, date: new Date().toISOString(), results: [] };
  for (const c of cases) {
    const feeds = c.feeds();
    const byProvider = {};
    for (const p of ['cpu', 'cuda', 'webgpu']) {
      try {
        const s = await ort.InferenceSession.create(c.model, { executionProviders: [p] });
        byProvider[p] = await timeRuns(s, feeds, 20);
        await s.release();
      } catch (e) {
        byProvider[p] = { error: String(e.message || e).split('\n')[0] };
      }
    }
    const cpu = byProvider.cpu;
    for (const p of ['cpu', 'cuda', 'webgpu']) {
      const r = byProvider[p];
      const row = { case: c.label, provider: p };
      if (r.error) row.error = r.error;
      else {
        row.medianMs = +r.ms.toFixed(2);
        if (p !== 'cpu' && cpu.outputs) {
          row.speedup = +(cpu.ms / r.ms).toFixed(2);
          let d = 0;
          for (const k of Object.keys(cpu.outputs)) { const a = cpu.outputs[k], b = r.outputs[k]; for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i])); }
          row.maxAbsDiff = d;
        }
      }
      figures.results.push(row);
      console.log(`${c.label.padEnd(34)} ${p.padEnd(7)} ${row.error ? 'FAILED ' + row.error : `${String(row.medianMs).padStart(8)} ms${row.speedup ? `  x${row.speedup} vs cpu, max abs diff ${row.maxAbsDiff.toExponential(2)}` : ''}`}`);
    }
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(figures, null, 2));
  console.log(`figures written to ${outFile}`);
})().catch((e) => { console.error(e); process.exit(1); });
