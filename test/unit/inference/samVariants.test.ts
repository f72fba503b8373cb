// SAM2 and EfficientSAM variants of the promptable family on geometric fixture models with the exact
// I/O names of the real exports (test/fixtures/models/build.py): exact mask placement for a click, a
// negative click and a box, through real onnxruntime-node; and "Add model..." proposing the variant.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { inspectModel } from '../../../src/inference/inspect';
import { validateEntry } from '../../../src/inference/manifest';
import { FIXTURE_MODELS, fixtureRunners, rgb } from './helpers';

/** `mask` (w wide) is 1 exactly where `want(x, y)`. */
function assertMask(mask: Uint8Array, w: number, want: (x: number, y: number) => boolean): void {
  let bad = 0, first = '';
  for (let i = 0; i < mask.length; i++) {
    const x = i % w, y = Math.floor(i / w);
    if ((mask[i] === 1) !== want(x, y)) { bad++; if (!first) first = `${x},${y}`; }
  }
  assert.equal(bad, 0, `${bad} pixels differ (first at ${first})`);
}
const rect = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number): boolean => x >= x0 && x < x1 && y >= y0 && y < y1;

describe('promptable variants: SAM2 and EfficientSAM', function () {
  this.timeout(120000);
  const load = fixtureRunners();

  const sam2 = { id: 'sam2-fixture', family: 'promptable', variant: 'sam2', file: { encoder: 'sam2_encoder.onnx', decoder: 'sam2_decoder.onnx' }, input: { resize: 'stretch', size: [1024, 1024] } };
  const esam = { id: 'esam-fixture', family: 'promptable', variant: 'efficientsam', file: { encoder: 'efficientsam_encoder.onnx', decoder: 'efficientsam_decoder.onnx' }, input: { resize: 'multiple-of', multiple: 1, limitSideLen: 1024 } };

  it('SAM2 encoder: stretched to 1024x1024, ImageNet mean/std on 0..1; all three outputs kept', async () => {
    const r = await load(sam2);
    await r.embed(rgb(512, 256, (x) => (x < 256 ? [255, 0, 0] : [0, 0, 0])));
    const e = (r as unknown as { embedding: { feeds: Record<string, { dims: number[]; data: Float32Array }> } }).embedding.feeds;
    assert.deepEqual(Object.keys(e).sort(), ['high_res_feats_0', 'high_res_feats_1', 'image_embed']);
    assert.deepEqual([...e.image_embed.dims], [1, 256, 64, 64]);
    assert.deepEqual([...e.high_res_feats_0.dims], [1, 32, 256, 256]);
    assert.deepEqual([...e.high_res_feats_1.dims], [1, 64, 128, 128]);
    const red = (1 - 0.485) / 0.229, black = (0 - 0.485) / 0.229;
    // Stretched, not padded: the red left half fills embedding columns 0..31 on every row, down to row 63.
    assert.ok(Math.abs(e.image_embed.data[63 * 64 + 10] - red) < 1e-4);
    assert.ok(Math.abs(e.image_embed.data[63 * 64 + 40] - black) < 1e-4);
  });

  it('SAM2 decoder: a click maps through the stretched frame; low-res 256 mask resized back to the image', async () => {
    const r = await load(sam2);
    await r.embed(rgb(512, 256, () => [10, 20, 30]));
    // 512x256 -> x * 2, y * 4. Click (100.5, 60.5) -> (201, 242); r = 32 -> cells whose centre is in
    // x 169..233, y 210..274 -> frame x [168, 232), y [208, 276) -> image x 84..115, y 52..68.
    const m = await r.decode({ points: [{ x: 100.5, y: 60.5, positive: true }] });
    assert.equal(m.index, 1);
    assert.ok(Math.abs(m.score - 0.9) < 1e-6);
    assertMask(m.mask, 512, rect(84, 52, 116, 69));
    assert.equal(m.area, 32 * 17);
  });

  it('SAM2 decoder: a negative click carves, a box fills the box', async () => {
    const r = await load(sam2);
    await r.embed(rgb(256, 256, () => [0, 0, 0]));
    // 256x256 -> x4. Positive (50.5, 50.5) -> 202: frame [168, 236) -> image 42..58; negative (58.5, 50.5)
    // -> (234, 202), r 16: cells centred in x 218..250, y 186..218 -> frame x [216, 252), y [184, 220) -> image x 54.., y 46..54.
    const m = await r.decode({ points: [{ x: 50.5, y: 50.5, positive: true }, { x: 58.5, y: 50.5, positive: false }] });
    assertMask(m.mask, 256, (x, y) => x >= 42 && x <= 58 && y >= 42 && y <= 58 && !(x >= 54 && y >= 46 && y <= 54));
    // Box 40,20..200,100 -> frame 160,80..800,400: cell centres inside -> frame [160, 800) x [80, 400).
    const b = await r.decode({ box: { x0: 40, y0: 20, x1: 200, y1: 100 } });
    assertMask(b.mask, 256, rect(40, 20, 200, 100));
  });

  it('EfficientSAM: 0..1 RGB at the image size, int64 orig_im_size, [1,1,M,H,W] masks', async () => {
    const r = await load(esam);
    await r.embed(rgb(300, 600, () => [255, 0, 0]));
    const e = (r as unknown as { embedding: { tensor: { dims: number[]; data: Float32Array } } }).embedding.tensor;
    assert.deepEqual([...e.dims], [1, 256, 64, 64]);
    assert.ok(Math.abs(e.data[5] - 1) < 1e-6 && Math.abs(e.data[4096 + 5]) < 1e-6, 'channel 0 red = 1, channel 1 green = 0 (no mean/std)');
    const m = await r.decode({ points: [{ x: 100.5, y: 60.5, positive: true }] });
    assert.equal(m.index, 1);
    assertMask(m.mask, 300, rect(92, 52, 109, 69));
    const n = await r.decode({ points: [{ x: 50.5, y: 50.5, positive: true }, { x: 58.5, y: 50.5, positive: false }] });
    assertMask(n.mask, 300, (x, y) => x >= 42 && x <= 58 && y >= 42 && y <= 58 && !(x >= 54 && y >= 46 && y <= 54));
    const b = await r.decode({ box: { x0: 40, y0: 20, x1: 200, y1: 100 } });
    assertMask(b.mask, 300, rect(40, 20, 200, 100));
  });

  it('EfficientSAM: an image over 1024 px is shrunk for the model and the mask scaled back', async () => {
    const r = await load(esam);
    await r.embed(rgb(2048, 1024, () => [0, 0, 0]));
    // Input 1024x512: click (200.5, 120.5) -> (100.25, 60.25); r 8 -> input pixels x 92..107, y 52..67
    // -> image x 184..215, y 104..135.
    const m = await r.decode({ points: [{ x: 200.5, y: 120.5, positive: true }] });
    assertMask(m.mask, 2048, rect(184, 104, 216, 136));
  });

  it('a variant whose decoder does not match the files is refused with the missing input named', async () => {
    await assert.rejects(load({ ...sam2, variant: 'sam' }), /decoder: input 'image_embeddings' missing .*'sam' variant/);
    await assert.rejects(load({ ...esam, variant: 'sam2' }), /decoder: input 'image_embed' missing/);
    assert.throws(() => validateEntry({ ...sam2, variant: 'sam3' }, 'test'), /variant must be one of sam, sam2, efficientsam/);
  });

  it('Add model... proposes the variant and part from the I/O names', async () => {
    const cases: [string, string, string][] = [
      ['sam_encoder.onnx', 'sam', 'encoder'], ['sam_decoder.onnx', 'sam', 'decoder'],
      ['sam2_encoder.onnx', 'sam2', 'encoder'], ['sam2_decoder.onnx', 'sam2', 'decoder'],
      ['efficientsam_encoder.onnx', 'efficientsam', 'encoder'], ['efficientsam_decoder.onnx', 'efficientsam', 'decoder'],
    ];
    for (const [file, variant, part] of cases) {
      const i = await inspectModel(path.join(FIXTURE_MODELS, file));
      assert.equal(i.family, 'promptable', file);
      assert.equal(i.variant, variant, file);
      assert.equal(i.samPart, part, file);
    }
  });
});
