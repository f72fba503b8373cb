// The mask editor's promptable-model (SAM-family) requests, without vscode: pick the model, check
// the prompt against the image, run promptMask (embedding cached per image key), and crop the
// chosen mask to its bounding rectangle for the reply. Requests run one at a time: the runner
// holds one embedding, so an embed for another image must not slip between an embed and its decode.
import type { SamPrompt } from '../algorithms/models/sam';
import type { SamPromptRequest, SamPromptResult } from '../shared/protocol';
import type { ResolvedModel } from './manifest';
import { promptMask, type PromptTarget } from './prompt';
import type { SessionOptions } from './providers';

export const NO_PROMPTABLE_MODEL = 'no promptable model is registered: run "Maskwright: Add model..." with a SAM-family encoder and decoder (how to export them: the README, "Pre-labelling with a model")';

/**
 * The promptable model to use: `preferredId` when given (an error names it and the promptable ids
 * when it is unknown or of another family), else the first promptable model among `datasetIds`
 * (the dataset config's models), else the first promptable model of `models`.
 */
export function pickPromptModel(models: readonly ResolvedModel[], preferredId?: string, datasetIds: readonly string[] = []): ResolvedModel {
  const promptable = models.filter((m) => m.entry.family === 'promptable');
  const fromDataset = datasetIds.map((id) => promptable.find((m) => m.entry.id === id)).find((m) => m !== undefined);
  if (!preferredId && fromDataset) return fromDataset;
  if (preferredId) {
    const m = models.find((x) => x.entry.id === preferredId);
    if (!m) throw new Error(`maskwright.promptModel: model '${preferredId}' is unknown; promptable models: ${promptable.map((x) => x.entry.id).join(', ') || '(none)'}`);
    if (m.entry.family !== 'promptable') throw new Error(`maskwright.promptModel: model '${preferredId}' is ${m.entry.family}, not promptable`);
    return m;
  }
  if (!promptable.length) throw new Error(NO_PROMPTABLE_MODEL);
  return promptable[0];
}

/** The wire prompt as the model's prompt, after checking every coordinate lies on the width x height image. */
export function toSamPrompt(p: SamPromptRequest, width: number, height: number): SamPrompt {
  const check = (x: number, y: number, what: string): void => {
    if (!(x >= 0 && y >= 0 && x <= width && y <= height)) throw new RangeError(`${what} (${x}, ${y}) is outside the ${width}x${height} image`);
  };
  p.points.forEach((q, i) => check(q.x, q.y, `point ${i}`));
  if (p.box) {
    check(p.box.x0, p.box.y0, 'box corner');
    check(p.box.x1, p.box.y1, 'box corner');
  }
  if (!p.points.length && !p.box) throw new Error('a prompt needs at least one point or a box');
  return {
    points: p.points.map((q) => ({ x: q.x, y: q.y, positive: q.label === 1 })),
    ...(p.box ? { box: { ...p.box } } : {}),
  };
}

/** A full-size 0/1 mask cropped to the bounding rectangle of its non-zero pixels. */
export function cropMask(mask: Uint8Array, width: number, height: number): Pick<SamPromptResult, 'rect' | 'mask'> {
  if (mask.length !== width * height) throw new Error(`mask has ${mask.length} values, the image ${width}x${height}`);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!mask[row + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return { rect: { x: 0, y: 0, w: 0, h: 0 }, mask: new Uint8Array(0) };
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const s = (y0 + y) * width + x0;
    for (let x = 0; x < w; x++) out[y * w + x] = mask[s + x] ? 1 : 0;
  }
  return { rect: { x: x0, y: y0, w, h }, mask: out };
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every earlier queued request has settled. */
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * One editor prompt on the image `target` (width x height pixels): the best mask, cropped, with the
 * model's score and id. The embedding is computed on the first prompt for `target.key` and reused.
 * When `signal` is aborted before the request's turn comes, it is refused without running.
 */
export async function runSamPrompt(model: ResolvedModel, target: PromptTarget, width: number, height: number, prompt: SamPromptRequest, opts: SessionOptions = {}, signal?: AbortSignal): Promise<SamPromptResult> {
  const p = toSamPrompt(prompt, width, height);
  return serialized(async () => {
    // A prompt superseded while it waited (the user clicked again) is not run.
    if (signal?.aborted) throw new Error('superseded by a newer prompt');
    const m = await promptMask(model, target, p, opts);
    if (m.mask.length !== width * height) throw new Error(`model '${model.entry.id}' returned a mask of ${m.mask.length} values for the ${width}x${height} image`);
    return { ...cropMask(m.mask, width, height), score: m.score, modelId: model.entry.id };
  });
}
