// AssemblyScript source of the wasm SIMD kernels (built by src/wasm/build.mjs into
// src/algorithms/classical/wasmBinary.ts). Each kernel computes the same bytes as its TypeScript
// reference in src/algorithms/classical/ (named at each function); the TS side copies inputs into
// this module's memory, calls one kernel and copies the result out (src/algorithms/classical/wasm.ts).
// Pointers are byte offsets into the exported memory; nothing here allocates.

/** First free byte above the static data: the TS side places its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** OpenCV BORDER_REFLECT_101 (mode 0) or BORDER_REPLICATE (mode 1) index into [0, n). */
function borderIndex(i: i32, n: i32, mode: i32): i32 {
  if (mode == 1) return i < 0 ? 0 : i >= n ? n - 1 : i;
  if (n == 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
  return i;
}

// ---- gray.ts: gray = (9798 R + 19235 G + 3735 B + 16384) >> 15 -------------------------------

/** Four pixels' (R, G) and (B, 1) as i16 pairs, dotted with the coefficients: four i32 grays. */
function gray4px(v: v128, rgIdx: v128, b1Idx: v128, one: v128, kRg: v128, kB1: v128): v128 {
  const rg = i8x16.swizzle(v, rgIdx);
  const b1 = v128.or(i8x16.swizzle(v, b1Idx), one);
  return i32x4.shr_u(i32x4.add(i32x4.dot_i16x8_s(rg, kRg), i32x4.dot_i16x8_s(b1, kB1)), 15);
}

// Vector constants used inside loops are read from memory once per call: written as v128.const,
// the optimizer folds them into every use and V8 rebuilds each one per iteration.
const GRAY_CONST = memory.data<i8>([
  0, -128, 1, -128, 3, -128, 4, -128, 6, -128, 7, -128, 9, -128, 10, -128, // RGB: (R, 0, G, 0) x 4; 0x80 reads as 0
  2, -128, -128, -128, 5, -128, -128, -128, 8, -128, -128, -128, 11, -128, -128, -128, // RGB: (B, 0, 0, 0) x 4
  0, -128, 1, -128, 4, -128, 5, -128, 8, -128, 9, -128, 12, -128, 13, -128, // RGBA
  2, -128, -128, -128, 6, -128, -128, -128, 10, -128, -128, -128, 14, -128, -128, -128,
], 16);
const I16_ONE_ODD = memory.data<i16>([0, 1, 0, 1, 0, 1, 0, 1], 16);
const I16_RG = memory.data<i16>([9798, 19235, 9798, 19235, 9798, 19235, 9798, 19235], 16);
const I16_B1 = memory.data<i16>([3735, 16384, 3735, 16384, 3735, 16384, 3735, 16384], 16);

/** RGB (3 bytes per pixel) to gray, 16 pixels per step. */
export function grayRgb(src: usize, dst: usize, n: i32): void {
  const rgIdx = v128.load(GRAY_CONST), bIdx = v128.load(GRAY_CONST, 16);
  const one = v128.load(I16_ONE_ODD), kRg = v128.load(I16_RG), kB1 = v128.load(I16_B1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = src + <usize>i * 3;
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32);
    const g0 = gray4px(a, rgIdx, bIdx, one, kRg, kB1);
    // byte windows that start at pixels 4, 8, 12 (contiguous, so each shuffle is one alignr)
    const g1 = gray4px(i8x16.shuffle(a, b, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27), rgIdx, bIdx, one, kRg, kB1);
    const g2 = gray4px(i8x16.shuffle(b, c, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23), rgIdx, bIdx, one, kRg, kB1);
    const g3 = gray4px(i8x16.shuffle(c, c, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3), rgIdx, bIdx, one, kRg, kB1);
    v128.store(dst + i, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(g0, g1), i16x8.narrow_i32x4_u(g2, g3)));
  }
  for (; i < n; i++) {
    const p = src + <usize>i * 3;
    store<u8>(dst + i, (<u32>load<u8>(p) * 9798 + <u32>load<u8>(p, 1) * 19235 + <u32>load<u8>(p, 2) * 3735 + 16384) >> 15);
  }
}

/** RGBA (alpha ignored) to gray, 16 pixels per step. */
export function grayRgba(src: usize, dst: usize, n: i32): void {
  const rgIdx = v128.load(GRAY_CONST, 32), bIdx = v128.load(GRAY_CONST, 48);
  const one = v128.load(I16_ONE_ODD), kRg = v128.load(I16_RG), kB1 = v128.load(I16_B1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = src + <usize>i * 4;
    const g0 = gray4px(v128.load(p), rgIdx, bIdx, one, kRg, kB1), g1 = gray4px(v128.load(p, 16), rgIdx, bIdx, one, kRg, kB1);
    const g2 = gray4px(v128.load(p, 32), rgIdx, bIdx, one, kRg, kB1), g3 = gray4px(v128.load(p, 48), rgIdx, bIdx, one, kRg, kB1);
    v128.store(dst + i, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(g0, g1), i16x8.narrow_i32x4_u(g2, g3)));
  }
  for (; i < n; i++) {
    const p = src + <usize>i * 4;
    store<u8>(dst + i, (<u32>load<u8>(p) * 9798 + <u32>load<u8>(p, 1) * 19235 + <u32>load<u8>(p, 2) * 3735 + 16384) >> 15);
  }
}

