// labelme 5.x JSON: one file per image with `version, flags, shapes, imagePath, imageData,
// imageHeight, imageWidth`; each shape `label, points, group_id, description, shape_type, flags,
// mask`. Points are pixel-centre coordinates (labelme rasterises with PIL's polygon, which rounds
// them and fills centres on or inside the outline). A polygon cannot hold a hole, so an object with
// holes is written as a `mask` shape (labelme >= 5.3): points = its inclusive bounding box corners,
// mask = base64 PNG of the crop. labelme's own conventions for special labels: `__ignore__`
// (ignore / void) and `_background_`. Pure: PNG bytes come from the caller.
import { fromBase64, toBase64 } from './base64';

export const LABELME_VERSION = '5.3.1';
export const IGNORE_LABEL = '__ignore__';
export const BACKGROUND_LABEL = '_background_';
/** Description Maskwright gives the shapes of a class region (pixels of a class without an instance). */
export const REGION_DESCRIPTION = 'region';

export interface LabelmeShapeOut {
  label: string;
  points: number[][];
  group_id: number | null;
  description: string;
  shape_type: 'polygon' | 'mask';
  flags: Record<string, never>;
  mask: string | null;
}

/** A polygon shape from a flat pixel-centre ring. */
export function polygonShape(label: string, ring: readonly number[], groupId: number | null, description = ''): LabelmeShapeOut {
  const points: number[][] = [];
  for (let i = 0; i + 1 < ring.length; i += 2) points.push([ring[i], ring[i + 1]]);
  return { label, points, group_id: groupId, description, shape_type: 'polygon', flags: {}, mask: null };
}

/** A mask shape: `png` holds the crop [x0..x1] x [y0..y1] (inclusive) as an 8-bit gray PNG of 0/1. */
export function maskShape(label: string, box: { x0: number; y0: number; x1: number; y1: number }, png: Uint8Array, groupId: number | null, description = ''): LabelmeShapeOut {
  return { label, points: [[box.x0, box.y0], [box.x1, box.y1]], group_id: groupId, description, shape_type: 'mask', flags: {}, mask: toBase64(png) };
}

export function labelmeDocument(shapes: readonly LabelmeShapeOut[], imagePath: string, width: number, height: number): string {
  const doc = { version: LABELME_VERSION, flags: {}, shapes, imagePath, imageData: null, imageHeight: height, imageWidth: width };
  return JSON.stringify(doc, null, 2) + '\n';
}

export type ShapeKind = 'polygon' | 'rectangle' | 'circle' | 'mask';

export interface LabelmeShapeIn {
  /** Position in `shapes` (0-based), for messages. */
  index: number;
  label: string;
  groupId: number | null;
  kind: ShapeKind;
  points: [number, number][];
  description: string;
  /** PNG bytes of a mask shape. */
  maskPng?: Uint8Array;
}

export interface LabelmeDoc {
  imagePath: string | null;
  hasImageData: boolean;
  width: number | null;
  height: number | null;
  shapes: LabelmeShapeIn[];
  /** Per-shape problems (the file names itself in the caller's message). */
  errors: string[];
  /** Shapes skipped because they have no area (line, linestrip, point). */
  skipped: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a labelme JSON text. Throws an Error for text that is not a labelme document at all. */
export function parseLabelme(text: string): LabelmeDoc {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new Error(`not valid JSON (${(e as Error).message})`); }
  if (!isObj(raw)) throw new Error('the top level is not an object');
  if (!Array.isArray(raw.shapes)) throw new Error('"shapes" is missing or not a list (not a labelme file)');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
  const doc: LabelmeDoc = {
    imagePath: typeof raw.imagePath === 'string' && raw.imagePath ? raw.imagePath : null,
    hasImageData: typeof raw.imageData === 'string' && raw.imageData.length > 0,
    width: num(raw.imageWidth), height: num(raw.imageHeight),
    shapes: [], errors: [], skipped: [],
  };
  raw.shapes.forEach((s: unknown, index: number) => {
    const at = `shapes[${index}]`;
    if (!isObj(s)) { doc.errors.push(`${at} is not an object`); return; }
    const label = typeof s.label === 'string' ? s.label : null;
    if (label === null || label === '') { doc.errors.push(`${at} has no label`); return; }
    const name = `${at} ("${label}")`;
    const type = s.shape_type === undefined || s.shape_type === null ? 'polygon' : s.shape_type;
    if (type === 'line' || type === 'linestrip' || type === 'point' || type === 'points') { doc.skipped.push(`${name}: shape_type "${String(type)}" has no area`); return; }
    if (type !== 'polygon' && type !== 'rectangle' && type !== 'circle' && type !== 'mask') { doc.errors.push(`${name}: shape_type ${JSON.stringify(type)} is not supported`); return; }
    if (!Array.isArray(s.points) || !s.points.every((p) => Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === 'number' && Number.isFinite(c)))) {
      doc.errors.push(`${name}: points must be a list of [x, y] numbers`); return;
    }
    const points = s.points as [number, number][];
    const need = type === 'polygon' ? 3 : 2;
    if (type === 'polygon' ? points.length < need : points.length !== need) { doc.errors.push(`${name}: a ${type} needs ${type === 'polygon' ? 'at least 3' : 'exactly 2'} points, it has ${points.length}`); return; }
    let groupId: number | null = null;
    if (s.group_id !== undefined && s.group_id !== null) {
      if (typeof s.group_id !== 'number' || !Number.isInteger(s.group_id)) { doc.errors.push(`${name}: group_id ${JSON.stringify(s.group_id)} is not an integer`); return; }
      groupId = s.group_id;
    }
    const shape: LabelmeShapeIn = { index, label, groupId, kind: type, points, description: typeof s.description === 'string' ? s.description : '' };
    if (type === 'mask') {
      if (typeof s.mask !== 'string' || !s.mask) { doc.errors.push(`${name}: a mask shape without "mask" data`); return; }
      try { shape.maskPng = fromBase64(s.mask); } catch (e) { doc.errors.push(`${name}: mask is not base64 (${(e as Error).message})`); return; }
    }
    doc.shapes.push(shape);
  });
  return doc;
}
