// Variants of the promptable (SAM-family) family: the I/O names, encoder input and decoder feeds of
// segment-anything / MobileSAM, SAM2 (samexporter export_sam2.py, as in its sam2_onnx.py) and
// EfficientSAM (yformer/EfficientSAM export_to_onnx.py, as labelme runs it). Pure.
//
// - 'sam': see sam.ts.
// - 'sam2': encoder `image` [1,3,1024,1024], RGB stretched to 1024x1024 (aspect not kept), ImageNet
//   mean/std on 0..1 -> high_res_feats_0 [1,32,256,256], high_res_feats_1 [1,64,128,128], image_embed
//   [1,256,64,64]. Decoder: those three + point_coords [1,N,2] (input frame), point_labels [1,N]
//   (1/0, 2/3 box corners, -1 padding point without a box), mask_input [1,1,256,256], has_mask_input [1]
//   (orig_im_size [2] too when the export has it) -> masks [1,M,h,w] logits over the input frame
//   (256x256 low-res or 1024x1024), iou_predictions [1,M].
// - 'efficientsam': encoder `batched_images` [1,3,H,W], RGB 0..1 without normalisation at the image's
//   own size (the model resizes inside), here shrunk so the longest side is at most 1024 -> image_embeddings.
//   Decoder: image_embeddings, batched_point_coords [1,1,N,2] (input pixels), batched_point_labels [1,1,N]
//   (1/0, 2/3 box corners), orig_im_size [2] = [H, W] of the input (int64 in the export) ->
//   output_masks [1,1,M,H,W] logits, iou_predictions [1,1,M].
import type { Geometry } from './geometry';
import type { FloatTensor, InputSpec } from './preprocess';
import { SAM_ENCODER_INPUT, samDecoderFeeds, type SamPrompt } from './sam';

export type PromptVariant = 'sam' | 'sam2' | 'efficientsam';
export const PROMPT_VARIANTS: readonly PromptVariant[] = ['sam', 'sam2', 'efficientsam'];

export interface VariantIo {
  /** Encoder input name (undefined: the encoder's first input). */
  readonly encoderInput?: string;
  /** Encoder outputs fed to the decoder under the same name; for 'sam' the first output, whatever its name. */
  readonly encoderOutputs: readonly string[];
  /** Decoder inputs that must exist. */
  readonly decoderInputs: readonly string[];
  /** Decoder outputs: [masks, iou]. */
  readonly decoderOutputs: readonly [string, string];
}

export const VARIANT_IO: Readonly<Record<PromptVariant, VariantIo>> = {
  sam: {
    encoderOutputs: ['image_embeddings'],
    decoderInputs: ['image_embeddings', 'point_coords', 'point_labels', 'orig_im_size'],
    decoderOutputs: ['masks', 'iou_predictions'],
  },
  sam2: {
    encoderInput: 'image',
    encoderOutputs: ['high_res_feats_0', 'high_res_feats_1', 'image_embed'],
    decoderInputs: ['image_embed', 'high_res_feats_0', 'high_res_feats_1', 'point_coords', 'point_labels'],
    decoderOutputs: ['masks', 'iou_predictions'],
  },
  efficientsam: {
    encoderInput: 'batched_images',
    encoderOutputs: ['image_embeddings'],
    decoderInputs: ['image_embeddings', 'batched_point_coords', 'batched_point_labels', 'orig_im_size'],
    decoderOutputs: ['output_masks', 'iou_predictions'],
  },
};

export const SAM2_ENCODER_INPUT: InputSpec = {
  resize: 'stretch', size: [1024, 1024], scale: 1 / 255,
  mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
};

/** Longest side shrunk to at most 1024 (never enlarged, no padding), 0..1 RGB. */
export const EFFICIENTSAM_ENCODER_INPUT: InputSpec = { resize: 'multiple-of', multiple: 1, limitSideLen: 1024, limitType: 'max', scale: 1 / 255 };

/** The variant's default encoder input spec (an entry's `input` overrides its fields). */
export function variantInputSpec(v: PromptVariant): InputSpec {
  switch (v) {
    case 'sam': return SAM_ENCODER_INPUT;
    case 'sam2': return SAM2_ENCODER_INPUT;
    case 'efficientsam': return EFFICIENTSAM_ENCODER_INPUT;
    default: throw new Error(`variant '${String(v)}' is unknown (${PROMPT_VARIANTS.join(', ')})`);
  }
}

