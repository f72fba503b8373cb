// A loaded model: session(s) on the chosen provider, input/output checks against the declared family,
// and the family's pure pre/post-processing around session.run. Cached by file + device; disposed
// explicitly. The only place (with providers.ts) that touches onnxruntime-node tensors.
import * as ort from 'onnxruntime-node';
import { buildClassMap, type ClassMapping } from '../algorithms/models/classMap';
import type { Geometry } from '../algorithms/models/geometry';
import { toInputTensor, type FloatTensor, type InputSpec, type RgbImage } from '../algorithms/models/preprocess';
import type { PrelabelResult } from '../algorithms/models/result';
import { samSelectMask, type SamMask, type SamPrompt } from '../algorithms/models/sam';
import { parseVariant, VARIANT_IO, variantDecoderFeeds, variantInputSpec, variantMaskOutputs } from '../algorithms/models/samVariants';
import { decodeSalient } from '../algorithms/models/salient';
import { decodeSemantic } from '../algorithms/models/semantic';
import { decodeTextDb } from '../algorithms/models/textDb';
import { decodeYoloSeg } from '../algorithms/models/yoloSeg';
import { firstPaintClass, type DatasetConfig } from '../shared/config';
import { checkModelFile, type ModelEntry, type ResolvedModel } from './manifest';
import { createSession, type Provider, type ProviderAttempt, type SessionOptions } from './providers';

export interface MapOptions {
  readonly config: DatasetConfig;
  readonly classMap?: ClassMapping;
  /** Class for unmatched model classes when the dataset has no config file. */
  readonly fallbackClass?: number;
  /** Overrides of the entry's postprocess options (from the dataset config's models[].options). */
  readonly postprocess?: Readonly<Record<string, unknown>>;
}

/**
 * How a model's classes land in a dataset: the config's models[].options for this model (classMap,
 * postprocess), and, when the dataset has no config file, its first paintable class for classes the
 * config does not list.
 */
export function datasetMapOptions(modelId: string, config: DatasetConfig, configFile: string | null): MapOptions {
  const o = config.models.find((m) => m.id === modelId)?.options ?? {};
  return {
    config,
    classMap: (o.classMap as MapOptions['classMap']) ?? undefined,
    postprocess: (o.postprocess as MapOptions['postprocess']) ?? undefined,
    fallbackClass: configFile === null ? firstPaintClass(config) : undefined,
  };
}

const toOrt = (t: FloatTensor): ort.Tensor => new ort.Tensor('float32', t.data, t.dims as number[]);
function fromOrt(v: ort.OnnxValue | undefined, name: string): FloatTensor {
  if (!v || !(v instanceof ort.Tensor)) throw new Error(`the model did not return output '${name}'`);
  if (v.type !== 'float32') throw new Error(`output '${name}' is ${v.type}; float32 is expected`);
  return { dims: [...v.dims], data: v.data as Float32Array };
}

function checkInput(session: ort.InferenceSession, spec: InputSpec, id: string, name?: string): string {
  const inName = name ?? session.inputNames[0];
  const meta = session.inputMetadata.find((m) => m.name === inName);
  if (!meta) throw new Error(`model '${id}': input '${inName}' not found; the model's inputs are ${session.inputNames.join(', ')}`);
  if (meta.isTensor) {
    const s = meta.shape;
    if (s.length && s.length !== 4) throw new Error(`model '${id}': input '${inName}' has rank ${s.length} [${s.join(', ')}]; an image model needs rank 4 [N, 3, H, W]`);
    if (s.length && typeof s[1] === 'number' && s[1] !== 3) throw new Error(`model '${id}': input '${inName}' has ${s[1]} channels; 3 (NCHW) are expected`);
    if (s.length && spec.size && typeof s[2] === 'number' && typeof s[3] === 'number' && (s[2] !== spec.size[1] || s[3] !== spec.size[0])) {
      throw new Error(`model '${id}': input '${inName}' is ${s[3]}x${s[2]} but the entry's input.size is ${spec.size[0]}x${spec.size[1]}`);
    }
  }
  return inName;
}

function outputNames(session: ort.InferenceSession, m: ResolvedModel, count: number): string[] {
  const declared = (m.entry.outputs ?? []).map((o) => (typeof o === 'string' ? o : o.name));
  const names = declared.length ? declared : session.outputNames.slice(0, count);
  if (names.length < count) throw new Error(`model '${m.entry.id}': the ${m.entry.family} family needs ${count} output(s); the model has ${session.outputNames.join(', ') || 'none'}`);
  for (const n of names) if (!session.outputNames.includes(n)) throw new Error(`model '${m.entry.id}': output '${n}' not found; the model's outputs are ${session.outputNames.join(', ')}`);
  return names.slice(0, count);
}

