// The editor's promptable-model path (the function the mask editor provider calls) on the real
// SAM fixture models through onnxruntime-node: model choice, prompt checks, mask placement, crop.
import * as assert from 'node:assert/strict';
import { cropMask, NO_PROMPTABLE_MODEL, pickPromptModel, runSamPrompt } from '../../../src/inference/promptSession';
import { disposeRunners } from '../../../src/inference/runner';
import { loadManifest } from '../../../src/inference/manifest';
import { fixtureModel, rgb } from './helpers';

const SAM = { id: 'sam-fixture', family: 'promptable' as const, file: { encoder: 'sam_encoder.onnx', decoder: 'sam_decoder.onnx' }, input: { resize: 'longest-side' as const, size: [1024, 1024] as [number, number] } };

/** The full-size mask back from a cropped result. */
function uncrop(r: { rect: { x: number; y: number; w: number; h: number }; mask: Uint8Array }, W: number, H: number): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < r.rect.h; y++) for (let x = 0; x < r.rect.w; x++) out[(r.rect.y + y) * W + r.rect.x + x] = r.mask[y * r.rect.w + x];
  return out;
}

describe('promptSession: editor prompts on the SAM fixture', function () {
  this.timeout(60000);
  after(() => disposeRunners());

  it('picks the configured, the dataset\'s or the first promptable model, with clear errors', () => {
    const a = fixtureModel({ ...SAM, id: 'sam-a' }), b = fixtureModel({ ...SAM, id: 'sam-b' });
    const embedded = loadManifest();
    assert.equal(pickPromptModel([...embedded, a, b]).entry.id, 'sam-a');
    assert.equal(pickPromptModel([...embedded, a, b], 'sam-b').entry.id, 'sam-b');
    assert.equal(pickPromptModel([...embedded, a, b], undefined, ['pp-ocrv4-det', 'sam-b']).entry.id, 'sam-b');
    assert.throws(() => pickPromptModel(embedded), (e: Error) => e.message === NO_PROMPTABLE_MODEL);
    assert.throws(() => pickPromptModel([...embedded, a], 'nope'), /model 'nope' is unknown; promptable models: sam-a/);
    assert.throws(() => pickPromptModel([...embedded, a], 'pp-ocrv4-det'), /'pp-ocrv4-det' is text, not promptable/);
  });

  it('a click, a negative click and a box: masks placed in image pixels, cropped to their rect', async () => {
    const model = fixtureModel(SAM);
    // 512x256: the fixture's low-res mask maps onto whole pixels (as in fixtures.test.ts).
    const W = 512, H = 256;
    let decodes = 0;
    const target = { key: 'img.png@1', image: async () => { decodes++; return rgb(W, H, () => [40, 50, 60]); } };
    const times: number[] = [];
    const run = async (p: Parameters<typeof runSamPrompt>[4]): ReturnType<typeof runSamPrompt> => {
      const t0 = process.hrtime.bigint();
      const r = await runSamPrompt(model, target, W, H, p, { device: 'cpu' });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      return r;
    };
    const click = await run({ points: [{ x: 100.5, y: 60.5, label: 1 }] });
    assert.deepEqual(click.rect, { x: 92, y: 52, w: 17, h: 17 });
    assert.ok(click.mask.every((v) => v === 1));
    assert.equal(click.modelId, 'sam-fixture');
    assert.ok(Math.abs(click.score - 0.9) < 1e-6);

    const carved = await run({ points: [{ x: 50.5, y: 50.5, label: 1 }, { x: 58.5, y: 50.5, label: 0 }] });
    const full = uncrop(carved, W, H);
    assert.equal(full.length, W * H);
    for (let i = 0; i < full.length; i++) {
      const x = i % W, y = Math.floor(i / W);
      const want = x >= 42 && x <= 58 && y >= 42 && y <= 58 && !(x >= 54 && y >= 46 && y <= 54);
      assert.equal(full[i], want ? 1 : 0, `pixel ${x},${y}`);
    }
    assert.deepEqual(carved.rect, { x: 42, y: 42, w: 17, h: 17 });

    const box = await run({ points: [], box: { x0: 200, y0: 120, x1: 40, y1: 20 } });
    assert.deepEqual(box.rect, { x: 40, y: 20, w: 160, h: 100 });
    assert.ok(box.mask.every((v) => v === 1));
    assert.equal(decodes, 1, 'one image decode and embedding for all prompts on the same key');
    // Per-prompt latency (embedding cached) for the report; informative, not asserted.
    console.log(`      prompt latency with cached embedding: ${times.slice(1).map((t) => t.toFixed(1)).join(', ')} ms (first, with embedding: ${times[0].toFixed(1)} ms)`);

    await runSamPrompt(model, { ...target, key: 'img.png@2' }, W, H, { points: [{ x: 5.5, y: 5.5, label: 1 }] }, { device: 'cpu' });
    assert.equal(decodes, 2, 'a new key (file changed) embeds again');
  });

  it('prompts outside the image are refused with the coordinates; concurrent prompts on two images stay apart', async () => {
    const model = fixtureModel(SAM);
    const t1 = { key: 'one', image: async () => rgb(100, 100, () => [0, 0, 0]) };
    const t2 = { key: 'two', image: async () => rgb(512, 128, () => [0, 0, 0]) };
    await assert.rejects(runSamPrompt(model, t1, 100, 100, { points: [{ x: 150, y: 10, label: 1 }] }, { device: 'cpu' }), /point 0 \(150, 10\) is outside the 100x100 image/);
    await assert.rejects(runSamPrompt(model, t1, 100, 100, { points: [], box: { x0: 0, y0: 0, x1: 10, y1: 101 } }, { device: 'cpu' }), /box corner \(10, 101\) is outside/);
    // Interleaved requests: each decode must run on its own image's embedding.
    const [a, b] = await Promise.all([
      runSamPrompt(model, t1, 100, 100, { points: [{ x: 90.5, y: 90.5, label: 1 }] }, { device: 'cpu' }),
      runSamPrompt(model, t2, 512, 128, { points: [{ x: 300.5, y: 20.5, label: 1 }] }, { device: 'cpu' }),
    ]);
    assert.deepEqual(a.rect, { x: 82, y: 82, w: 17, h: 17 });
    assert.deepEqual(b.rect, { x: 292, y: 12, w: 17, h: 17 });
    // A queued prompt whose signal is aborted before its turn (a newer click) is refused, not run.
    const ac = new AbortController();
    const first = runSamPrompt(model, t1, 100, 100, { points: [{ x: 10.5, y: 10.5, label: 1 }] }, { device: 'cpu' });
    const stale = runSamPrompt(model, t1, 100, 100, { points: [{ x: 20.5, y: 20.5, label: 1 }] }, { device: 'cpu' }, ac.signal);
    ac.abort();
    assert.deepEqual((await first).rect, { x: 2, y: 2, w: 17, h: 17 });
    await assert.rejects(stale, /superseded by a newer prompt/);
  });

  it('cropMask: empty mask -> empty rect; size mismatch named', () => {
    assert.deepEqual(cropMask(new Uint8Array(12), 4, 3), { rect: { x: 0, y: 0, w: 0, h: 0 }, mask: new Uint8Array(0) });
    const m = new Uint8Array(12); m[5] = 1; m[10] = 3;
    assert.deepEqual(cropMask(m, 4, 3), { rect: { x: 1, y: 1, w: 2, h: 2 }, mask: Uint8Array.from([1, 0, 0, 1]) });
    assert.throws(() => cropMask(new Uint8Array(5), 4, 3), /mask has 5 values, the image 4x3/);
  });
});
