// Promptable (SAM-family) pre/post-processing for the encoder/decoder ONNX exports of
// segment-anything's scripts/export_onnx_model.py, as labelme and X-AnyLabeling run them. Pure.
//
// Encoder: RGB resized so the longest side is 1024 ('longest-side'), normalised with mean
// [123.675, 116.28, 103.53] / std [58.395, 57.12, 57.375] on 0..255, padded right/bottom with 0 ->
// image_embeddings [1, 256, 64, 64]; computed once per image and cached by the caller.
// Decoder feeds: image_embeddings, point_coords [1, N, 2] (x, y in the resized frame), point_labels
// [1, N] (1 positive, 0 negative, 2/3 box corners, -1 padding point when there is no box),
// mask_input [1, 1, 256, 256] zeros, has_mask_input [1] = 0, orig_im_size [2] = [H, W].
// Outputs: masks [1, M, H, W] logits at the original size (or [1, M, 256, 256] low-res over the padded
// 1024 frame, which is unpadded here), iou_predictions [1, M]; the mask with the best predicted IoU wins.
import type { Geometry } from './geometry';
import { sampleAtSource, type FloatTensor } from './preprocess';
import { expectDims } from './result';

export const SAM_ENCODER_INPUT = {
  resize: 'longest-side', size: [1024, 1024], scale: 1,
  mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], padValue: 0,
} as const;

export interface SamPoint {
  /** Image pixel coordinates (x right, y down; pixel centres at i + 0.5). */
  readonly x: number;
  readonly y: number;
  readonly positive: boolean;
}

export interface SamPrompt {
  readonly points?: readonly SamPoint[];
  /** A box in image pixel coordinates. */
  readonly box?: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
}

export interface SamDecoderFeeds {
  readonly point_coords: FloatTensor;
  readonly point_labels: FloatTensor;
  readonly mask_input: FloatTensor;
  readonly has_mask_input: FloatTensor;
  readonly orig_im_size: FloatTensor;
}

/** Builds the decoder's prompt feeds (everything but image_embeddings) for `g` (the encoder's geometry). */
export function samDecoderFeeds(prompt: SamPrompt, g: Geometry, maskInputSize = 256): SamDecoderFeeds {
  const pts = prompt.points ?? [];
  if (pts.length === 0 && !prompt.box) throw new Error('a SAM prompt needs at least one point or a box');
  const coords: number[] = [], labels: number[] = [];
  const inImage = (x: number, y: number, what: string): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0 || x > g.srcW || y > g.srcH) {
      throw new RangeError(`${what} (${x}, ${y}) is outside the ${g.srcW}x${g.srcH} image`);
    }
  };
  pts.forEach((p, i) => {
    inImage(p.x, p.y, `point ${i}`);
    coords.push(p.x * g.scaleX, p.y * g.scaleY);
    labels.push(p.positive ? 1 : 0);
  });
  if (prompt.box) {
    const b = prompt.box;
    inImage(b.x0, b.y0, 'box corner');
    inImage(b.x1, b.y1, 'box corner');
    coords.push(Math.min(b.x0, b.x1) * g.scaleX, Math.min(b.y0, b.y1) * g.scaleY, Math.max(b.x0, b.x1) * g.scaleX, Math.max(b.y0, b.y1) * g.scaleY);
    labels.push(2, 3);
  } else {
    coords.push(0, 0);
    labels.push(-1);
  }
  const n = labels.length;
  return {
    point_coords: { dims: [1, n, 2], data: Float32Array.from(coords) },
    point_labels: { dims: [1, n], data: Float32Array.from(labels) },
    mask_input: { dims: [1, 1, maskInputSize, maskInputSize], data: new Float32Array(maskInputSize * maskInputSize) },
    has_mask_input: { dims: [1], data: new Float32Array(1) },
    orig_im_size: { dims: [2], data: Float32Array.from([g.srcH, g.srcW]) },
  };
}

export interface SamMask {
  /** 1 inside, 0 outside; srcW x srcH. */
  readonly mask: Uint8Array;
  /** Predicted IoU of the chosen mask. */
  readonly score: number;
  /** Which of the M masks was chosen. */
  readonly index: number;
  readonly area: number;
}

/** Picks the mask with the best predicted IoU and brings it to the source image (logit > threshold, default 0). */
export function samSelectMask(masks: FloatTensor, iou: FloatTensor, g: Geometry, threshold = 0, names: readonly [string, string] = ['masks', 'iou_predictions']): SamMask {
  expectDims(names[0], masks.dims, [1, null, null, null], 'promptable (SAM)');
  const [, M, h, w] = masks.dims;
  expectDims(names[1], iou.dims, [1, M], 'promptable (SAM)');
  let index = 0;
  for (let m = 1; m < M; m++) if (iou.data[m] > iou.data[index]) index = m;
  const plane = masks.data.subarray(index * h * w, (index + 1) * h * w);
  const out = new Uint8Array(g.srcW * g.srcH);
  let area = 0;
  if (h === g.srcH && w === g.srcW) {
    for (let i = 0; i < out.length; i++) if (plane[i] > threshold) { out[i] = 1; area++; }
  } else if (h > 0 && w > 0 && w * g.dstH === h * g.dstW) {
    // Low-res masks over the (padded or stretched) input frame, square or of the tensor's aspect.
    sampleAtSource(plane, w, h, g, (i, v) => { if (v > threshold) { out[i] = 1; area++; } });
  } else {
    throw new Error(`output '${names[0]}' is ${w}x${h}: neither the image size ${g.srcW}x${g.srcH} nor a low-res mask of the ${g.dstW}x${g.dstH} input frame`);
  }
  return { mask: out, score: iou.data[index], index, area };
}
