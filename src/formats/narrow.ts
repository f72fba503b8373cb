// 16-bit semantic ids into the 8-bit label files of VOC, Cityscapes labelIds and gray8. Pure.
import type { SemanticIds } from '../shared/maskModel';

export class NarrowError extends Error {
  override name = 'NarrowError';
}

export interface NarrowOptions {
  /** The format's name, for the message. */
  readonly format: string;
  /** Largest class id the format stores (254 for VOC, whose 255 is void; 255 for the others). */
  readonly max: number;
  /** The dataset's ignore index, and the value it is written as (e.g. VOC's 255); absent: kept as it is. */
  readonly ignore?: { readonly from: number; readonly to: number };
}

/**
 * The semantic map as 8-bit values for a format that stores 8 bits. Throws NarrowError naming the
 * first class id that does not fit and its pixel, never truncating it.
 */
export function narrowSemantic(semantic: SemanticIds, width: number, o: NarrowOptions): Uint8Array {
  const out = new Uint8Array(semantic.length);
  const ign = o.ignore;
  for (let i = 0; i < semantic.length; i++) {
    const v = semantic[i];
    if (ign && v === ign.from) { out[i] = ign.to; continue; }
    if (v > o.max) {
      throw new NarrowError(`class id ${v} at pixel ${i % width},${Math.floor(i / width)} does not fit ${o.format}'s 8-bit masks (class ids 0..${o.max}); export coco or coco-panoptic, which keep 16-bit class ids`);
    }
    out[i] = v;
  }
  return out;
}
