// Where an image lands inside a model's input tensor (resize + pad), and the way back. Pure.
//
// Rules (the `resize` of an input spec):
// - 'stretch':      resize to exactly size [w, h] (aspect not kept), no padding.
// - 'letterbox':    ultralytics: scale r = min(W/w, H/h), content round(w*r) x round(h*r), centred,
//                   padding split floor((W-cw)/2) left/top, rest right/bottom.
// - 'longest-side': SAM: scale = S/max(w,h), content int(w*scale+0.5) x int(h*scale+0.5), placed top-left,
//                   padded right/bottom to S x S (size [S, S]).
// - 'multiple-of':  PaddleOCR DetResizeForTest: limit_type 'max': ratio = min(1, limit/max(w,h));
//                   'min': ratio = max(1, limit/min(w,h));
//                   each side int(side*ratio) rounded to the nearest multiple (at least one multiple), no pad.

export type ResizeRule = 'stretch' | 'letterbox' | 'longest-side' | 'multiple-of';

export interface GeometrySpec {
  readonly resize: ResizeRule;
  /** [width, height] of the tensor for 'stretch', 'letterbox' and 'longest-side'. */
  readonly size?: readonly [number, number];
  /** 'multiple-of': the multiple (default 32). */
  readonly multiple?: number;
  /** 'multiple-of': side limit (default 960). */
  readonly limitSideLen?: number;
  /** 'multiple-of': 'max' shrinks so the longest side <= limit (default); 'min' enlarges so the shortest side >= limit. */
  readonly limitType?: 'max' | 'min';
  /** 'multiple-of': after the limit rule, the longest side is capped at this (default: no cap). */
  readonly maxSideLen?: number;
}

/** Source image -> tensor mapping: tensor = source * scale + pad (continuous pixel-edge coordinates). */
export interface Geometry {
  readonly srcW: number;
  readonly srcH: number;
  /** Tensor width and height. */
  readonly dstW: number;
  readonly dstH: number;
  /** Size of the resized image inside the tensor. */
  readonly contentW: number;
  readonly contentH: number;
  readonly scaleX: number;
  readonly scaleY: number;
  readonly padX: number;
  readonly padY: number;
}

function positiveInt(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}=${v} must be a positive integer`);
}

export function planGeometry(srcW: number, srcH: number, spec: GeometrySpec): Geometry {
  positiveInt(srcW, 'srcW');
  positiveInt(srcH, 'srcH');
  const fixed = (): [number, number] => {
    const s = spec.size;
    if (!s || s.length !== 2) throw new Error(`resize '${spec.resize}' needs size [width, height]`);
    positiveInt(s[0], 'size[0]');
    positiveInt(s[1], 'size[1]');
    return [s[0], s[1]];
  };
  switch (spec.resize) {
    case 'stretch': {
      const [W, H] = fixed();
      return { srcW, srcH, dstW: W, dstH: H, contentW: W, contentH: H, scaleX: W / srcW, scaleY: H / srcH, padX: 0, padY: 0 };
    }
    case 'letterbox': {
      const [W, H] = fixed();
      const r = Math.min(W / srcW, H / srcH);
      const cw = Math.max(1, Math.round(srcW * r)), ch = Math.max(1, Math.round(srcH * r));
      const padX = Math.floor((W - cw) / 2), padY = Math.floor((H - ch) / 2);
      return { srcW, srcH, dstW: W, dstH: H, contentW: cw, contentH: ch, scaleX: cw / srcW, scaleY: ch / srcH, padX, padY };
    }
    case 'longest-side': {
      const [W, H] = fixed();
      if (W !== H) throw new Error(`resize 'longest-side' needs a square size, got ${W}x${H}`);
      const s = W / Math.max(srcW, srcH);
      const cw = Math.max(1, Math.floor(srcW * s + 0.5)), ch = Math.max(1, Math.floor(srcH * s + 0.5));
      return { srcW, srcH, dstW: W, dstH: H, contentW: cw, contentH: ch, scaleX: cw / srcW, scaleY: ch / srcH, padX: 0, padY: 0 };
    }
    case 'multiple-of': {
      const m = spec.multiple ?? 32;
      const limit = spec.limitSideLen ?? 960;
      positiveInt(m, 'multiple');
      positiveInt(limit, 'limitSideLen');
      const type = spec.limitType ?? 'max';
      if (type !== 'max' && type !== 'min') throw new Error(`limitType '${String(type)}' must be 'max' or 'min'`);
      let ratio = type === 'max'
        ? (Math.max(srcW, srcH) > limit ? limit / Math.max(srcW, srcH) : 1)
        : (Math.min(srcW, srcH) < limit ? limit / Math.min(srcW, srcH) : 1);
      if (spec.maxSideLen !== undefined) {
        positiveInt(spec.maxSideLen, 'maxSideLen');
        ratio = Math.min(ratio, spec.maxSideLen / Math.max(srcW, srcH));
      }
      const round = (v: number): number => Math.max(Math.round(Math.trunc(v * ratio) / m) * m, m);
      const W = round(srcW), H = round(srcH);
      return { srcW, srcH, dstW: W, dstH: H, contentW: W, contentH: H, scaleX: W / srcW, scaleY: H / srcH, padX: 0, padY: 0 };
    }
    default:
      throw new Error(`resize rule '${String((spec as { resize: unknown }).resize)}' is unknown (stretch, letterbox, longest-side, multiple-of)`);
  }
}

/** Source point (pixel-edge coordinates) -> tensor coordinates. */
export function toTensorPoint(g: Geometry, x: number, y: number): [number, number] {
  return [x * g.scaleX + g.padX, y * g.scaleY + g.padY];
}

/** Tensor point -> source coordinates (not clamped). */
export function toSourcePoint(g: Geometry, u: number, v: number): [number, number] {
  return [(u - g.padX) / g.scaleX, (v - g.padY) / g.scaleY];
}
