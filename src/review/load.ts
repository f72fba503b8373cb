// Reading one version of an image's masks for comparisons: the saved files, the files at a git
// revision, another mask file. Only the mask PNGs are read (their size is the image's), so no image
// is decoded. Host side (node).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { newSemantic, type DatasetConfig } from '../shared/config';
import { decodeLabelPngBytes } from '../io/labelPng';
import { instancesFromPng, maskFilesFor, semanticFromPng } from '../io/masks';
import { showAtRevision } from './git';
import type { MaskVersion } from './labelDiff';

async function readOrNull(file: string): Promise<Uint8Array | null> {
  try { return new Uint8Array(await fsp.readFile(file)); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** A version from the bytes of its semantic and instance PNGs; null when neither exists. */
export function versionFromBytes(mask: Uint8Array | null, instances: Uint8Array | null, config: DatasetConfig, names: { mask: string; instances: string }): MaskVersion | null {
  if (!mask && !instances) return null;
  const sem = mask ? decodeLabelPngBytes(mask, names.mask) : null;
  const inst = instances ? decodeLabelPngBytes(instances, names.instances) : null;
  const width = (sem ?? inst)!.header.width, height = (sem ?? inst)!.header.height;
  if (sem && inst && (inst.header.width !== width || inst.header.height !== height)) {
    throw new Error(`${names.instances} is ${inst.header.width}x${inst.header.height} but ${names.mask} is ${width}x${height}`);
  }
  const semantic = sem ? semanticFromPng(sem, names.mask, config) : newSemantic(config, width * height, config.backgroundId);
  return { width, height, semantic, instances: inst ? instancesFromPng(inst, names.instances) : null };
}

/** A version that did not exist (no mask files): all background, no instances, of `like`'s size. */
export function emptyVersion(like: { width: number; height: number }, config: DatasetConfig): MaskVersion {
  const semantic = newSemantic(config, like.width * like.height, config.backgroundId);
  return { width: like.width, height: like.height, semantic, instances: null };
}

/** The saved masks of `image` (null when it has none). */
export async function savedVersion(image: string, config: DatasetConfig): Promise<MaskVersion | null> {
  const f = maskFilesFor(image, config);
  const [m, i] = await Promise.all([readOrNull(f.mask), readOrNull(f.instances)]);
  return versionFromBytes(m, i, config, f);
}

/** The masks of `image` as committed at `rev` (null when no mask file existed there). */
export async function revisionVersion(image: string, config: DatasetConfig, rev: string): Promise<MaskVersion | null> {
  const f = maskFilesFor(image, config);
  const m = await showAtRevision(f.mask, rev);
  const i = await showAtRevision(f.instances, rev);
  return versionFromBytes(m, i, config, { mask: `${rev}:${path.basename(f.mask)}`, instances: `${rev}:${path.basename(f.instances)}` });
}

/**
 * Another semantic mask file and, when it is named like a mask of the default patterns
 * (STEM.mask.png) and a STEM.instances.png lies beside it, that instance map.
 */
export async function fileVersion(maskFile: string, config: DatasetConfig): Promise<MaskVersion> {
  const m = await readOrNull(maskFile);
  if (!m) throw new Error(`${maskFile} does not exist`);
  const instFile = /\.mask\.png$/i.test(maskFile) ? maskFile.replace(/\.mask\.png$/i, '.instances.png') : null;
  const i = instFile ? await readOrNull(instFile) : null;
  return versionFromBytes(m, i, config, { mask: maskFile, instances: instFile ?? '' }) as MaskVersion;
}
