// Viewport math: image <-> screen transform, zoom about a point, fit, 1:1, visible image rect.
// Pure (no DOM): screen = image * scale + (tx, ty), in CSS pixels of the canvas element.

export interface View {
  /** Screen pixels per image pixel. */
  readonly scale: number;
  readonly tx: number;
  readonly ty: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Zoom limits: 1/64 (a 32k image fits in 512 px) up to 64 screen pixels per image pixel. */
export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;

export function clampScale(s: number): number {
  if (!Number.isFinite(s) || s <= 0) throw new RangeError(`scale ${s} is not a positive number`);
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

export function toImage(v: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - v.tx) / v.scale, y: (sy - v.ty) / v.scale };
}

export function toScreen(v: View, ix: number, iy: number): { x: number; y: number } {
  return { x: ix * v.scale + v.tx, y: iy * v.scale + v.ty };
}

/** Zooms by `factor` keeping the image point under screen point (sx, sy) where it is. */
export function zoomAt(v: View, factor: number, sx: number, sy: number): View {
  if (!Number.isFinite(factor) || factor <= 0) throw new RangeError(`zoom factor ${factor} is not a positive number`);
  const scale = clampScale(v.scale * factor);
  const p = toImage(v, sx, sy);
  return { scale, tx: sx - p.x * scale, ty: sy - p.y * scale };
}

/** Sets an absolute scale about a screen point (1 = one image pixel per screen pixel). */
export function zoomTo(v: View, scale: number, sx: number, sy: number): View {
  return zoomAt(v, clampScale(scale) / v.scale, sx, sy);
}

/** The whole image centred in the view, with `margin` screen pixels around it (default 8). */
export function fitView(imgW: number, imgH: number, viewW: number, viewH: number, margin = 8): View {
  if (!(imgW > 0 && imgH > 0)) throw new RangeError(`image size ${imgW}x${imgH} is not positive`);
  const aw = Math.max(1, viewW - 2 * margin), ah = Math.max(1, viewH - 2 * margin);
  const scale = clampScale(Math.min(aw / imgW, ah / imgH));
  return { scale, tx: Math.round((viewW - imgW * scale) / 2), ty: Math.round((viewH - imgH * scale) / 2) };
}

export function pan(v: View, dx: number, dy: number): View {
  return { scale: v.scale, tx: v.tx + dx, ty: v.ty + dy };
}

/** Integer image rect visible in a viewW x viewH view, clipped to the image; null when none is. */
export function visibleRect(v: View, viewW: number, viewH: number, imgW: number, imgH: number): Rect | null {
  const a = toImage(v, 0, 0), b = toImage(v, viewW, viewH);
  const x0 = Math.max(0, Math.floor(a.x)), y0 = Math.max(0, Math.floor(a.y));
  const x1 = Math.min(imgW, Math.ceil(b.x)), y1 = Math.min(imgH, Math.ceil(b.y));
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

/** Next zoom step (powers of 2^(1/4)) for keyboard zoom; direction +1 in, -1 out. */
export function stepScale(scale: number, direction: 1 | -1): number {
  const k = Math.round(Math.log2(scale) * 4) + direction;
  return clampScale(2 ** (k / 4));
}
