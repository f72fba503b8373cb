// Remove small objects: connected foreground components with fewer than minSize pixels become
// background (scikit-image remove_small_objects).
import { checkGray, intOption, outBuffer, type Connectivity, type GrayImage } from './image';
import { connectedComponents } from './connectedComponents';

export interface RemoveSmallOptions {
  /** Components with area < minSize are removed. Default 64. */
  minSize?: number;
  /** Default 8. */
  connectivity?: Connectivity;
  /** Reused output (width*height); may be the input. */
  out?: Uint8Array;
}

/** Returns the mask without its small components (kept pixels keep their value). */
export function removeSmallObjects(image: GrayImage, options: RemoveSmallOptions = {}): { mask: Uint8Array; removed: number } {
  checkGray(image);
  const minSize = intOption(options.minSize, 64, 0, Number.MAX_SAFE_INTEGER, 'minSize');
  const { labels, count, stats } = connectedComponents(image, { connectivity: options.connectivity ?? 8 });
  const area = stats!.area;
  const keep = new Uint8Array(count + 1);
  let removed = 0;
  for (let l = 1; l <= count; l++) { keep[l] = area[l] >= minSize ? 1 : 0; if (!keep[l]) removed++; }
  const src = image.data, n = src.length;
  const out = outBuffer(options.out, Uint8Array, n);
  for (let i = 0; i < n; i++) out[i] = keep[labels[i]] ? src[i] : 0;
  return { mask: out, removed };
}
