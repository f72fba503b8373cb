// The label maps of one image and the invertible edits applied to them.
// Pure: no vscode, DOM or node imports. Imported by the host, the webview, workers and the CLI.

/**
 * Semantic class ids: a Uint8Array in an 8-bit dataset, a Uint16Array in a 16-bit one (the
 * config's semanticBits). One image's maps never mix the two; patches carry the same type.
 */
export type SemanticIds = Uint8Array | Uint16Array;

/** Semantic class ids (8- or 16-bit) and instance ids (16-bit, 0 = none) of one image, row-major. */
export interface LabelMaps {
  readonly width: number;
  readonly height: number;
  readonly semantic: SemanticIds;
  readonly instances: Uint16Array;
}

export type Layer = 'semantic' | 'instances';

/** A rectangle of one layer with the bytes before and after the change (row-major, w*h each). */
export interface Patch {
  readonly layer: Layer;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly before: Uint8Array | Uint16Array;
  readonly after: Uint8Array | Uint16Array;
}

/** Per-instance metadata kept in the sidecar (`STEM.mask.json`). */
export interface InstanceInfo {
  readonly id: number;
  readonly class: number;
  /** "manual", "tool:<name>" or "model:<model id>". */
  readonly source: string;
  readonly score?: number;
}

/** A change of one instance's metadata: null before = created, null after = deleted. */
export interface MetaChange {
  readonly id: number;
  readonly before: InstanceInfo | null;
  readonly after: InstanceInfo | null;
}

/** One undoable step (a stroke, a fill, a model run). */
export interface MaskEdit {
  readonly label: string;
  readonly patches: readonly Patch[];
  readonly meta?: readonly MetaChange[];
}

export const MAX_SIDE = 32768;
export const MAX_PIXELS = 16384 * 16384;

export function createLabelMaps(width: number, height: number, fill = 0, semanticBits: 8 | 16 = 8): LabelMaps {
  checkSize(width, height);
  const semantic = semanticBits === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  if (fill !== 0) semantic.fill(fill);
  return { width, height, semantic, instances: new Uint16Array(width * height) };
}

export function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size ${width}x${height} is not a positive integer size`);
  }
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new RangeError(`image size ${width}x${height} exceeds the limit of ${MAX_SIDE} per side and ${MAX_PIXELS} pixels`);
  }
}

export function layerArray(maps: LabelMaps, layer: Layer): Uint8Array | Uint16Array {
  return layer === 'semantic' ? maps.semantic : maps.instances;
}

/** A zeroed semantic map of `n` pixels of the same type (8- or 16-bit) as `like`. */
export function semanticLike(like: SemanticIds, n = like.length): SemanticIds {
  return like instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
}

/** 16 when the semantic map holds 16-bit ids, else 8. */
export function semanticBitsOf(semantic: SemanticIds): 8 | 16 {
  return semantic instanceof Uint16Array ? 16 : 8;
}

/** The array type of a layer's patches: the semantic map's own type, Uint16Array for instances. */
function layerCtor(maps: LabelMaps, layer: Layer): Uint8ArrayConstructor | Uint16ArrayConstructor {
  return layer === 'semantic' && maps.semantic instanceof Uint8Array ? Uint8Array : Uint16Array;
}

/** Throws unless the patch fits the maps and carries arrays of the right type and length. */
export function validatePatch(maps: LabelMaps, p: Patch): void {
  if (p.layer !== 'semantic' && p.layer !== 'instances') throw new Error(`patch layer ${String(p.layer)} is unknown`);
  for (const k of ['x', 'y', 'w', 'h'] as const) {
    if (!Number.isInteger(p[k]) || p[k] < 0) throw new Error(`patch ${k}=${p[k]} is not a non-negative integer`);
  }
  if (p.w === 0 || p.h === 0 || p.x + p.w > maps.width || p.y + p.h > maps.height) {
    throw new Error(`patch rect ${p.x},${p.y} ${p.w}x${p.h} is outside the ${maps.width}x${maps.height} image`);
  }
  const Ctor = layerCtor(maps, p.layer);
  const n = p.w * p.h;
  for (const k of ['before', 'after'] as const) {
    if (!(p[k] instanceof Ctor) || p[k].length !== n) {
      throw new Error(`patch ${k} must be a ${Ctor.name} of ${n} values${p.layer === 'semantic' ? ` (the dataset's semantic masks are ${semanticBitsOf(maps.semantic)}-bit)` : ''}`);
    }
  }
}

/** Writes the patch's `after` (or `before`, to undo) bytes into the maps. */
export function applyPatch(maps: LabelMaps, p: Patch, side: 'after' | 'before'): void {
  const dst = layerArray(maps, p.layer);
  const src = p[side];
  if (p.x === 0 && p.w === maps.width) {
    dst.set(src, p.y * maps.width);
    return;
  }
  for (let r = 0; r < p.h; r++) {
    dst.set(src.subarray(r * p.w, (r + 1) * p.w), (p.y + r) * maps.width + p.x);
  }
}

/** Applies an edit forwards; patches are applied in order. */
export function applyEdit(maps: LabelMaps, edit: MaskEdit): void {
  for (const p of edit.patches) applyPatch(maps, p, 'after');
}

/** Reverts an edit; patches are reverted in reverse order so overlapping patches undo correctly. */
export function revertEdit(maps: LabelMaps, edit: MaskEdit): void {
  for (let i = edit.patches.length - 1; i >= 0; i--) applyPatch(maps, edit.patches[i], 'before');
}

export function invertEdit(edit: MaskEdit): MaskEdit {
  return {
    label: edit.label,
    patches: [...edit.patches].reverse().map((p) => ({ ...p, before: p.after, after: p.before })),
    meta: edit.meta ? [...edit.meta].reverse().map((m) => ({ id: m.id, before: m.after, after: m.before })) : undefined,
  };
}

/** Copies a rectangle of one layer out of the maps. */
export function readRect(maps: LabelMaps, layer: Layer, x: number, y: number, w: number, h: number): Uint8Array | Uint16Array {
  const src = layerArray(maps, layer);
  const out = new (layerCtor(maps, layer))(w * h);
  for (let r = 0; r < h; r++) out.set(src.subarray((y + r) * maps.width + x, (y + r) * maps.width + x + w), r * w);
  return out;
}

/**
 * Builds a patch that sets a rectangle of a layer to `after`, recording the current bytes as
 * `before`. Returns null when nothing would change.
 */
export function makePatch(maps: LabelMaps, layer: Layer, x: number, y: number, w: number, h: number, after: Uint8Array | Uint16Array): Patch | null {
  const before = readRect(maps, layer, x, y, w, h);
  let same = true;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) { same = false; break; }
  return same ? null : { layer, x, y, w, h, before, after };
}

/** Applies metadata changes to an instance table (id -> info). */
export function applyMeta(table: Map<number, InstanceInfo>, meta: readonly MetaChange[] | undefined, side: 'after' | 'before'): void {
  if (!meta) return;
  const list = side === 'after' ? meta : [...meta].reverse();
  for (const m of list) {
    const v = m[side];
    if (v) table.set(m.id, v); else table.delete(m.id);
  }
}

/** Smallest instance id not used in the map (1..65535), or 0 when all are taken. */
export function nextInstanceId(instances: Uint16Array, taken?: Iterable<number>): number {
  const used = new Uint8Array(65536);
  for (let i = 0; i < instances.length; i++) used[instances[i]] = 1;
  if (taken) for (const id of taken) if (id >= 0 && id < 65536) used[id] = 1;
  for (let id = 1; id < 65536; id++) if (!used[id]) return id;
  return 0;
}
