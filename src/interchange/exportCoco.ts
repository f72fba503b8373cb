// COCO instances (`--out FILE.json`) and COCO panoptic (`FILE.json` + `FILE/STEM.png`) writers.
// With --split, FILE_<split>.json (and FILE_<split>/ for panoptic).
import * as path from 'node:path';
import { encodeRgbPng } from '../io/image';
import { classRgb, type DatasetConfig } from '../shared/config';
import { rleAnnotation, type CocoAnnotation, type CocoCategory, type CocoImage } from '../formats/coco';
import { encodeLayers, toCocoRle } from '../formats/rle';
import { labelBoxes, traceCorners } from '../formats/trace';
import { idsToRgb, panopticIds, regionClassOf, segmentsInfo, type SegmentInfo } from '../formats/panoptic';
import { bump, writeOut } from './common';
import { instanceClasses, type ExportContext, type ExportImage, type ExportWriter } from './exportTypes';

/** COCO categories of a config: every class but the ignore index (and, for instances files, the background). */
export function cocoCategories(config: DatasetConfig, withBackground: boolean): CocoCategory[] {
  const cats: CocoCategory[] = config.classes
    .filter((c) => c.id !== config.ignoreIndex && (withBackground || c.id !== config.backgroundId))
    .map((c) => ({ id: c.id, name: c.name, supercategory: c.kind, isthing: c.kind === 'thing' ? 1 : 0, color: classRgb(config, c.id) }));
  if (withBackground && !cats.some((c) => c.id === config.backgroundId)) {
    cats.push({ id: config.backgroundId, name: 'background', supercategory: 'stuff', isthing: 0, color: classRgb(config, config.backgroundId) });
  }
  return cats.sort((a, b) => a.id - b.id);
}

/** Output file of a split: FILE.json -> FILE_<split>.json. */
export function splitFile(out: string, split: string | null): string {
  return split ? out.replace(/\.json$/i, '') + `_${split}.json` : out;
}

interface Bucket { images: CocoImage[]; annotations: unknown[] }

function buckets(ctx: ExportContext): Map<string, Bucket> {
  const m = new Map<string, Bucket>();
  for (const s of ctx.splits ?? ['']) m.set(s, { images: [], annotations: [] });
  return m;
}

export function cocoWriter(ctx: ExportContext): ExportWriter {
  const { config, summary } = ctx;
  const files = buckets(ctx);
  let annId = 0;
  return {
    async add(img: ExportImage): Promise<number> {
      const { width, height, semantic, instances } = img.maps;
      const b = files.get(img.split ?? '') as Bucket;
      const imageId = b.images.length + 1;
      const image: CocoImage = { id: imageId, file_name: img.rel, width, height };
      const layers = encodeLayers(semantic, instances, width, height, config.backgroundId, config.ignoreIndex);
      if (layers.ignore) image.ignore_mask = toCocoRle(layers.ignore, width, height);
      b.images.push(image);
      const classes = instanceClasses(img, layers.instances.keys());
      const anns: CocoAnnotation[] = [];
      const boxes = ctx.polygons ? labelBoxes(instances, width, height) : null;
      for (const id of [...layers.instances.keys()].sort((a, b) => a - b)) {
        const counts = layers.instances.get(id) as number[];
        const a = rleAnnotation(++annId, imageId, classes.get(id) as number, id, counts, width, height);
        if (boxes) {
          const parts = traceCorners(instances, width, id, boxes.get(id)!);
          if (parts.some((p) => p.holes.length > 0)) bump(summary, 'rleForHoles');
          else {
            // Corner polygons rasterise back to exactly these pixels with pycocotools, so area and bbox stay the RLE's.
            a.segmentation = parts.map((p) => p.outer);
            bump(summary, 'polygons');
          }
        }
        anns.push(a);
      }
      for (const cls of [...layers.regions.keys()].sort((a, b) => a - b)) {
        anns.push(rleAnnotation(++annId, imageId, cls, 0, layers.regions.get(cls) as number[], width, height));
        bump(summary, 'regions');
      }
      b.annotations.push(...anns);
      return anns.length;
    },
    async finish(): Promise<void> {
      const categories = cocoCategories(config, false);
      for (const [split, b] of files) {
        const doc = { info: { description: 'Exported by Maskwright', version: '1.0' }, licenses: [], images: b.images, annotations: b.annotations, categories };
        await writeOut(summary, splitFile(ctx.out, split || null), JSON.stringify(doc));
      }
    },
  };
}

export function panopticWriter(ctx: ExportContext): ExportWriter {
  const { config, summary } = ctx;
  const files = buckets(ctx);
  const pngDir = (split: string | null): string => splitFile(ctx.out, split).replace(/\.json$/i, '');
  return {
    async add(img: ExportImage): Promise<number> {
      const { width, height } = img.maps;
      const b = files.get(img.split ?? '') as Bucket;
      const imageId = b.images.length + 1;
      b.images.push({ id: imageId, file_name: img.rel, width, height });
      const ids = panopticIds(img.maps.semantic, img.maps.instances, config.ignoreIndex);
      const classes = instanceClasses(img);
      const segments: SegmentInfo[] = segmentsInfo(ids, width, height, (id) => id <= 65535
        ? { category_id: classes.get(id) as number, iscrowd: 0, instance_id: id }
        : { category_id: regionClassOf(id), iscrowd: 0, instance_id: 0 });
      const pngName = `${img.stem}.png`;
      const png = await encodeRgbPng(width, height, 3, idsToRgb(ids), 1);
      await writeOut(summary, path.join(pngDir(img.split), pngName), png);
      b.annotations.push({ image_id: imageId, file_name: pngName, segments_info: segments });
      return segments.length;
    },
    async finish(): Promise<void> {
      const categories = cocoCategories(config, true);
      for (const [split, b] of files) {
        const doc = { info: { description: 'Exported by Maskwright', version: '1.0' }, licenses: [], images: b.images, annotations: b.annotations, categories };
        await writeOut(summary, splitFile(ctx.out, split || null), JSON.stringify(doc));
      }
    },
  };
}