/** An entry's `variant` field checked; undefined means 'sam'. */
export function parseVariant(v: unknown): PromptVariant {
  if (v === undefined) return 'sam';
  if (typeof v === 'string' && (PROMPT_VARIANTS as readonly string[]).includes(v)) return v as PromptVariant;
  throw new Error(`variant '${String(v)}' is unknown; use one of ${PROMPT_VARIANTS.join(', ')}`);
}

/**
 * The decoder's prompt feeds (everything but the encoder outputs), by input name. `has(name)` says
 * whether the decoder has that optional input (mask_input, has_mask_input, orig_im_size).
 */
export function variantDecoderFeeds(v: PromptVariant, prompt: SamPrompt, g: Geometry, has: (name: string) => boolean): Record<string, FloatTensor> {
  const f = samDecoderFeeds(prompt, g);
  const out: Record<string, FloatTensor> = {};
  if (v === 'efficientsam') {
    // No padding point: EfficientSAM's prompt encoder takes points and box corners as they are.
    let n = f.point_labels.dims[1];
    if (!prompt.box) n -= 1;
    out.batched_point_coords = { dims: [1, 1, n, 2], data: f.point_coords.data.slice(0, n * 2) };
    out.batched_point_labels = { dims: [1, 1, n], data: f.point_labels.data.slice(0, n) };
    out.orig_im_size = { dims: [2], data: Float32Array.from([g.dstH, g.dstW]) };
    return out;
  }
  out.point_coords = f.point_coords;
  out.point_labels = f.point_labels;
  if (has('mask_input')) out.mask_input = f.mask_input;
  if (has('has_mask_input')) out.has_mask_input = f.has_mask_input;
  if (has('orig_im_size')) out.orig_im_size = v === 'sam' ? f.orig_im_size : { dims: [2], data: Float32Array.from([g.dstH, g.dstW]) };
  return out;
}

/** Decoder outputs as [1, M, h, w] masks and [1, M] scores (EfficientSAM's extra query axis dropped). */
export function variantMaskOutputs(v: PromptVariant, masks: FloatTensor, iou: FloatTensor): [FloatTensor, FloatTensor] {
  if (v !== 'efficientsam') return [masks, iou];
  const names = VARIANT_IO.efficientsam.decoderOutputs;
  if (masks.dims.length !== 5 || masks.dims[0] !== 1 || masks.dims[1] !== 1) throw new Error(`output '${names[0]}' has shape [${masks.dims.join(', ')}]; EfficientSAM gives [1, 1, M, H, W]`);
  if (iou.dims.length !== 3 || iou.dims[0] !== 1 || iou.dims[1] !== 1) throw new Error(`output '${names[1]}' has shape [${iou.dims.join(', ')}]; EfficientSAM gives [1, 1, M]`);
  return [{ dims: masks.dims.slice(1), data: masks.data }, { dims: iou.dims.slice(1), data: iou.data }];
}

/** Which variant an encoder or decoder file is, from its input and output names; null when none fits. */
export function detectVariant(inputs: readonly string[], outputs: readonly string[]): { variant: PromptVariant; part: 'encoder' | 'decoder' } | null {
  const ins = new Set(inputs), outs = new Set(outputs);
  if (ins.has('high_res_feats_0') && ins.has('point_coords') && outs.has('masks')) return { variant: 'sam2', part: 'decoder' };
  if (outs.has('high_res_feats_0') && outs.has('high_res_feats_1') && outs.has('image_embed')) return { variant: 'sam2', part: 'encoder' };
  if (ins.has('batched_point_coords') && outs.has('output_masks')) return { variant: 'efficientsam', part: 'decoder' };
  if (ins.has('batched_images') && outs.has('image_embeddings')) return { variant: 'efficientsam', part: 'encoder' };
  if (outs.has('masks') && outs.has('iou_predictions')) return { variant: 'sam', part: 'decoder' };
  if (outs.has('image_embeddings')) return { variant: 'sam', part: 'encoder' };
  return null;
}