// ---- threshold.ts / otsu.ts -----------------------------------------------------------------

/** out = (v > t) != invert ? maxValue : 0, for t in [0, 254]. */
export function binarize(src: usize, dst: usize, n: i32, t: i32, maxValue: i32, invert: i32): void {
  const tv = i8x16.splat(<i8>t), mv = i8x16.splat(<i8>maxValue), flip = invert ? i8x16.splat(-1) : i8x16.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    v128.store(dst + i, v128.and(v128.xor(i8x16.gt_u(v128.load(src + i), tv), flip), mv));
  }
  for (; i < n; i++) store<u8>(dst + i, (<i32>load<u8>(src + i) > t) != (invert != 0) ? maxValue : 0);
}

/**
 * 256-bin histogram into hist (i32[256]), counting byte pairs: each 16-bit half word increments
 * one of 65536 pair counters at scratch (i32[65536]), half the increments of counting bytes; the
 * byte counts are then the pair table's row and column sums.
 */
export function histogram(src: usize, n: i32, hist: usize, scratch: usize): void {
  memory.fill(scratch, 0, 262144);
  memory.fill(hist, 0, 1024);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = load<u32>(src + i);
    const a = scratch + ((v & 0xffff) << 2), b = scratch + ((v >> 16) << 2);
    store<i32>(a, load<i32>(a) + 1);
    store<i32>(b, load<i32>(b) + 1);
  }
  for (; i < n; i++) { const a = hist + (<usize>load<u8>(src + i) << 2); store<i32>(a, load<i32>(a) + 1); }
  for (let hi: usize = 0; hi < 256; hi++) {
    let row = 0;
    for (let lo: usize = 0; lo < 256; lo += 4) {
      const c = v128.load(scratch + (((hi << 8) + lo) << 2));
      if (!v128.any_true(c)) continue;
      const l = hist + (lo << 2);
      v128.store(l, i32x4.add(v128.load(l), c));
      row += i32x4.extract_lane(c, 0) + i32x4.extract_lane(c, 1) + i32x4.extract_lane(c, 2) + i32x4.extract_lane(c, 3);
    }
    store<i32>(hist + (hi << 2), load<i32>(hist + (hi << 2)) + row);
  }
}

// ---- gaussian.ts: 5x5 [1 4 6 4 1]^2 / 256 ---------------------------------------------------

/**
 * The 5x5 blur in u16 lanes: column sums (at most 16 * 255) into `col` (u16[w + 4], padded by two
 * columns each side), then row sums of those plus 128 (at most 65408), shifted right by 8.
 */
export function gauss5(src: usize, dst: usize, w: i32, h: i32, mode: i32, col: usize): void {
  const six = i16x8.splat(6), half = i16x8.splat(128);
  const l2 = borderIndex(-2, w, mode), l1 = borderIndex(-1, w, mode), r1 = borderIndex(w, w, mode), r2 = borderIndex(w + 1, w, mode);
  for (let y = 0; y < h; y++) {
    const ra = src + <usize>borderIndex(y - 2, h, mode) * w, rb = src + <usize>borderIndex(y - 1, h, mode) * w;
    const rc = src + <usize>y * w, rd = src + <usize>borderIndex(y + 1, h, mode) * w, re = src + <usize>borderIndex(y + 2, h, mode) * w;
    const c2 = col + 4;
    let x = 0;
    for (; x + 16 <= w; x += 16) {
      const A = v128.load(ra + x), B = v128.load(rb + x), C = v128.load(rc + x), D = v128.load(rd + x), E = v128.load(re + x);
      const lo = i16x8.add(i16x8.add(i16x8.add(i16x8.extend_low_i8x16_u(A), i16x8.extend_low_i8x16_u(E)),
        i16x8.shl(i16x8.add(i16x8.extend_low_i8x16_u(B), i16x8.extend_low_i8x16_u(D)), 2)), i16x8.mul(i16x8.extend_low_i8x16_u(C), six));
      const hi = i16x8.add(i16x8.add(i16x8.add(i16x8.extend_high_i8x16_u(A), i16x8.extend_high_i8x16_u(E)),
        i16x8.shl(i16x8.add(i16x8.extend_high_i8x16_u(B), i16x8.extend_high_i8x16_u(D)), 2)), i16x8.mul(i16x8.extend_high_i8x16_u(C), six));
      v128.store(c2 + (<usize>x << 1), lo);
      v128.store(c2 + (<usize>x << 1), hi, 16);
    }
    for (; x < w; x++) {
      store<u16>(c2 + (<usize>x << 1), <u32>load<u8>(ra + x) + <u32>load<u8>(re + x) + 4 * (<u32>load<u8>(rb + x) + <u32>load<u8>(rd + x)) + 6 * <u32>load<u8>(rc + x));
    }
    store<u16>(col, load<u16>(c2 + (<usize>l2 << 1)));
    store<u16>(col + 2, load<u16>(c2 + (<usize>l1 << 1)));
    store<u16>(c2 + (<usize>w << 1), load<u16>(c2 + (<usize>r1 << 1)));
    store<u16>(c2 + (<usize>w << 1) + 2, load<u16>(c2 + (<usize>r2 << 1)));
    const o = dst + <usize>y * w;
    x = 0;
    for (; x + 16 <= w; x += 16) {
      const p = col + (<usize>x << 1);
      const s0 = i16x8.add(i16x8.add(i16x8.add(v128.load(p), v128.load(p, 8)), i16x8.shl(i16x8.add(v128.load(p, 2), v128.load(p, 6)), 2)),
        i16x8.add(i16x8.mul(v128.load(p, 4), six), half));
      const s1 = i16x8.add(i16x8.add(i16x8.add(v128.load(p, 16), v128.load(p, 24)), i16x8.shl(i16x8.add(v128.load(p, 18), v128.load(p, 22)), 2)),
        i16x8.add(i16x8.mul(v128.load(p, 20), six), half));
      v128.store(o + x, i8x16.narrow_i16x8_u(i16x8.shr_u(s0, 8), i16x8.shr_u(s1, 8)));
    }
    for (; x < w; x++) {
      const p = col + (<usize>x << 1);
      const s = <u32>load<u16>(p) + <u32>load<u16>(p, 8) + 4 * (<u32>load<u16>(p, 2) + <u32>load<u16>(p, 6)) + 6 * <u32>load<u16>(p, 4) + 128;
      store<u8>(o + x, s >> 8);
    }
  }
}

