// Pascal VOC segmentation: `SegmentationClass/STEM.png` (palette PNG, class index, 255 = void),
// `SegmentationObject/STEM.png` (palette PNG, object index 1..N, 255 = void), image lists in
// `ImageSets/Segmentation/*.txt`. CVAT's VOC export adds `labelmap.txt` (name:r,g,b::). Pure.
import type { SemanticIds } from '../shared/maskModel';
import { narrowSemantic } from './narrow';

export const VOC_CLASSES = [
  'background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
  'diningtable', 'dog', 'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor',
] as const;

export const VOC_VOID = 255;

/**
 * The SegmentationObject indices of an image: instance ids as they are when all are at most 254,
 * else 1..N in id order; ignore pixels are 255. Throws when there are more than 254 instances.
 */
export function vocObjectIndices(semantic: SemanticIds, instances: Uint16Array, ignoreIndex: number): { indices: Uint8Array; renumbered: boolean } {
  const ids = new Set<number>();
  for (let i = 0; i < instances.length; i++) if (instances[i]) ids.add(instances[i]);
  if (ids.size > 254) throw new Error(`${ids.size} instances: a VOC SegmentationObject PNG holds at most 254`);
  const sorted = [...ids].sort((a, b) => a - b);
  const renumbered = sorted.length > 0 && sorted[sorted.length - 1] > 254;
  const lut = new Map<number, number>();
  sorted.forEach((id, k) => lut.set(id, renumbered ? k + 1 : id));
  const indices = new Uint8Array(semantic.length);
  for (let i = 0; i < indices.length; i++) {
    indices[i] = semantic[i] === ignoreIndex ? VOC_VOID : instances[i] ? (lut.get(instances[i]) as number) : 0;
  }
  return { indices, renumbered };
}

/**
 * SegmentationClass indices: class ids, the ignore index written as 255. A class id above 254
 * (a 16-bit dataset) throws NarrowError naming it: VOC class PNGs are 8-bit with 255 = void.
 */
export function vocClassIndices(semantic: SemanticIds, ignoreIndex: number, width = semantic.length): Uint8Array {
  if (semantic instanceof Uint16Array) return narrowSemantic(semantic, width, { format: 'VOC', max: VOC_VOID - 1, ignore: { from: ignoreIndex, to: VOC_VOID } });
  if (ignoreIndex === VOC_VOID) return semantic.slice();
  const out = new Uint8Array(semantic.length);
  for (let i = 0; i < out.length; i++) out[i] = semantic[i] === ignoreIndex ? VOC_VOID : semantic[i];
  return out;
}

/** CVAT-style labelmap.txt lines (`name:r,g,b::`), index = line order after the header. */
export function labelmapTxt(classes: readonly { name: string; rgb: readonly number[] }[]): string {
  return ['# label:color_rgb:parts:actions', ...classes.map((c) => `${c.name}:${c.rgb.join(',')}::`)].join('\n') + '\n';
}

/** Class names and colours of a labelmap.txt, in order (the index is the pixel value). */
export function parseLabelmap(text: string): { name: string; rgb: [number, number, number] | null }[] {
  const out: { name: string; rgb: [number, number, number] | null }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [name, col] = line.split(':');
    const rgb = (col ?? '').split(',').map(Number);
    out.push({ name: name.trim(), rgb: rgb.length === 3 && rgb.every((v) => Number.isInteger(v) && v >= 0 && v < 256) ? [rgb[0], rgb[1], rgb[2]] : null });
  }
  return out;
}
