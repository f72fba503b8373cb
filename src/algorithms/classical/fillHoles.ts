// Fill holes: background regions of a binary mask that do not reach the image border become
// foreground (scipy.ndimage.binary_fill_holes; background connectivity 4 by default).
import { checkConnectivity, checkGray, intOption, outBuffer, type Connectivity, type GrayImage } from './image';

export interface FillHolesOptions {
  /** Connectivity of the background. Default 4 (then foreground is 8-connected). */
  connectivity?: Connectivity;
  /** Value written into filled holes (and kept foreground). Default 255. */
  value?: number;
  /** Reused output (width*height); may be the input. */
  out?: Uint8Array;
}

/** Returns the mask with its holes filled (foreground = nonzero, written as `value`). */
export function fillHoles(image: GrayImage, options: FillHolesOptions = {}): Uint8Array {
  checkGray(image);
  const conn = checkConnectivity(options.connectivity, 4);
  const value = intOption(options.value, 255, 1, 255, 'value');
  const { width: w, height: h, data } = image;
  const n = w * h;
  // outside[i] = 1 for background reachable from the border.
  const outside = new Uint8Array(n);
  let stack = new Int32Array(4096), sp = 0;
  const push = (i: number): void => {
    if (data[i] !== 0 || outside[i]) return;
    outside[i] = 1;
    if (sp === stack.length) { const t = new Int32Array(sp * 2); t.set(stack); stack = t; }
    stack[sp++] = i;
  };
  for (let x = 0; x < w; x++) { push(x); push((h - 1) * w + x); }
  for (let y = 0; y < h; y++) { push(y * w); push(y * w + w - 1); }
  while (sp > 0) {
    const i = stack[--sp], x = i % w, y = (i - x) / w;
    const l = x > 0, r = x < w - 1, u = y > 0, d = y < h - 1;
    if (l) push(i - 1);
    if (r) push(i + 1);
    if (u) push(i - w);
    if (d) push(i + w);
    if (conn === 8) {
      if (u && l) push(i - w - 1);
      if (u && r) push(i - w + 1);
      if (d && l) push(i + w - 1);
      if (d && r) push(i + w + 1);
    }
  }
  const out = outBuffer(options.out, Uint8Array, n);
  for (let i = 0; i < n; i++) out[i] = outside[i] ? 0 : value;
  return out;
}