// ---- adaptiveThreshold.ts --------------------------------------------------------------------

/** out[x] for 16 pixels: (src - mean > -d) != invert ? maxValue : 0, mean as two i16x8. */
function thresholdStore(dst: usize, s: v128, meanLo: v128, meanHi: v128, negD: v128, flip: v128, mv: v128): void {
  const lo = i16x8.gt_s(i16x8.sub(i16x8.extend_low_i8x16_u(s), meanLo), negD);
  const hi = i16x8.gt_s(i16x8.sub(i16x8.extend_high_i8x16_u(s), meanHi), negD);
  v128.store(dst, v128.and(v128.xor(i8x16.narrow_i16x8_s(lo, hi), flip), mv));
}

function thresholdOne(v: i32, mean: i32, d: i32, maxValue: i32, invert: i32): u8 {
  return <u8>(((v - mean > -d) != (invert != 0)) ? maxValue : 0);
}

/** Rounded box means of four i32 sums: floor(s * inv + 0.5) in float64, as the TS reference. */
function boxRound(s: v128, inv: v128, half: v128): v128 {
  const lo = i32x4.trunc_sat_f64x2_s_zero(f64x2.floor(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(s), inv), half)));
  const hi = i32x4.trunc_sat_f64x2_s_zero(f64x2.floor(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(i8x16.shuffle(s, s, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)), inv), half)));
  return i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/**
 * Adaptive mean threshold (replicated borders): column sums of `size` rows kept in `col`
 * (i32[w + 2 * r]), row sums by a running total four lanes at a time (prefix sums of the
 * differences col[x + size] - col[x]), rounded means, then the threshold. `sums` is i32[w].
 */
export function boxThreshold(src: usize, dst: usize, w: i32, h: i32, size: i32, d: i32, maxValue: i32, invert: i32, col: usize, sums: usize): void {
  const r = size >> 1;
  const inv = f64x2.splat(1.0 / <f64>(size * size)), half = f64x2.splat(0.5);
  const negD = i16x8.splat(<i16>-d), flip = invert ? i8x16.splat(-1) : i8x16.splat(0), mv = i8x16.splat(<i8>maxValue);
  const cr = col + (<usize>r << 2);
  memory.fill(col, 0, <usize>(w + 2 * r) << 2);
  for (let t = -r; t <= r; t++) addRow(cr, src + <usize>(t < 0 ? 0 : t >= h ? h - 1 : t) * w, 0, w);
  for (let y = 0; y < h; y++) {
    const c0 = load<i32>(cr), cw = load<i32>(cr + (<usize>(w - 1) << 2));
    for (let t = 0; t < r; t++) { store<i32>(col + (<usize>t << 2), c0); store<i32>(cr + (<usize>(w + t) << 2), cw); }
    let s = 0;
    for (let t = 0; t < size; t++) s += load<i32>(col + (<usize>t << 2));
    // sums[x] = s + prefix of (col[x - 1 + size] - col[x - 1]) for x >= 1
    store<i32>(sums, s);
    let x = 1;
    let carry = i32x4.splat(s);
    for (; x + 4 <= w; x += 4) {
      const p = col + (<usize>(x - 1) << 2);
      let dv = i32x4.sub(v128.load(p + (<usize>size << 2)), v128.load(p));
      dv = i32x4.add(dv, i8x16.shuffle(i32x4.splat(0), dv, 0, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27));
      dv = i32x4.add(dv, i8x16.shuffle(i32x4.splat(0), dv, 0, 0, 0, 0, 0, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23));
      const v = i32x4.add(dv, carry);
      v128.store(sums + (<usize>x << 2), v);
      carry = i32x4.splat(i32x4.extract_lane(v, 3));
    }
    s = i32x4.extract_lane(carry, 0);
    for (; x < w; x++) {
      s += load<i32>(col + (<usize>(x - 1 + size) << 2)) - load<i32>(col + (<usize>(x - 1) << 2));
      store<i32>(sums + (<usize>x << 2), s);
    }
    const o = <usize>y * w;
    x = 0;
    for (; x + 16 <= w; x += 16) {
      const p = sums + (<usize>x << 2);
      const m0 = boxRound(v128.load(p), inv, half), m1 = boxRound(v128.load(p, 16), inv, half);
      const m2 = boxRound(v128.load(p, 32), inv, half), m3 = boxRound(v128.load(p, 48), inv, half);
      thresholdStore(dst + o + x, v128.load(src + o + x), i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3), negD, flip, mv);
    }
    for (; x < w; x++) {
      const mean = <i32>Math.floor(<f64>load<i32>(sums + (<usize>x << 2)) * (1.0 / <f64>(size * size)) + 0.5);
      store<u8>(dst + o + x, thresholdOne(load<u8>(src + o + x), mean, d, maxValue, invert));
    }
    if (y + 1 < h) {
      const add = src + <usize>min(y + 1 + r, h - 1) * w, sub = src + <usize>max(y - r, 0) * w;
      addRow(cr, add, sub, w);
    }
  }
}

