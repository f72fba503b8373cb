// What every model family's post-processing produces: label maps in the dataset's class ids. Pure.
import type { SemanticIds } from '../../shared/maskModel';

export interface ResultInstance {
  /** Instance id in `instances` (1..65535). */
  readonly id: number;
  /** Dataset class id. */
  readonly class: number;
  /** Model confidence 0..1. */
  readonly score: number;
}

export interface PrelabelResult {
  readonly width: number;
  readonly height: number;
  /** Dataset class id per pixel (background where the model found nothing), in the dataset's type. */
  readonly semantic: SemanticIds;
  /** Instance id per pixel, 0 = none. */
  readonly instances: Uint16Array;
  readonly instanceList: readonly ResultInstance[];
}

/** Options every family's post-processing takes from the dataset. */
export interface DatasetTarget {
  /** The dataset's semantic mask depth (default 8): results are Uint16Array for 16. */
  readonly semanticBits?: 8 | 16;
}

export function emptyResult(width: number, height: number, backgroundId: number, semanticBits: 8 | 16 = 8): { width: number; height: number; semantic: SemanticIds; instances: Uint16Array; instanceList: ResultInstance[] } {
  const semantic = semanticBits === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  if (backgroundId !== 0) semantic.fill(backgroundId);
  return { width, height, semantic, instances: new Uint16Array(width * height), instanceList: [] };
}

/** Checks that an output tensor has the expected rank and, where given, sizes; names the output in the error. */
export function expectDims(name: string, dims: readonly number[], expected: readonly (number | null)[], family: string): void {
  const ok = dims.length === expected.length && expected.every((e, i) => e === null || dims[i] === e);
  if (!ok) {
    const want = '[' + expected.map((e) => (e === null ? '?' : String(e))).join(', ') + ']';
    throw new Error(`output '${name}' has shape [${dims.join(', ')}], but the ${family} family expects ${want}`);
  }
}