export function inputSpecOf(e: ModelEntry): InputSpec {
  return e.family === 'promptable' ? { ...variantInputSpec(parseVariant(e.variant)), ...e.input } : e.input;
}

/** Throws before any inference when the model cannot label this dataset (promptable, or classes missing). */
export function checkMapping(e: ModelEntry, map: MapOptions): void {
  if (e.family === 'promptable') throw new Error(`model '${e.id}' is promptable: it needs clicks or a box (the SAM tool), not a whole-image pre-label`);
  buildClassMap(e.id, e.classes, map.config, { mapping: map.classMap, fallbackClass: map.fallbackClass });
}

/** Post-processing (pure): the family's outputs -> label maps in dataset classes. */
export function finishOutputs(e: ModelEntry, names: readonly string[], outputs: FloatTensor[], g: Geometry, map: MapOptions): PrelabelResult {
  checkMapping(e, map);
  const pp = { ...(e.postprocess ?? {}), ...(map.postprocess ?? {}), semanticBits: map.config.semanticBits };
  const classMap = buildClassMap(e.id, e.classes, map.config, { mapping: map.classMap, fallbackClass: map.fallbackClass });
  const bg = map.config.backgroundId;
  switch (e.family) {
    case 'text':
      if (classMap[0] < 0) throw new Error(`model '${e.id}': class '${e.classes[0]}' is mapped to background; nothing to label`);
      return decodeTextDb(outputs[0], g, classMap[0], bg, pp, names[0]);
    case 'semantic': return decodeSemantic(outputs[0], g, classMap, bg, pp, names[0]);
    case 'salient': return decodeSalient(outputs[0], g, classMap[0], bg, pp, names[0]);
    case 'instance': return decodeYoloSeg(outputs[0], outputs[1], g, classMap, bg, pp, [names[0], names[1]]).result;
    case 'promptable': throw new Error(`model '${e.id}' is promptable`);
  }
}

export class ModelRunner {
  /** The encoder's outputs for one image, by decoder input name (`tensor`: the main embedding). */
  private embedding: { key: unknown; tensor: ort.Tensor; feeds: Record<string, ort.Tensor>; geometry: Geometry } | undefined;
  private constructor(
    readonly model: ResolvedModel,
    readonly session: ort.InferenceSession,
    readonly decoder: ort.InferenceSession | undefined,
    readonly provider: Provider,
    readonly attempts: readonly ProviderAttempt[],
    private readonly inputName: string,
    private readonly outputs: string[],
  ) {}

