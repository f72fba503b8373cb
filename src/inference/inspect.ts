// "Add model...": read an .onnx file's inputs and outputs and propose a manifest entry.
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { detectVariant, type PromptVariant } from '../algorithms/models/samVariants';
import { ModelFileError } from './providers';
import type { ModelEntry, ModelFamily } from './manifest';

export interface TensorInfo { readonly name: string; readonly type: string; readonly shape: readonly (number | string)[] }

export interface Inspection {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** The proposed family, or null when the I/O fits none (with `why`). */
  readonly family: ModelFamily | null;
  /** Set for a SAM-style decoder or encoder file: the other half is needed too. */
  readonly samPart?: 'encoder' | 'decoder';
  /** Set with samPart: which export (the entry's "variant"). */
  readonly variant?: PromptVariant;
  readonly why: string;
  /** A starting entry (file relative to `baseDir` when given); the user confirms id and classes. */
  readonly entry?: ModelEntry;
}

const info = (names: readonly string[], meta: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] =>
  names.map((name) => {
    const m = meta.find((x) => x.name === name);
    return m && m.isTensor ? { name, type: m.type, shape: [...m.shape] } : { name, type: 'non-tensor', shape: [] };
  });

export async function inspectModel(file: string, baseDir?: string): Promise<Inspection> {
  let s: ort.InferenceSession;
  try {
    s = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  } catch (e) {
    throw new ModelFileError(file, (e as Error).message);
  }
  try {
    const inputs = info(s.inputNames, s.inputMetadata);
    const outputs = info(s.outputNames, s.outputMetadata);
    return { inputs, outputs, ...propose(inputs, outputs, baseDir ? path.relative(baseDir, file) : file) };
  } finally {
    await s.release();
  }
}

const num = (v: number | string | undefined): number | null => (typeof v === 'number' && v > 0 ? v : null);

/** Pure: proposes a family from input/output names and shapes. */
export function propose(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], file: string): Omit<Inspection, 'inputs' | 'outputs'> {
  const names = new Set(outputs.map((o) => o.name));
  const id = path.basename(file).replace(/\.onnx$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-');
  const sv = detectVariant(inputs.map((i) => i.name), outputs.map((o) => o.name));
  if (sv && sv.variant !== 'sam') {
    const what = sv.variant === 'sam2' ? 'SAM2 (samexporter)' : 'EfficientSAM';
    return { family: 'promptable', samPart: sv.part, variant: sv.variant, why: `inputs ${inputs.map((i) => i.name).join(', ')} -> outputs ${outputs.map((o) => o.name).join(', ')}: an ${what} ${sv.part}; pick its ${sv.part === 'encoder' ? 'decoder' : 'encoder'} too ("variant": "${sv.variant}")` };
  }
  if (names.has('masks') && names.has('iou_predictions')) {
    return { family: 'promptable', samPart: 'decoder', variant: 'sam', why: 'outputs masks + iou_predictions: a SAM-style decoder; pick its encoder too' };
  }
  if (names.has('image_embeddings') || (outputs.length === 1 && outputs[0].shape.length === 4 && num(outputs[0].shape[1]) === 256 && num(outputs[0].shape[2]) === 64)) {
    return { family: 'promptable', samPart: 'encoder', variant: 'sam', why: 'outputs a [1, 256, 64, 64] image embedding: a SAM-style encoder; pick its decoder too' };
  }
  const img = inputs[0];
  if (!img || img.shape.length !== 4 || (num(img.shape[1]) !== null && img.shape[1] !== 3)) {
    return { family: null, why: `input ${img ? `'${img.name}' [${img.shape.join(', ')}]` : '(none)'} is not an NCHW RGB image [N, 3, H, W]` };
  }
  const H = num(img.shape[2]), W = num(img.shape[3]);
  const size: [number, number] | undefined = H && W ? [W, H] : undefined;
  const o3 = outputs.find((o) => o.shape.length === 3), o4 = outputs.find((o) => o.shape.length === 4);
  if (outputs.length >= 2 && o3 && o4 && num(o4.shape[1])) {
    const nm = num(o4.shape[1]) as number;
    const C = num(o3.shape[1]) ?? 0, C2 = num(o3.shape[2]) ?? 0;
    const nc = (C > 4 + nm && C < (C2 || Infinity) ? C : C2) - 4 - nm;
    if (nc >= 1) {
      return {
        family: 'instance', why: `outputs ${o3.name} [${o3.shape.join(', ')}] + ${o4.name} [${o4.shape.join(', ')}]: YOLO-seg (boxes, ${nc} class scores, ${nm} mask coefficients; prototypes)`,
        entry: { id, family: 'instance', file, classes: Array.from({ length: nc }, (_, i) => `class${i}`), input: { name: img.name, resize: 'letterbox', ...(size ? { size } : { size: [640, 640] }), padValue: 114 / 255 }, outputs: [o3.name, o4.name] },
      };
    }
  }
  if (outputs.length >= 1 && outputs[0].shape.length === 4) {
    const C = num(outputs[0].shape[1]);
    const norm = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;
    const input: ModelEntry['input'] = size
      ? { name: img.name, resize: 'stretch', size, ...norm }
      : { name: img.name, resize: 'multiple-of', multiple: 32, limitSideLen: 1024, ...norm };
    if (C === 1) {
      return { family: 'salient', why: `one output ${outputs[0].name} [${outputs[0].shape.join(', ')}]: a single-channel probability map (salient / foreground); check mean/std and whether it outputs logits`, entry: { id, family: 'salient', file, classes: ['foreground'], input, outputs: [outputs[0].name] } };
    }
    return { family: 'semantic', why: `one output ${outputs[0].name} [${outputs[0].shape.join(', ')}]: per-pixel class scores (argmax); name the ${C ?? 'N'} classes in order`, entry: { id, family: 'semantic', file, classes: Array.from({ length: C ?? 2 }, (_, i) => (i === 0 ? 'background' : `class${i}`)), input, outputs: [outputs[0].name] } };
  }
  return { family: null, why: `outputs ${outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join(', ')} match no supported family (semantic, salient, YOLO-seg, SAM)` };
}
