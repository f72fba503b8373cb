// COCO panoptic: one RGB PNG per image whose pixel colour encodes a segment id
// (id = R + 256 G + 256^2 B, 0 = void / unlabelled), and per image `segments_info` with each
// segment's category, area, bbox and iscrowd; categories carry `isthing`. Pure.
import { labelBoxes } from './trace';

export function idToRgb(id: number): [number, number, number] {
  return [id & 255, (id >>> 8) & 255, (id >>> 16) & 255];
}

export function rgbToId(r: number, g: number, b: number): number {
  return r + 256 * g + 65536 * b;
}

/** Interleaved RGB bytes of a segment-id map. */
export function idsToRgb(ids: Uint32Array): Uint8Array {
  const out = new Uint8Array(ids.length * 3);
  for (let i = 0, o = 0; i < ids.length; i++, o += 3) {
    const v = ids[i];
    out[o] = v & 255; out[o + 1] = (v >>> 8) & 255; out[o + 2] = (v >>> 16) & 255;
  }
  return out;
}

/** Segment ids of interleaved RGB(A) samples (8-bit). */
export function rgbToIds(data: ArrayLike<number>, channels: number, pixels: number): Uint32Array {
  const out = new Uint32Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += channels) out[i] = data[o] + 256 * data[o + 1] + 65536 * data[o + 2];
  return out;
}

export interface SegmentMeta {
  category_id: number;
  iscrowd: 0 | 1;
  /** Maskwright's instance id (0: a region without an instance); an extra field readers ignore. */
  instance_id: number;
}

export interface SegmentInfo extends SegmentMeta {
  id: number;
  area: number;
  /** [x, y, width, height] of the segment's pixels. */
  bbox: [number, number, number, number];
}

/** The id of the segment holding the pixels of class `cls` that have no instance. */
export function regionSegmentId(cls: number): number {
  // (cls + 1) * 65536 fits the 24-bit RGB id for classes 0..254. The ids of 16-bit classes
  // (255..65534) go between the first two such multiples: 65536 + cls, unused otherwise.
  return cls < 255 ? (cls + 1) * 65536 : 65536 + cls;
}

/** The class of a region segment id (regionSegmentId's inverse); ids below 65536 are instances. */
export function regionClassOf(id: number): number {
  return id % 65536 === 0 ? id / 65536 - 1 : id - 65536;
}

/**
 * Segment ids of an image: an instance's pixels get its instance id (1..65535); the remaining
 * pixels of a class get regionSegmentId(class) (one segment per class, including background);
 * ignore pixels get 0 (void).
 */
export function panopticIds(semantic: Uint8Array | Uint16Array, instances: Uint16Array, ignoreIndex: number): Uint32Array {
  const ids = new Uint32Array(semantic.length);
  for (let i = 0; i < ids.length; i++) {
    const s = semantic[i];
    if (s === ignoreIndex) continue;
    ids[i] = instances[i] !== 0 ? instances[i] : regionSegmentId(s);
  }
  return ids;
}

/** `segments_info` of an id map, in increasing id order, from per-segment metadata. */
export function segmentsInfo(ids: Uint32Array, width: number, height: number, meta: (id: number) => SegmentMeta): SegmentInfo[] {
  const boxes = labelBoxes(ids, width, height);
  const area = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) if (ids[i] !== 0) area.set(ids[i], (area.get(ids[i]) ?? 0) + 1);
  return [...boxes.entries()].sort((a, b) => a[0] - b[0]).map(([id, b]) => ({
    id, ...meta(id), area: area.get(id) ?? 0, bbox: [b.x0, b.y0, b.x1 - b.x0 + 1, b.y1 - b.y0 + 1],
  }));
}
