// Pure pre/post-processing of the promptable variants: decoder feeds per export, output reshaping
// and the errors that name a wrong variant or shape.
import * as assert from 'node:assert/strict';
import { planGeometry } from '../../../src/algorithms/models/geometry';
import { samSelectMask } from '../../../src/algorithms/models/sam';
import { detectVariant, parseVariant, variantDecoderFeeds, variantInputSpec, variantMaskOutputs } from '../../../src/algorithms/models/samVariants';

describe('promptable variants (pure)', () => {
  const prompt = { points: [{ x: 10, y: 20, positive: true }, { x: 30, y: 5, positive: false }] };

  it('SAM2: points in the stretched 1024 frame, padding point without a box, optional inputs only when present', () => {
    const g = planGeometry(512, 256, variantInputSpec('sam2'));
    const f = variantDecoderFeeds('sam2', prompt, g, (n) => n === 'mask_input' || n === 'has_mask_input');
    assert.deepEqual(Object.keys(f).sort(), ['has_mask_input', 'mask_input', 'point_coords', 'point_labels']);
    assert.deepEqual([...f.point_coords.data], [20, 80, 60, 20, 0, 0]);
    assert.deepEqual([...f.point_labels.data], [1, 0, -1]);
    assert.deepEqual(f.mask_input.dims, [1, 1, 256, 256]);
    const withSize = variantDecoderFeeds('sam2', { box: { x0: 100, y0: 10, x1: 0, y1: 0 } }, g, () => true);
    assert.deepEqual([...withSize.point_coords.data], [0, 0, 200, 40]);
    assert.deepEqual([...withSize.point_labels.data], [2, 3]);
    assert.deepEqual([...withSize.orig_im_size.data], [1024, 1024]);
  });

  it('EfficientSAM: [1,1,N,2] input-pixel coords, no padding point, orig_im_size = the input size', () => {
    const g = planGeometry(2048, 1000, variantInputSpec('efficientsam'));
    assert.deepEqual([g.dstW, g.dstH], [1024, 500]);
    const f = variantDecoderFeeds('efficientsam', prompt, g, () => true);
    assert.deepEqual(Object.keys(f).sort(), ['batched_point_coords', 'batched_point_labels', 'orig_im_size']);
    assert.deepEqual(f.batched_point_coords.dims, [1, 1, 2, 2]);
    assert.deepEqual([...f.batched_point_coords.data], [5, 10, 15, 2.5]);
    assert.deepEqual([...f.batched_point_labels.data], [1, 0]);
    assert.deepEqual([...f.orig_im_size.data], [500, 1024]);
    const b = variantDecoderFeeds('efficientsam', { ...prompt, box: { x0: 0, y0: 0, x1: 20, y1: 40 } }, g, () => true);
    assert.deepEqual([...b.batched_point_labels.data], [1, 0, 2, 3]);
    assert.deepEqual(b.batched_point_coords.dims, [1, 1, 4, 2]);
  });

  it('EfficientSAM outputs lose the query axis; wrong shapes and variants are named', () => {
    const [m, s] = variantMaskOutputs('efficientsam', { dims: [1, 1, 2, 2, 3], data: new Float32Array(12) }, { dims: [1, 1, 2], data: Float32Array.from([0.1, 0.8]) });
    assert.deepEqual([m.dims, s.dims], [[1, 2, 2, 3], [1, 2]]);
    assert.throws(() => variantMaskOutputs('efficientsam', { dims: [1, 2, 2, 3], data: new Float32Array(12) }, s), /output 'output_masks' has shape \[1, 2, 2, 3\]; EfficientSAM gives \[1, 1, M, H, W\]/);
    assert.throws(() => parseVariant('sam3'), /variant 'sam3' is unknown; use one of sam, sam2, efficientsam/);
    assert.equal(parseVariant(undefined), 'sam');
    assert.equal(detectVariant(['x'], ['y']), null);
  });

  it('a mask of neither the image size nor the input frame aspect is refused with both sizes', () => {
    const g = planGeometry(512, 256, variantInputSpec('efficientsam'));
    const iou = { dims: [1, 1], data: Float32Array.from([1]) };
    assert.throws(() => samSelectMask({ dims: [1, 1, 64, 64], data: new Float32Array(4096) }, iou, g), /'masks' is 64x64: neither the image size 512x256 nor a low-res mask of the 512x256 input frame/);
    const half = samSelectMask({ dims: [1, 1, 128, 256], data: new Float32Array(128 * 256).fill(1) }, iou, g);
    assert.equal(half.area, 512 * 256);
  });
});