/** col[x] += row[x] (- sub[x] when sub != 0), for x in [0, w), 16 at a time. */
function addRow(col: usize, row: usize, sub: usize, w: i32): void {
  let x = 0;
  for (; x + 16 <= w; x += 16) {
    const a = v128.load(row + x);
    let lo = i16x8.extend_low_i8x16_u(a), hi = i16x8.extend_high_i8x16_u(a);
    if (sub) {
      const b = v128.load(sub + x);
      lo = i16x8.sub(lo, i16x8.extend_low_i8x16_u(b));
      hi = i16x8.sub(hi, i16x8.extend_high_i8x16_u(b));
    }
    const p = col + (<usize>x << 2);
    v128.store(p, i32x4.add(v128.load(p), i32x4.extend_low_i16x8_s(lo)));
    v128.store(p, i32x4.add(v128.load(p, 16), i32x4.extend_high_i16x8_s(lo)), 16);
    v128.store(p, i32x4.add(v128.load(p, 32), i32x4.extend_low_i16x8_s(hi)), 32);
    v128.store(p, i32x4.add(v128.load(p, 48), i32x4.extend_high_i16x8_s(hi)), 48);
  }
  for (; x < w; x++) {
    const p = col + (<usize>x << 2);
    store<i32>(p, load<i32>(p) + <i32>load<u8>(row + x) - (sub ? <i32>load<u8>(sub + x) : 0));
  }
}

/**
 * Adaptive Gaussian threshold: OpenCV's float32 blur (replicated borders) exactly, in f32 lanes.
 * Each source row is filtered along x in tap order (k[0] first) into a ring of `size` rows at
 * `ring` (f32[size * w]); each output row folds the column around its centre (k[r] R[y] first,
 * then k[r + t] (R[y + t] + R[y - t])), is rounded half to even and thresholded. `kern` holds the
 * f32 taps, `pad` is f32[w + 2r] (one source row, replicated r columns each side).
 */
export function gaussThreshold(src: usize, dst: usize, w: i32, h: i32, kern: usize, size: i32, d: i32, maxValue: i32, invert: i32, ring: usize, pad: usize): void {
  const r = size >> 1;
  const negD = i16x8.splat(<i16>-d), flip = invert ? i8x16.splat(-1) : i8x16.splat(0), mv = i8x16.splat(<i8>maxValue);
  const rowBytes = <usize>w << 2;
  for (let j = 0; j <= r && j < h; j++) filterRow(src + <usize>j * w, w, kern, size, pad, ring + <usize>(j % size) * rowBytes);
  const kc = f32x4.splat(load<f32>(kern + (<usize>r << 2)));
  for (let y = 0; y < h; y++) {
    const o = <usize>y * w;
    const cRow = ring + <usize>(y % size) * rowBytes;
    let x = 0;
    for (; x + 16 <= w; x += 16) {
      const xb = <usize>x << 2;
      let s0 = f32x4.mul(kc, v128.load(cRow + xb)), s1 = f32x4.mul(kc, v128.load(cRow + xb, 16));
      let s2 = f32x4.mul(kc, v128.load(cRow + xb, 32)), s3 = f32x4.mul(kc, v128.load(cRow + xb, 48));
      for (let t = 1; t <= r; t++) {
        const kt = f32x4.splat(load<f32>(kern + (<usize>(r + t) << 2)));
        const up = ring + <usize>(max(y - t, 0) % size) * rowBytes + xb, dn = ring + <usize>(min(y + t, h - 1) % size) * rowBytes + xb;
        s0 = f32x4.add(s0, f32x4.mul(kt, f32x4.add(v128.load(dn), v128.load(up))));
        s1 = f32x4.add(s1, f32x4.mul(kt, f32x4.add(v128.load(dn, 16), v128.load(up, 16))));
        s2 = f32x4.add(s2, f32x4.mul(kt, f32x4.add(v128.load(dn, 32), v128.load(up, 32))));
        s3 = f32x4.add(s3, f32x4.mul(kt, f32x4.add(v128.load(dn, 48), v128.load(up, 48))));
      }
      const m0 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(s0)), m1 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(s1));
      const m2 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(s2)), m3 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(s3));
      thresholdStore(dst + o + x, v128.load(src + o + x), i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3), negD, flip, mv);
    }
    for (; x < w; x++) {
      const xb = <usize>x << 2;
      let s = load<f32>(kern + (<usize>r << 2)) * load<f32>(cRow + xb);
      for (let t = 1; t <= r; t++) {
        const up = ring + <usize>(max(y - t, 0) % size) * rowBytes + xb, dn = ring + <usize>(min(y + t, h - 1) % size) * rowBytes + xb;
        s = s + load<f32>(kern + (<usize>(r + t) << 2)) * (load<f32>(dn) + load<f32>(up));
      }
      store<u8>(dst + o + x, thresholdOne(load<u8>(src + o + x), <i32>nearest<f32>(s), d, maxValue, invert));
    }
    const next = y + 1 + r;
    if (next < h) filterRow(src + <usize>next * w, w, kern, size, pad, ring + <usize>(next % size) * rowBytes);
  }
}

