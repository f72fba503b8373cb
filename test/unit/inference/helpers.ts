// Shared by the inference tests: model lookups and image decoding through the real io module.
import * as path from 'node:path';
import { decodeImage } from '../../../src/io/image';
import type { RgbImage } from '../../../src/algorithms/models/preprocess';
import { loadManifest, resolveEntry, validateEntry, type ModelEntry, type ResolvedModel } from '../../../src/inference/manifest';
import { ModelRunner } from '../../../src/inference/runner';
import { FIXTURE_IMAGES, LOCAL_FIXTURES } from '../../paths';

export const FIXTURE_MODELS = path.join(LOCAL_FIXTURES, 'models');

export function embedded(): ResolvedModel {
  const m = loadManifest().find((x) => x.entry.id === 'pp-ocrv4-det');
  if (!m) throw new Error('embedded model missing from the manifest');
  return m;
}

export function fixtureModel(raw: Partial<ModelEntry> & Record<string, unknown>): ResolvedModel {
  return resolveEntry(validateEntry(raw, 'test'), FIXTURE_MODELS, 'user');
}

/** Loads fixture models on CPU for one suite and disposes them after it (call inside describe). */
export function fixtureRunners(): (raw: Record<string, unknown>) => Promise<ModelRunner> {
  const runners: ModelRunner[] = [];
  after(async () => { for (const r of runners) await r.dispose(); });
  return async (raw) => {
    const r = await ModelRunner.load(fixtureModel(raw), { device: 'cpu' });
    runners.push(r);
    return r;
  };
}

export async function image(name: string): Promise<RgbImage> {
  const d = await decodeImage(path.join(FIXTURE_IMAGES, name), { channels: 3 });
  return { width: d.width, height: d.height, data: d.data };
}

/** A solid or painted synthetic RGB image. */
export function rgb(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 3);
  return { width, height, data };
}

export function count(a: ArrayLike<number>, pred: (v: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (pred(a[i])) n++;
  return n;
}
