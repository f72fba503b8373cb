// COCO detection / instance segmentation JSON: building it (categories, one annotation per object)
// and reading it back with the checks an import needs (duplicate ids, unknown references, bad
// segmentations), each problem named by file, section and index. Pure.
import { rleArea, rleBbox, toCocoRle, type CocoRle } from './rle';

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  /** 1 = countable objects (instances), 0 = regions; as in COCO panoptic, extra for instances files. */
  isthing: 0 | 1;
  color?: [number, number, number];
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  /** Maskwright extra: the ignore / void pixels of the image (compressed RLE), when there are any. */
  ignore_mask?: { size: [number, number]; counts: string };
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: { size: [number, number]; counts: string } | number[][];
  area: number;
  bbox: [number, number, number, number];
  iscrowd: 0 | 1;
  /** The instance id in STEM.instances.png; 0 for a class region without an instance (COCO-stuff style). */
  instance_id: number;
}

/** An annotation of a mask given by its pycocotools counts; area and bbox as pycocotools computes them. */
export function rleAnnotation(id: number, imageId: number, categoryId: number, instanceId: number, counts: readonly number[], width: number, height: number): CocoAnnotation {
  return {
    id, image_id: imageId, category_id: categoryId,
    segmentation: toCocoRle(counts, width, height),
    area: rleArea(counts), bbox: rleBbox(counts, height, width),
    iscrowd: 0, instance_id: instanceId,
  };
}

// ---- reading ----

export interface CocoImageIn { index: number; id: number | string; fileName: string; width: number | null; height: number | null }
export interface CocoCategoryIn { index: number; id: number; name: string; isthing?: boolean; color?: [number, number, number] }
export interface CocoAnnotationIn {
  index: number;
  id: number | string | null;
  imageId: number | string;
  categoryId: number;
  segmentation: CocoRle | number[][];
  iscrowd: boolean;
  /** Present when the file came from Maskwright (or keeps instance ids the same way). */
  instanceId?: number;
}

export interface CocoDoc {
  images: CocoImageIn[];
  categories: CocoCategoryIn[];
  /** Annotations by image id (as a string key). */
  byImage: Map<string, CocoAnnotationIn[]>;
  /** Image-level ignore masks (Maskwright's extra `ignore_mask`), by image id key. */
  ignore: Map<string, CocoRle>;
  /** Problems that make an image fail (all its annotations), by image id key. */
  imageErrors: Map<string, string[]>;
  /** Problems not tied to one image (an annotation of an unknown image, a broken section). */
  errors: string[];
  annotationCount: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number | string => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && v.length > 0);

/** Where JSON.parse stopped, as "line L, column C" when the message gives a position. */
export function jsonErrorAt(text: string, e: Error): string {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return e.message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length, col = pos - before.lastIndexOf('\n');
  return `${e.message} (line ${line}, column ${col}${pos >= text.length - 1 ? '; the file looks truncated' : ''})`;
}

function segmentationOf(s: unknown, at: string): CocoRle | number[][] | string {
  if (Array.isArray(s)) {
    if (s.length === 0) return `${at}: segmentation is an empty list`;
    for (let i = 0; i < s.length; i++) {
      const p = s[i];
      if (!Array.isArray(p) || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) return `${at}: segmentation[${i}] is not a list of numbers`;
      if (p.length < 6 || p.length % 2 !== 0) return `${at}: segmentation[${i}] has ${p.length} coordinates; a polygon needs an even number, at least 6`;
    }
    return s as number[][];
  }
  if (isObj(s)) {
    const size = s.size;
    if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && (v as number) > 0)) return `${at}: segmentation.size must be [height, width]`;
    if (typeof s.counts !== 'string' && !(Array.isArray(s.counts) && s.counts.every((v) => Number.isInteger(v) && (v as number) >= 0))) return `${at}: segmentation.counts must be a string or a list of non-negative integers`;
    return { size: [size[0] as number, size[1] as number], counts: s.counts as string | number[] };
  }
  return `${at}: segmentation must be a polygon list or an RLE object`;
}

/**
 * Parses and checks a COCO instances (or COCO-stuff) JSON text; with `annotations` false only images
 * and categories (COCO panoptic has its own annotations). Throws only when it is not JSON or has no
 * images list.
 */