/** One row of the float32 horizontal pass (replicated borders) into out (f32[w]). */
function filterRow(row: usize, w: i32, kern: usize, size: i32, pad: usize, out: usize): void {
  const r = size >> 1;
  const first = <f32>load<u8>(row), last = <f32>load<u8>(row + w - 1);
  for (let t = 0; t < r; t++) { store<f32>(pad + (<usize>t << 2), first); store<f32>(pad + (<usize>(w + r + t) << 2), last); }
  const pr = pad + (<usize>r << 2);
  let x = 0;
  for (; x + 16 <= w; x += 16) {
    const v = v128.load(row + x);
    const lo = i16x8.extend_low_i8x16_u(v), hi = i16x8.extend_high_i8x16_u(v);
    const p = pr + (<usize>x << 2);
    v128.store(p, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)));
    v128.store(p, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), 16);
    v128.store(p, f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), 32);
    v128.store(p, f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), 48);
  }
  for (; x < w; x++) store<f32>(pr + (<usize>x << 2), <f32>load<u8>(row + x));
  // 16 pixels per step: four independent sums keep the adder busy (one sum's taps are a chain)
  x = 0;
  for (; x + 16 <= w; x += 16) {
    const p = pad + (<usize>x << 2);
    const k0 = f32x4.splat(load<f32>(kern));
    let s0 = f32x4.mul(k0, v128.load(p)), s1 = f32x4.mul(k0, v128.load(p, 16));
    let s2 = f32x4.mul(k0, v128.load(p, 32)), s3 = f32x4.mul(k0, v128.load(p, 48));
    for (let t = 1; t < size; t++) {
      const kt = f32x4.splat(load<f32>(kern + (<usize>t << 2)));
      const q = p + (<usize>t << 2);
      s0 = f32x4.add(s0, f32x4.mul(kt, v128.load(q)));
      s1 = f32x4.add(s1, f32x4.mul(kt, v128.load(q, 16)));
      s2 = f32x4.add(s2, f32x4.mul(kt, v128.load(q, 32)));
      s3 = f32x4.add(s3, f32x4.mul(kt, v128.load(q, 48)));
    }
    const o = out + (<usize>x << 2);
    v128.store(o, s0);
    v128.store(o, s1, 16);
    v128.store(o, s2, 32);
    v128.store(o, s3, 48);
  }
  for (; x < w; x++) {
    const p = pad + (<usize>x << 2);
    let s = load<f32>(kern) * load<f32>(p);
    for (let t = 1; t < size; t++) s = s + load<f32>(kern + (<usize>t << 2)) * load<f32>(p + (<usize>t << 2));
    store<f32>(out + (<usize>x << 2), s);
  }
}

// ---- kmeans.ts ------------------------------------------------------------------------------

/**
 * One assignment pass of lloyd3: each pixel's nearest center by the tabulated squared differences
 * (tab: f64[k * 768], center c at c * 768: red, green, blue rows of 256), the first of equal
 * distances winning, as in the TS loop; labels (u8[n]) written, the compactness returned and,
 * when accumulate is set, the pixels summed into sums (f64[k * 3]) and counted into counts (f64[k]).
 */
export function kmeansAssign(src: usize, ch: i32, n: i32, k: i32, tab: usize, labels: usize, sums: usize, counts: usize, accumulate: i32): f64 {
  let compactness: f64 = 0;
  let p = src;
  for (let i = 0; i < n; i++, p += ch) {
    const r = <usize>load<u8>(p) << 3, g = (<usize>load<u8>(p, 1) << 3) + 2048, b = (<usize>load<u8>(p, 2) << 3) + 4096;
    let best = 0;
    let bd: f64 = Infinity;
    let q = tab;
    for (let c = 0; c < k; c++, q += 6144) {
      const t = load<f64>(q + r) + load<f64>(q + g) + load<f64>(q + b);
      const lt = t < bd;
      best = select<i32>(c, best, lt);
      bd = select<f64>(t, bd, lt);
    }
    store<u8>(labels + i, <u8>best);
    compactness += bd;
    if (accumulate) {
      const c = counts + (<usize>best << 3), s = sums + <usize>best * 24;
      store<f64>(c, load<f64>(c) + 1);
      store<f64>(s, load<f64>(s) + <f64>(r >> 3));
      store<f64>(s, load<f64>(s, 8) + <f64>((g - 2048) >> 3), 8);
      store<f64>(s, load<f64>(s, 16) + <f64>((b - 4096) >> 3), 16);
    }
  }
  return compactness;
}

