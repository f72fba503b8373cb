// Messages between the editor and its pixel worker (webview/worker.ts). Internal to the webview.
import type { Rect } from './core/rect';

export type WorkerRequest =
  /** The image, transferred; the worker reads its pixels when a tool first needs them, then closes it. */
  | { readonly type: 'image'; readonly bitmap: ImageBitmap; readonly width: number; readonly height: number }
  /** Magic wand from a seed: pixels within `tolerance` (0..255 per channel), 4-connected. */
  | { readonly type: 'wand'; readonly id: number; readonly x: number; readonly y: number; readonly tolerance: number }
  /** Threshold of the gray image inside `rect` (whole image when null); level null = Otsu. */
  | { readonly type: 'threshold'; readonly id: number; readonly level: number | null; readonly invert: boolean; readonly rect: Rect | null }
  /** The 4-connected region around a seed that does not cross a Canny edge (defaults 50/150). */
  | { readonly type: 'edgefill'; readonly id: number; readonly x: number; readonly y: number }
  /** Watershed from seeds: [x, y, label] triples, label 1 = object, 2 = background; mask = object basin. */
  | { readonly type: 'watershed'; readonly id: number; readonly seeds: Int32Array }
  /** k-means colour clusters (seed 1, cached per k); mask = the cluster of the pixel at x, y. */
  | { readonly type: 'kmeans'; readonly id: number; readonly k: number; readonly x: number; readonly y: number };

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly mask: Uint8Array; readonly area: number; readonly level?: number }
  /** needImage: the worker released the image and needs it again for this request. */
  | { readonly id: number; readonly ok: false; readonly error: string; readonly needImage?: true };