export function parseCoco(text: string, file: string, annotations = true): CocoDoc {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new Error(`${file}: not valid JSON: ${jsonErrorAt(text, e as Error)}`); }
  if (!isObj(raw) || !Array.isArray(raw.images)) throw new Error(`${file}: not a COCO file (no "images" list)`);
  const doc: CocoDoc = { images: [], categories: [], byImage: new Map(), ignore: new Map(), imageErrors: new Map(), errors: [], annotationCount: 0 };
  const fail = (key: string, msg: string): void => { doc.imageErrors.set(key, [...(doc.imageErrors.get(key) ?? []), msg]); };

  const imageAt = new Map<string, number>();
  raw.images.forEach((im: unknown, index: number) => {
    const at = `${file}: images[${index}]`;
    if (!isObj(im) || !isId(im.id) || typeof im.file_name !== 'string' || !im.file_name) { doc.errors.push(`${at} needs an id and a file_name`); return; }
    const key = String(im.id);
    const dim = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
    if (imageAt.has(key)) {
      const msg = `${at} (${im.file_name}) and images[${imageAt.get(key)}] share id ${key}`;
      doc.errors.push(msg);
      fail(key, msg);
      return;
    }
    imageAt.set(key, index);
    doc.images.push({ index, id: im.id, fileName: im.file_name, width: dim(im.width), height: dim(im.height) });
    if (im.ignore_mask !== undefined) {
      const seg = segmentationOf(im.ignore_mask, `${at}.ignore_mask`);
      if (typeof seg === 'string') fail(key, seg);
      else if (!Array.isArray(seg)) doc.ignore.set(key, seg);
    }
  });

  const catAt = new Map<number, number>();
  const badCats = new Set<number>();
  if (raw.categories !== undefined && !Array.isArray(raw.categories)) doc.errors.push(`${file}: "categories" is not a list`);
  ((Array.isArray(raw.categories) ? raw.categories : []) as unknown[]).forEach((c, index) => {
    const at = `${file}: categories[${index}]`;
    if (!isObj(c) || typeof c.id !== 'number' || !Number.isInteger(c.id) || typeof c.name !== 'string') { doc.errors.push(`${at} needs an integer id and a name`); return; }
    if (catAt.has(c.id)) { doc.errors.push(`${at} (${c.name}) and categories[${catAt.get(c.id)}] share id ${c.id}; annotations of category ${c.id} are not imported`); badCats.add(c.id); return; }
    catAt.set(c.id, index);
    const col = Array.isArray(c.color) && c.color.length === 3 && c.color.every((v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 256) ? c.color as [number, number, number] : undefined;
    doc.categories.push({ index, id: c.id, name: c.name, ...(c.isthing === 0 || c.isthing === 1 ? { isthing: c.isthing === 1 } : {}), ...(col ? { color: col } : {}) });
  });
  doc.categories = doc.categories.filter((c) => !badCats.has(c.id));

  if (!annotations) return doc;
  if (raw.annotations !== undefined && !Array.isArray(raw.annotations)) doc.errors.push(`${file}: "annotations" is not a list`);
  const annAt = new Map<string, { index: number; image: string }>();
  ((Array.isArray(raw.annotations) ? raw.annotations : []) as unknown[]).forEach((a, index) => {
    doc.annotationCount++;
    let at = `${file}: annotations[${index}]`;
    if (!isObj(a)) { doc.errors.push(`${at} is not an object`); return; }
    if (isId(a.id)) at += ` (id ${a.id})`;
    if (!isId(a.image_id)) { doc.errors.push(`${at} has no image_id`); return; }
    const img = String(a.image_id);
    if (!imageAt.has(img)) { doc.errors.push(`${at} refers to image_id ${img}, which is not in images`); return; }
    if (isId(a.id)) {
      const prev = annAt.get(String(a.id));
      if (prev) {
        const msg = `${at} and annotations[${prev.index}] share id ${a.id}`;
        fail(img, msg);
        if (prev.image !== img) fail(prev.image, msg);
        return;
      }
      annAt.set(String(a.id), { index, image: img });
    }
    if (typeof a.category_id !== 'number' || !catAt.has(a.category_id)) {
      fail(img, `${at}: category_id ${JSON.stringify(a.category_id)} is not in categories${badCats.has(a.category_id as number) ? ' (listed twice)' : ''}`);
      return;
    }
    const seg = segmentationOf(a.segmentation, at);
    if (typeof seg === 'string') { fail(img, seg); return; }
    const inst = typeof a.instance_id === 'number' && Number.isInteger(a.instance_id) && a.instance_id >= 0 ? a.instance_id : undefined;
    const list = doc.byImage.get(img) ?? [];
    list.push({ index, id: isId(a.id) ? a.id : null, imageId: a.image_id, categoryId: a.category_id, segmentation: seg, iscrowd: a.iscrowd === 1 || a.iscrowd === true, ...(inst !== undefined ? { instanceId: inst } : {}) });
    doc.byImage.set(img, list);
  });
  return doc;
}

/** How an annotation is named in messages. */
export function annotationName(file: string, a: CocoAnnotationIn): string {
  return `${file}: annotations[${a.index}]${a.id !== null ? ` (id ${a.id})` : ''}`;
}