// ---- sobel.ts / canny.ts --------------------------------------------------------------------

/**
 * One row of the 3x3 Sobel pair (sobel.ts sobelRow): vertical smoothing S = up + 2 md + dn and
 * difference D = dn - up of every column into S, D (i16[w + 2], column x at x + 1, the border
 * columns at 0 and w + 1), then gx = S[x + 1] - S[x - 1], gy = D[x - 1] + 2 D[x] + D[x + 1].
 */
function sobelRowV(src: usize, w: i32, h: i32, y: i32, mode: i32, S: usize, D: usize, gx: usize, gy: usize): void {
  const up = src + <usize>borderIndex(y - 1, h, mode) * w, md = src + <usize>y * w, dn = src + <usize>borderIndex(y + 1, h, mode) * w;
  let x = 0;
  for (; x + 16 <= w; x += 16) {
    const U = v128.load(up + x), M = v128.load(md + x), N = v128.load(dn + x);
    const o = <usize>(x + 1) << 1;
    const ul = i16x8.extend_low_i8x16_u(U), uh = i16x8.extend_high_i8x16_u(U), nl = i16x8.extend_low_i8x16_u(N), nh = i16x8.extend_high_i8x16_u(N);
    v128.store(S + o, i16x8.add(i16x8.add(ul, nl), i16x8.shl(i16x8.extend_low_i8x16_u(M), 1)));
    v128.store(S + o, i16x8.add(i16x8.add(uh, nh), i16x8.shl(i16x8.extend_high_i8x16_u(M), 1)), 16);
    v128.store(D + o, i16x8.sub(nl, ul));
    v128.store(D + o, i16x8.sub(nh, uh), 16);
  }
  for (; x < w; x++) {
    const t = <i32>load<u8>(up + x), b = <i32>load<u8>(dn + x), o = <usize>(x + 1) << 1;
    store<i16>(S + o, <i16>(t + 2 * <i32>load<u8>(md + x) + b));
    store<i16>(D + o, <i16>(b - t));
  }
  const xl = (<usize>borderIndex(-1, w, mode) + 1) << 1, xr = (<usize>borderIndex(w, w, mode) + 1) << 1, wr = <usize>(w + 1) << 1;
  store<i16>(S, load<i16>(S + xl)); store<i16>(S + wr, load<i16>(S + xr));
  store<i16>(D, load<i16>(D + xl)); store<i16>(D + wr, load<i16>(D + xr));
  x = 0;
  for (; x + 8 <= w; x += 8) {
    const o = <usize>x << 1;
    v128.store(gx + o, i16x8.sub(v128.load(S + o, 4), v128.load(S + o)));
    v128.store(gy + o, i16x8.add(i16x8.add(v128.load(D + o), v128.load(D + o, 4)), i16x8.shl(v128.load(D + o, 2), 1)));
  }
  for (; x < w; x++) {
    const o = <usize>x << 1;
    store<i16>(gx + o, load<i16>(S + o, 4) - load<i16>(S + o));
    store<i16>(gy + o, load<i16>(D + o) + load<i16>(D + o, 4) + 2 * load<i16>(D + o, 2));
  }
}

/** Sobel gx, gy (i16[w * h] each) of a gray image; mode 0 = reflect101, 1 = replicate. `scratch`
 * holds two i16[w + 2] rows. */
export function sobel(src: usize, gx: usize, gy: usize, w: i32, h: i32, mode: i32, scratch: usize): void {
  const S = scratch, D = scratch + ((<usize>(w + 2) * 2 + 15) & ~15);
  for (let y = 0; y < h; y++) sobelRowV(src, w, h, y, mode, S, D, gx + (<usize>y * w << 1), gy + (<usize>y * w << 1));
}

/** Gradient magnitudes (i32) of a row: |gx| + |gy|, or gx^2 + gy^2 when l2. */
function magRow(gx: usize, gy: usize, w: i32, l2: i32, dst: usize): void {
  let x = 0;
  for (; x + 8 <= w; x += 8) {
    const a = v128.load(gx + (<usize>x << 1)), b = v128.load(gy + (<usize>x << 1));
    const p = dst + (<usize>x << 2);
    if (l2) {
      v128.store(p, i32x4.add(i32x4.extmul_low_i16x8_s(a, a), i32x4.extmul_low_i16x8_s(b, b)));
      v128.store(p, i32x4.add(i32x4.extmul_high_i16x8_s(a, a), i32x4.extmul_high_i16x8_s(b, b)), 16);
    } else {
      const m = i16x8.add(i16x8.abs(a), i16x8.abs(b));
      v128.store(p, i32x4.extend_low_i16x8_s(m));
      v128.store(p, i32x4.extend_high_i16x8_s(m), 16);
    }
  }
  for (; x < w; x++) {
    const a = <i32>load<i16>(gx + (<usize>x << 1)), b = <i32>load<i16>(gy + (<usize>x << 1));
    store<i32>(dst + (<usize>x << 2), l2 ? a * a + b * b : abs(a) + abs(b));
  }
}