  static async load(model: ResolvedModel, opts: SessionOptions = {}): Promise<ModelRunner> {
    const e = model.entry;
    const sha = typeof e.sha256 === 'string' ? e.sha256 : e.sha256?.encoder;
    await checkModelFile(model.file, sha, `model '${e.id}'`);
    const { session, provider, attempts } = await createSession(model.file, opts);
    try {
      let decoder: ort.InferenceSession | undefined;
      if (e.family === 'promptable') {
        if (!model.decoderFile) throw new Error(`model '${e.id}': a promptable model needs a decoder file`);
        await checkModelFile(model.decoderFile, typeof e.sha256 === 'object' ? e.sha256.decoder : undefined, `model '${e.id}' decoder`);
        decoder = (await createSession(model.decoderFile, { ...opts, device: provider })).session;
        const v = parseVariant(e.variant), io = VARIANT_IO[v];
        for (const n of io.decoderInputs) {
          if (!decoder.inputNames.includes(n)) throw new Error(`model '${e.id}' decoder: input '${n}' missing (has ${decoder.inputNames.join(', ')}); the '${v}' variant's decoder is expected (set "variant": sam, sam2 or efficientsam)`);
        }
        for (const n of io.decoderOutputs) {
          if (!decoder.outputNames.includes(n)) throw new Error(`model '${e.id}' decoder: output '${n}' missing (has ${decoder.outputNames.join(', ')}); the '${v}' variant's decoder is expected`);
        }
        if (v !== 'sam') {
          for (const n of io.encoderOutputs) {
            if (!session.outputNames.includes(n)) throw new Error(`model '${e.id}' encoder: output '${n}' missing (has ${session.outputNames.join(', ')}); the '${v}' variant's encoder is expected`);
          }
        }
      }
      const variantInput = e.family === 'promptable' ? VARIANT_IO[parseVariant(e.variant)].encoderInput : undefined;
      const inputName = checkInput(session, inputSpecOf(e), e.id, e.input.name ?? variantInput);
      const outputs = e.family === 'promptable' && parseVariant(e.variant) !== 'sam'
        ? [...VARIANT_IO[parseVariant(e.variant)].encoderOutputs]
        : outputNames(session, model, e.family === 'instance' ? 2 : 1);
      return new ModelRunner(model, session, decoder, provider, attempts, inputName, outputs);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  get id(): string { return this.model.entry.id; }

  /** Output names, in the order infer() returns them. */
  get outputNames(): readonly string[] { return this.outputs; }

  inputSpec(): InputSpec { return inputSpecOf(this.model.entry); }

  /** Pure pre-processing (safe to run while another image is in session.run). */
  prepare(img: RgbImage): { tensor: FloatTensor; geometry: Geometry } { return toInputTensor(img, this.inputSpec()); }

  /** session.run on a prepared tensor; returns the family's outputs in order. */
  async infer(tensor: FloatTensor): Promise<FloatTensor[]> {
    const res = await this.session.run({ [this.inputName]: toOrt(tensor) }, this.outputs);
    return this.outputs.map((n) => fromOrt(res[n], n));
  }

  finish(outputs: FloatTensor[], g: Geometry, map: MapOptions): PrelabelResult { return finishOutputs(this.model.entry, this.outputs, outputs, g, map); }

  checkMapping(map: MapOptions): void { checkMapping(this.model.entry, map); }

  /** The whole pre-label of one image. */
  async prelabel(img: RgbImage, map: MapOptions): Promise<PrelabelResult> {
    this.checkMapping(map);
    const { tensor, geometry } = this.prepare(img);
    return this.finish(await this.infer(tensor), geometry, map);
  }

  /** SAM: computes (or reuses, when `key` is the same) the image embedding. */
  async embed(img: RgbImage | (() => Promise<RgbImage>), key: unknown = img): Promise<void> {
    if (!this.decoder) throw new Error(`model '${this.id}' is not promptable`);
    if (this.embedding && this.embedding.key === key) return;
    if (typeof img === 'function') img = await img();
    const { tensor, geometry } = this.prepare(img);
    const out = await this.session.run({ [this.inputName]: toOrt(tensor) });
    const v = parseVariant(this.model.entry.variant);
    const feeds: Record<string, ort.Tensor> = {};
    if (v === 'sam') {
      const emb = out[this.outputs[0]] ?? out[this.session.outputNames[0]];
      if (!(emb instanceof ort.Tensor) || emb.dims.length !== 4) throw new Error(`model '${this.id}' encoder: output is not a 4-D image embedding`);
      feeds.image_embeddings = emb;
    } else {
      for (const n of VARIANT_IO[v].encoderOutputs) {
        const t = out[n];
        if (!(t instanceof ort.Tensor) || t.dims.length !== 4) throw new Error(`model '${this.id}' encoder: output '${n}' is not a 4-D tensor`);
        feeds[n] = t;
      }
    }
    const main = feeds.image_embeddings ?? feeds.image_embed;
    this.embedding = { key, tensor: main, feeds, geometry };
  }

  /** SAM: one prompt -> the mask with the best predicted IoU, in image pixels. */
  async decode(prompt: SamPrompt): Promise<SamMask> {
    if (!this.decoder || !this.embedding) throw new Error(`model '${this.id}': call embed(image) before decode(prompt)`);
    const g = this.embedding.geometry;
    const v = parseVariant(this.model.entry.variant);
    const decoder = this.decoder;
    const feeds: Record<string, ort.Tensor> = { ...this.embedding.feeds };
    for (const [name, t] of Object.entries(variantDecoderFeeds(v, prompt, g, (n) => decoder.inputNames.includes(n)))) {
      // orig_im_size is float32 in segment-anything's export, int64 in EfficientSAM's.
      const meta = decoder.inputMetadata.find((m) => m.name === name);
      feeds[name] = meta && meta.isTensor && meta.type === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from(t.data, (x) => BigInt(Math.round(x))), t.dims as number[])
        : toOrt(t);
    }
    const names = VARIANT_IO[v].decoderOutputs;
    const out = await decoder.run(feeds, [...names]);
    const [masks, iou] = variantMaskOutputs(v, fromOrt(out[names[0]], names[0]), fromOrt(out[names[1]], names[1]));
    return samSelectMask(masks, iou, g, 0, names);
  }

  async dispose(): Promise<void> {
    this.embedding = undefined;
    await this.session.release();
    if (this.decoder) await this.decoder.release();
  }
}

const cache = new Map<string, Promise<ModelRunner>>();

/** A cached runner per model file and device; a failed load is not cached. */
export function getRunner(model: ResolvedModel, opts: SessionOptions = {}): Promise<ModelRunner> {
  const key = `${model.entry.id}\0${model.file}\0${model.decoderFile ?? ''}\0${opts.device ?? 'auto'}\0${opts.threads ?? 0}`;
  let p = cache.get(key);
  if (!p) {
    p = ModelRunner.load(model, opts);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export async function disposeRunners(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map((p) => p.then((r) => r.dispose(), () => undefined)));
}
