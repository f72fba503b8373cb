// Mask file names beside an image, from the dataset's patterns. Pure: works on plain file names.
import { DEFAULT_PATTERNS, type MaskPatterns } from './config';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'webp', 'tif', 'tiff'] as const;

export function splitName(fileName: string): { stem: string; ext: string } {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? { stem: fileName, ext: '' } : { stem: fileName.slice(0, dot), ext: fileName.slice(dot + 1) };
}

export function isImageName(fileName: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(splitName(fileName).ext.toLowerCase());
}

function fill(pattern: string, fileName: string): string {
  const { stem } = splitName(fileName);
  return pattern.replace(/\{stem\}/g, stem).replace(/\{name\}/g, fileName);
}

/** File names (same folder) of the mask, instance map and sidecar of an image. */
export function maskNamesFor(imageName: string, patterns: MaskPatterns = DEFAULT_PATTERNS): { mask: string; instances: string; sidecar: string } {
  return { mask: fill(patterns.mask, imageName), instances: fill(patterns.instances, imageName), sidecar: fill(patterns.sidecar, imageName) };
}

function patternRegex(pattern: string): RegExp {
  const esc = pattern.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : '\\' + c));
  const src = esc.replace(/\{stem\}/g, '(?<stem>.+)').replace(/\{name\}/g, '(?<name>.+)');
  return new RegExp('^' + src + '$', 'i');
}

/** True when the file name is a mask, instance map or sidecar under the patterns. */
export function isMaskName(fileName: string, patterns: MaskPatterns = DEFAULT_PATTERNS): boolean {
  return [patterns.mask, patterns.instances, patterns.sidecar].some((p) => patternRegex(p).test(fileName));
}

/**
 * For a mask-file name, the stem (or full image name) of the image it belongs to; null when the
 * name matches no pattern. The caller finds the image among the folder's files.
 */
export function imageKeyForMask(fileName: string, patterns: MaskPatterns = DEFAULT_PATTERNS): { stem?: string; name?: string } | null {
  for (const p of [patterns.mask, patterns.instances, patterns.sidecar]) {
    const m = patternRegex(p).exec(fileName);
    if (m?.groups) return { stem: m.groups.stem, name: m.groups.name };
  }
  return null;
}

/** Images of a folder listing (mask files excluded), sorted naturally, with stem conflicts reported. */
export function listImages(fileNames: readonly string[], patterns: MaskPatterns = DEFAULT_PATTERNS): { images: string[]; conflicts: string[][] } {
  const images = fileNames.filter((n) => isImageName(n) && !isMaskName(n, patterns));
  images.sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
  const byStem = new Map<string, string[]>();
  for (const n of images) {
    const s = splitName(n).stem.toLowerCase();
    byStem.set(s, [...(byStem.get(s) ?? []), n]);
  }
  return { images, conflicts: [...byStem.values()].filter((v) => v.length > 1) };
}
