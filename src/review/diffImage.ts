// One image's label-aware diff against a git revision or another mask file (host side): what
// `maskwright diff` prints and the editor's comparisons compute.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { listFolderImages } from '../dataset/scan';
import { maskFilesFor } from '../io/masks';
import type { DatasetConfig } from '../shared/config';
import { isMaskName } from '../shared/paths';
import { diffMasks, type LabelDiff, type MaskVersion } from './labelDiff';
import { emptyVersion, fileVersion, revisionVersion, savedVersion } from './load';

export type Against = { readonly rev: string } | { readonly file: string };

/** The image a path names: the image itself, or the image whose mask file it is. */
export async function imageFor(p: string, config: DatasetConfig): Promise<string> {
  const abs = path.resolve(p);
  if (!isMaskName(path.basename(abs), config.patterns)) return abs;
  const { images } = await listFolderImages(path.dirname(abs), config.patterns);
  const hit = images.find((im) => Object.values(maskFilesFor(im, config)).includes(abs));
  if (!hit) throw new Error(`${p} is a mask file, but no image of its folder has it as a mask`);
  return hit;
}

/** The old version (`before`) and the saved masks (`after`), missing sides as all background. */
export async function versionsFor(image: string, config: DatasetConfig, against: Against): Promise<{ before: MaskVersion; after: MaskVersion; beforeExisted: boolean }> {
  const [old, now] = await Promise.all([
    'rev' in against ? revisionVersion(image, config, against.rev) : fileVersion(against.file, config),
    savedVersion(image, config),
  ]);
  if (!old && !now) throw new Error(`${path.basename(image)} has no masks, neither saved nor at ${'rev' in against ? against.rev : against.file}`);
  return { before: old ?? emptyVersion(now as MaskVersion, config), after: now ?? emptyVersion(old as MaskVersion, config), beforeExisted: old !== null };
}

export interface ImageDiff extends LabelDiff {
  readonly image: string;
  readonly against: string;
}

export async function diffImage(image: string, config: DatasetConfig, against: Against): Promise<ImageDiff> {
  if ('file' in against) await fsp.access(against.file).catch(() => { throw new Error(`${against.file} does not exist`); });
  const { before, after } = await versionsFor(image, config, against);
  return { image, against: 'rev' in against ? against.rev : against.file, ...diffMasks(before, after) };
}