/**
 * Canny (canny.ts, the same decisions): Sobel with replicated borders one row ahead, magnitudes
 * of three rows, non-maximum suppression with the tan(22.5) fixed-point test (runs of eight
 * magnitudes at or below `low` skipped at once), 8-connected hysteresis from a stack, then the
 * edge bytes out. map: u8[(w + 2) * (h + 2)] (0 candidate, 1 not an edge, 255 edge, a frame of
 * 1s); stack: i32[w * h]; scratch: six i16[w + 2] rows and three i32[w + 2] rows.
 */
export function canny(src: usize, dst: usize, w: i32, h: i32, low: i32, high: i32, l2: i32, map: usize, stack: usize, scratch: usize): void {
  const mw = <usize>w + 2;
  const r16 = (<usize>(w + 2) * 2 + 15) & ~15, r32 = (<usize>(w + 2) * 4 + 15) & ~15;
  const S = scratch, D = S + r16;
  let gxC = D + r16, gyC = gxC + r16, gxN = gyC + r16, gyN = gxN + r16;
  let prev = gyN + r16, cur = prev + r32, next = cur + r32;
  memory.fill(prev, 0, r32 * 3);
  memory.fill(map, 1, mw);
  memory.fill(map + <usize>(h + 1) * mw, 1, mw);
  sobelRowV(src, w, h, 0, 1, S, D, gxC, gyC);
  magRow(gxC, gyC, w, l2, cur + 4);
  const lowV = i32x4.splat(low);
  let sp = stack;
  for (let y = 0; y < h; y++) {
    if (y + 1 < h) {
      sobelRowV(src, w, h, y + 1, 1, S, D, gxN, gyN);
      magRow(gxN, gyN, w, l2, next + 4);
    } else memory.fill(next, 0, r32);
    const mo = map + <usize>(y + 1) * mw + 1;
    memory.fill(mo - 1, 1, mw);
    for (let x0 = 0; x0 < w; x0 += 8) {
      const end = min(x0 + 8, w);
      if (end - x0 == 8) {
        const p = cur + 4 + (<usize>x0 << 2);
        if (!v128.any_true(v128.or(i32x4.gt_s(v128.load(p), lowV), i32x4.gt_s(v128.load(p, 16), lowV)))) continue;
      }
      for (let x = x0; x < end; x++) {
        const pc = cur + (<usize>(x + 1) << 2);
        const m = load<i32>(pc);
        if (m <= low) continue;
        const xs = <i32>load<i16>(gxC + (<usize>x << 1)), ys = <i32>load<i16>(gyC + (<usize>x << 1));
        const ax = abs(xs), ay = abs(ys) << 15;
        const tg22x = ax * 13573;
        const pp = prev + (<usize>(x + 1) << 2), pn = next + (<usize>(x + 1) << 2);
        let keep: bool;
        if (ay < tg22x) keep = m > load<i32>(pc - 4) && m >= load<i32>(pc + 4);
        else if (ay > tg22x + (ax << 16)) keep = m > load<i32>(pp) && m >= load<i32>(pn);
        else if ((xs ^ ys) < 0) keep = m > load<i32>(pp + 4) && m > load<i32>(pn - 4);
        else keep = m > load<i32>(pp - 4) && m > load<i32>(pn + 4);
        if (!keep) continue;
        if (m > high) {
          store<u8>(mo + x, 255);
          store<usize>(sp, mo + x);
          sp += 4;
        } else store<u8>(mo + x, 0);
      }
    }
    const t = prev; prev = cur; cur = next; next = t;
    const tx = gxC; gxC = gxN; gxN = tx;
    const ty = gyC; gyC = gyN; gyN = ty;
  }
  while (sp > stack) {
    sp -= 4;
    const p = load<usize>(sp);
    sp = pushWeak(p - mw - 1, sp); sp = pushWeak(p - mw, sp); sp = pushWeak(p - mw + 1, sp); sp = pushWeak(p - 1, sp);
    sp = pushWeak(p + 1, sp); sp = pushWeak(p + mw - 1, sp); sp = pushWeak(p + mw, sp); sp = pushWeak(p + mw + 1, sp);
  }
  const edge = i8x16.splat(-1);
  for (let y = 0; y < h; y++) {
    const row = map + <usize>(y + 1) * mw + 1, o = dst + <usize>y * w;
    let x = 0;
    for (; x + 16 <= w; x += 16) v128.store(o + x, i8x16.eq(v128.load(row + x), edge));
    for (; x < w; x++) store<u8>(o + x, load<u8>(row + x) == 255 ? 255 : 0);
  }
}

/** Hysteresis step: a weak candidate at q becomes an edge and is pushed. */
function pushWeak(q: usize, sp: usize): usize {
  if (load<u8>(q) != 0) return sp;
  store<u8>(q, 255);
  store<usize>(sp, q);
  return sp + 4;
}

// ---- watershed.ts ---------------------------------------------------------------------------

