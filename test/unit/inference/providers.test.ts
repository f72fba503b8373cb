// Execution providers: no GPU here, so CUDA and WebGPU must fail with a reason and fall back to CPU.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createSession, diagnose, formatDiagnostics, parseDevice } from '../../../src/inference/providers';
import { FIXTURE_MODELS } from './helpers';

const probe = path.join(FIXTURE_MODELS, 'semantic_rgb.onnx');
const hasCudaLibs = (): boolean => require('node:fs').existsSync(path.join(require('../../../src/inference/providers').ortBinDir(), 'libonnxruntime_providers_cuda.so'));

describe('execution providers', function () {
  this.timeout(60000);

  it("'cuda' without the CUDA provider library falls back to CPU and says which library is missing", async function () {
    if (hasCudaLibs()) this.skip();
    const r = await createSession(probe, { device: 'cuda' });
    assert.equal(r.provider, 'cpu');
    assert.equal(r.attempts[0].provider, 'cuda');
    assert.equal(r.attempts[0].ok, false);
    assert.match(r.attempts[0].error ?? '', /CUDA provider library missing: libonnxruntime_providers_shared\.so/);
    assert.match(r.attempts[0].hint ?? '', /npm rebuild onnxruntime-node|providers_cuda/);
    const out = await r.session.run({ input: new (require('onnxruntime-node').Tensor)('float32', new Float32Array(12), [1, 3, 2, 2]) });
    assert.deepEqual([...out.logits.dims], [1, 3, 2, 2]);
    await r.session.release();
  });

  it("'auto' tries cuda, webgpu, cpu in order, catching each failure", async () => {
    const r = await createSession(probe, { device: 'auto' });
    const tried = r.attempts.map((a) => `${a.provider}:${a.ok}`);
    assert.equal(tried[tried.length - 1], `${r.provider}:true`);
    if (r.provider === 'cpu') assert.deepEqual(tried, ['cuda:false', 'webgpu:false', 'cpu:true']);
    await r.session.release();
  });

  it('doctor-style diagnostics list every provider with a reason and a fix', async () => {
    const d = await diagnose(probe);
    assert.deepEqual(d.providers.map((p) => p.provider), ['cuda', 'webgpu', 'cpu']);
    assert.equal(d.providers[2].ok, true);
    const text = formatDiagnostics(d).join('\n');
    assert.match(text, /OK +cpu/);
    if (!d.providers[1].ok) assert.match(text, /webgpu: WebGPU/);
  });

  it('unknown device names are refused', () => {
    assert.throws(() => parseDevice('tpu'), /device 'tpu' is unknown/);
  });
});
