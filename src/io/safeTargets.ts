// Mask paths must never hit an image: a pattern that resolves to the image itself, or to another
// image of the dataset (a photo that happens to match the pattern, e.g. `{stem}_m.png` beside
// `a_m.png`), is refused before anything is written.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readTextChunksBeforeData } from '../algorithms/codecs/pngChunks';
import { DEFAULT_PATTERNS, type DatasetConfig } from '../shared/config';
import { isImageName, isMaskName } from '../shared/paths';
import { GENERATION_KEY } from '../shared/sidecar';
import { readLabelPng } from './labelPng';
import type { MaskFiles } from './masks';

/** A config whose mask patterns would write over a file that is not a mask. */
export class PatternCollisionError extends Error {
  override name = 'PatternCollisionError';
  constructor(readonly pattern: string, readonly file: string, why: string) {
    super(`pattern "${pattern}" would write over ${file}, ${why}; nothing was written. Change "patterns" in maskwright.json`);
  }
}

async function head(file: string, n: number): Promise<Uint8Array | null> {
  let fh;
  try { fh = await fsp.open(file, 'r'); } catch { return null; }
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** More distinct values than this in a gray or palette PNG: a picture, not a label map. */
export const MAX_MASK_VALUES = 64;

/**
 * Whether an existing file looks like a picture rather than a label mask: any non-PNG image, an
 * RGB / RGBA / gray+alpha PNG, or a gray / palette PNG with more than MAX_MASK_VALUES distinct
 * values, that Maskwright did not write (no generation chunk).
 */
export async function looksLikePhoto(file: string): Promise<boolean> {
  const b = await head(file, 64 * 1024);
  if (!b || b.length < 8) return false;
  const text = readTextChunksBeforeData(b);
  if (text === null) return true; // JPEG, BMP, WebP, TIFF...: not a mask format
  if (text.has(GENERATION_KEY)) return false;
  const colorType = b.length > 25 ? b[25] : 0;
  if (colorType === 2 || colorType === 4 || colorType === 6) return true;
  let png;
  try { png = await readLabelPng(file); } catch { return false; } // unreadable: validate reports it
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i++) {
    seen.add(png.data[i]);
    if (seen.size > MAX_MASK_VALUES) return true;
  }
  return false;
}

/** Throws PatternCollisionError when a target of `image` is the image itself or another image of its folder. */
export async function assertSafeTargets(image: string, files: MaskFiles, config: DatasetConfig): Promise<void> {
  const img = path.resolve(image);
  const dir = path.dirname(img);
  const entries: Array<[keyof MaskFiles, string]> = [['mask', files.mask], ['instances', files.instances], ['sidecar', files.sidecar]];
  for (const [key, target] of entries) {
    const pattern = config.patterns[key];
    const t = path.resolve(target);
    if (path.dirname(t) !== dir) throw new PatternCollisionError(pattern, t, 'which is outside the folder of the image');
    if (t.toLowerCase() === img.toLowerCase()) throw new PatternCollisionError(pattern, t, 'which is the image itself');
    const name = path.basename(t);
    if (isImageName(name) && !isMaskName(name, DEFAULT_PATTERNS)) {
      let st;
      try { st = await fsp.stat(t); } catch { continue; }
      if (!st.isFile()) throw new PatternCollisionError(pattern, t, 'which is not a file');
      if (await looksLikePhoto(t)) throw new PatternCollisionError(pattern, t, 'which is an image of the dataset, not a mask');
    }
  }
}