/** Largest per-channel difference between pixels i and j (nc = 1 or 3 of ch channels). */
function wsDiff(img: usize, ch: i32, nc: i32, i: i32, j: i32): i32 {
  const p = img + <usize>i * ch, q = img + <usize>j * ch;
  let d = abs(<i32>load<u8>(p) - <i32>load<u8>(q));
  if (nc == 3) {
    d = max(d, abs(<i32>load<u8>(p, 1) - <i32>load<u8>(q, 1)));
    d = max(d, abs(<i32>load<u8>(p, 2) - <i32>load<u8>(q, 2)));
  }
  return d;
}

/** Appends pixel i to FIFO `level` (links kept in m: a queued pixel holds -3 - next, the tail -2). */
function wsPush(m: usize, heads: usize, tails: usize, level: i32, i: i32): void {
  store<i32>(m + (<usize>i << 2), -2);
  const tl = tails + (<usize>level << 2);
  const t = load<i32>(tl);
  if (t < 0) store<i32>(heads + (<usize>level << 2), i); else store<i32>(m + (<usize>t << 2), -3 - i);
  store<i32>(tl, i);
}

/**
 * Marker watershed (watershed.ts, the same flooding order and labels) in place on m (i32[w * h]):
 * 256 FIFO queues keyed by the largest channel difference, 4-connected, -1 for boundaries and the
 * image frame. queues: i32[512] (heads, then tails).
 */
export function watershed(img: usize, ch: i32, m: usize, w: i32, h: i32, queues: usize): void {
  const heads = queues, tails = queues + 1024;
  memory.fill(queues, 0xff, 2048);
  const nc = ch == 1 ? 1 : 3;
  for (let x = 0; x < w; x++) { store<i32>(m + (<usize>x << 2), -1); store<i32>(m + (<usize>((h - 1) * w + x) << 2), -1); }
  for (let y = 1; y < h - 1; y++) {
    const o = y * w;
    store<i32>(m + (<usize>o << 2), -1);
    store<i32>(m + (<usize>(o + w - 1) << 2), -1);
    for (let x = 1; x < w - 1; x++) {
      const i = o + x, pi = m + (<usize>i << 2);
      if (load<i32>(pi) < 0) store<i32>(pi, 0);
      if (load<i32>(pi) != 0) continue;
      const l = load<i32>(pi - 4), r = load<i32>(pi + 4), u = load<i32>(pi - (<usize>w << 2)), d = load<i32>(pi + (<usize>w << 2));
      if (l <= 0 && r <= 0 && u <= 0 && d <= 0) continue;
      let best = 256;
      if (l > 0) best = wsDiff(img, ch, nc, i, i - 1);
      if (r > 0) best = min(best, wsDiff(img, ch, nc, i, i + 1));
      if (u > 0) best = min(best, wsDiff(img, ch, nc, i, i - w));
      if (d > 0) best = min(best, wsDiff(img, ch, nc, i, i + w));
      wsPush(m, heads, tails, best, i);
    }
  }
  let active = 0;
  while (active < 256 && load<i32>(heads + (<usize>active << 2)) < 0) active++;
  if (active == 256) return;
  const wb = <usize>w << 2;
  while (true) {
    if (load<i32>(heads + (<usize>active << 2)) < 0) {
      let q = active + 1;
      while (q < 256 && load<i32>(heads + (<usize>q << 2)) < 0) q++;
      if (q == 256) break;
      active = q;
    }
    const ha = heads + (<usize>active << 2);
    const i = load<i32>(ha), pi = m + (<usize>i << 2);
    const link = load<i32>(pi);
    const nextHead = link == -2 ? -1 : -3 - link;
    store<i32>(ha, nextHead);
    if (nextHead < 0) store<i32>(tails + (<usize>active << 2), -1);
    const n0 = load<i32>(pi - 4), n1 = load<i32>(pi + 4), n2 = load<i32>(pi - wb), n3 = load<i32>(pi + wb);
    let lab = 0;
    if (n0 > 0) lab = n0;
    if (n1 > 0) lab = lab == 0 ? n1 : lab != n1 ? -1 : lab;
    if (lab >= 0 && n2 > 0) lab = lab == 0 ? n2 : lab != n2 ? -1 : lab;
    if (lab >= 0 && n3 > 0) lab = lab == 0 ? n3 : lab != n3 ? -1 : lab;
    store<i32>(pi, lab);
    if (lab == -1) continue;
    // (a push writes only into queued pixels, so n0..n3 still tell which neighbours are unlabelled)
    if (n0 == 0) active = wsQueue(img, ch, nc, m, heads, tails, i, i - 1, active);
    if (n1 == 0) active = wsQueue(img, ch, nc, m, heads, tails, i, i + 1, active);
    if (n2 == 0) active = wsQueue(img, ch, nc, m, heads, tails, i, i - w, active);
    if (n3 == 0) active = wsQueue(img, ch, nc, m, heads, tails, i, i + w, active);
  }
}

/** Queues unlabelled neighbour j of i at its difference level; returns the lowest active level. */
function wsQueue(img: usize, ch: i32, nc: i32, m: usize, heads: usize, tails: usize, i: i32, j: i32, active: i32): i32 {
  const t = wsDiff(img, ch, nc, i, j);
  wsPush(m, heads, tails, t, j);
  return t < active ? t : active;
}
