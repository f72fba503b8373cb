// Promptable (SAM-family) sessions for the editor: the image embedding is computed once per image
// (and file version) and cached; each prompt then costs one decoder run. session.run executes on
// onnxruntime's own threads; only the pure pre/post-processing runs on the calling thread.
import type { RgbImage } from '../algorithms/models/preprocess';
import type { SamMask, SamPrompt } from '../algorithms/models/sam';
import type { ResolvedModel } from './manifest';
import type { SessionOptions } from './providers';
import { getRunner } from './runner';

export interface PromptTarget {
  /** Identifies the image version, e.g. path + mtime: a new key recomputes the embedding. */
  readonly key: string;
  image(): Promise<RgbImage>;
}

export async function promptMask(model: ResolvedModel, target: PromptTarget, prompt: SamPrompt, opts: SessionOptions = {}): Promise<SamMask & { provider: string }> {
  if (model.entry.family !== 'promptable') throw new Error(`model '${model.entry.id}' is ${model.entry.family}, not promptable`);
  const runner = await getRunner(model, opts);
  await runner.embed(() => target.image(), target.key);
  return { ...(await runner.decode(prompt)), provider: runner.provider };
}
