// Writers of the per-image formats: Pascal VOC, Cityscapes, YOLO-seg, labelme, gray8.
import * as path from 'node:path';
import { encodeGray16Png, encodeGray8Png, encodeIndexedPng } from '../io/labelPng';
import { paletteOf, vocColor, type DatasetConfig } from '../shared/config';
import { toCityscapes } from '../formats/cityscapes';
import { narrowSemantic } from '../formats/narrow';
import { labelmapTxt, vocClassIndices, vocObjectIndices } from '../formats/voc';
import { atLeastThree, labelBoxes, traceCentres, type Box } from '../formats/trace';
import { dataYaml, mergeSegments, orderNearest, yoloLine } from '../formats/yoloSeg';
import { IGNORE_LABEL, REGION_DESCRIPTION, labelmeDocument, maskShape, polygonShape, type LabelmeShapeOut } from '../formats/labelme';
import { bump, linkOrCopy, posixRelative, writeOut } from './common';
import { ignoreMask, instanceClasses, regionLabels, type ExportContext, type ExportImage, type ExportWriter } from './exportTypes';

const VOC_PALETTE = (() => { const p = new Uint8Array(768); for (let i = 0; i < 256; i++) p.set(vocColor(i), i * 3); return p; })();

/** Class name by id (config name, else "class N"). */
function nameOf(config: DatasetConfig, id: number): string {
  return config.classes.find((c) => c.id === id)?.name ?? `class ${id}`;
}

function lists(ctx: ExportContext): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const s of ctx.splits ?? ['trainval']) m.set(s, []);
  return m;
}

export function vocWriter(ctx: ExportContext): ExportWriter {
  const { config, summary, out } = ctx;
  const sets = lists(ctx);
  return {
    async add(img) {
      const { width, height, semantic, instances } = img.maps;
      const obj = vocObjectIndices(semantic, instances, config.ignoreIndex);
      if (obj.renumbered) bump(summary, 'renumbered');
      await writeOut(summary, path.join(out, 'SegmentationClass', `${img.stem}.png`), encodeIndexedPng(width, height, vocClassIndices(semantic, config.ignoreIndex, width), paletteOf(config)));
      await writeOut(summary, path.join(out, 'SegmentationObject', `${img.stem}.png`), encodeIndexedPng(width, height, obj.indices, VOC_PALETTE));
      await linkOrCopy(summary, img.file, path.join(out, 'JPEGImages', path.basename(img.file)));
      sets.get(img.split ?? 'trainval')?.push(img.stem);
      return new Set(instances.filter((v) => v !== 0)).size;
    },
    async finish() {
      for (const [name, stems] of sets) await writeOut(summary, path.join(out, 'ImageSets', 'Segmentation', `${name}.txt`), stems.map((s) => s + '\n').join(''));
      const max = Math.max(config.backgroundId, ...config.classes.map((c) => c.id));
      const pal = paletteOf(config);
      const classes = Array.from({ length: max + 1 }, (_, id) => ({ name: nameOf(config, id), rgb: [pal[id * 3], pal[id * 3 + 1], pal[id * 3 + 2]] }));
      await writeOut(summary, path.join(out, 'labelmap.txt'), labelmapTxt(classes));
    },
  };
}

export function cityscapesWriter(ctx: ExportContext): ExportWriter {
  const { config, summary, out } = ctx;
  return {
    async add(img) {
      const { width, height } = img.maps;
      const classes = instanceClasses(img);
      const cs = toCityscapes(img.maps.semantic, img.maps.instances, (id) => classes.get(id) as number, { width, ignoreIndex: config.ignoreIndex });
      const city = path.basename(path.dirname(img.file));
      const dir = path.join(out, 'gtFine', img.split ?? 'all', city);
      await writeOut(summary, path.join(dir, `${img.stem}_gtFine_labelIds.png`), encodeGray8Png(width, height, cs.labelIds));
      await writeOut(summary, path.join(dir, `${img.stem}_gtFine_instanceIds.png`), encodeGray16Png(width, height, cs.instanceIds));
      await linkOrCopy(summary, img.file, path.join(out, 'leftImg8bit', img.split ?? 'all', city, `${img.stem}_leftImg8bit${path.extname(img.file)}`));
      return classes.size;
    },
    async finish() { /* no index files */ },
  };
}

/** YOLO class names: every class but background and ignore, in id order. */
export function yoloNames(config: DatasetConfig): { names: string[]; index: Map<number, number> } {
  const kept = config.classes.filter((c) => c.id !== config.backgroundId && c.id !== config.ignoreIndex).sort((a, b) => a.id - b.id);
  return { names: kept.map((c) => c.name), index: new Map(kept.map((c, i) => [c.id, i])) };
}

export function yoloWriter(ctx: ExportContext): ExportWriter {
  const { config, summary, out } = ctx;
  const { names, index } = yoloNames(config);
  const sub = (split: string | null): string => split ?? '';
  return {
    async add(img) {
      const { width, height, instances } = img.maps;
      const classes = instanceClasses(img);
      const boxes = labelBoxes(instances, width, height);
      const lines: string[] = [];
      for (const id of [...boxes.keys()].sort((a, b) => a - b)) {
        const cls = index.get(classes.get(id) as number);
        if (cls === undefined) { bump(summary, 'notExported'); continue; }
        const parts = traceCentres(instances, width, height, id, boxes.get(id) as Box);
        const rings = parts.flatMap((p) => [p.outer, ...p.holes]);
        if (rings.length > 1) bump(summary, 'bridged');
        const merged = mergeSegments(orderNearest(rings)).ring;
        lines.push(yoloLine(cls, atLeastThree(merged), width, height));
      }
      const regions = regionLabels(img.maps, config);
      if (regions.some((v) => v !== 0)) bump(summary, 'regionsNotExported');
      await writeOut(summary, path.join(out, 'labels', sub(img.split), `${img.stem}.txt`), lines.map((l) => l + '\n').join(''));
      await linkOrCopy(summary, img.file, path.join(out, 'images', sub(img.split), path.basename(img.file)));
      return lines.length;
    },
    async finish() {
      const splits: Record<string, string> = {};
      if (ctx.splits) {
        for (const s of ctx.splits) splits[s] = `images/${s}`;
        if (!splits.train) splits.train = `images/${ctx.splits[0]}`;
        if (!splits.val) splits.val = `images/${ctx.splits[ctx.splits.length - 1]}`;
      } else { splits.train = 'images'; splits.val = 'images'; }
      await writeOut(summary, path.join(out, 'data.yaml'), dataYaml(path.resolve(out), splits, names));
    },
  };
}

/** One object (instance or region) as labelme shapes: polygons, or one mask shape when it has holes. */
function shapesOf(map: ArrayLike<number>, width: number, height: number, value: number, box: Box, label: string, groupId: number | null, ctx: ExportContext, description = ''): LabelmeShapeOut[] {
  const parts = traceCentres(map, width, height, value, box);
  if (parts.some((p) => p.holes.length > 0)) {
    bump(ctx.summary, 'maskShapes');
    const w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1;
    const crop = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) crop[y * w + x] = map[(box.y0 + y) * width + box.x0 + x] === value ? 1 : 0;
    return [maskShape(label, box, encodeGray8Png(w, h, crop), groupId, description)];
  }
  return parts.map((p) => polygonShape(label, atLeastThree(p.outer), groupId, description));
}

export function labelmeWriter(ctx: ExportContext): ExportWriter {
  const { config, summary, out } = ctx;
  return {
    async add(img) {
      const { width, height, instances } = img.maps;
      const shapes: LabelmeShapeOut[] = [];
      const regions = regionLabels(img.maps, config);
      const rboxes = labelBoxes(regions, width, height);
      for (const label of [...rboxes.keys()].sort((a, b) => a - b)) shapes.push(...shapesOf(regions, width, height, label, rboxes.get(label) as Box, nameOf(config, label - 1), null, ctx, REGION_DESCRIPTION));
      const classes = instanceClasses(img);
      const boxes = labelBoxes(instances, width, height);
      const area = new Map<number, number>();
      for (let i = 0; i < instances.length; i++) if (instances[i]) area.set(instances[i], (area.get(instances[i]) ?? 0) + 1);
      // Larger first: labelme's shapes_to_label paints in order, so smaller objects stay on top.
      const ids = [...boxes.keys()].sort((a, b) => (area.get(b) as number) - (area.get(a) as number) || a - b);
      for (const id of ids) shapes.push(...shapesOf(instances, width, height, id, boxes.get(id) as Box, nameOf(config, classes.get(id) as number), id, ctx));
      const ign = ignoreMask(img.maps, config.ignoreIndex);
      if (ign) {
        const b = labelBoxes(ign, width, height).get(1) as Box;
        shapes.push(...shapesOf(ign, width, height, 1, b, IGNORE_LABEL, null, ctx));
      }
      const jsonFile = path.join(out, `${img.stem}.json`);
      await writeOut(summary, jsonFile, labelmeDocument(shapes, posixRelative(path.dirname(jsonFile), img.file), width, height));
      return rboxes.size + boxes.size;
    },
    async finish() { /* one file per image */ },
  };
}

/**
 * gray8: 8-bit grayscale ids. A 16-bit dataset exports when its ids fit (0..255); a larger id is a
 * per-image error naming it. The dataset's own 16-bit masks are grayscale already (OpenCV reads
 * them with IMREAD_UNCHANGED as uint16), so no 16-bit variant of this format is needed.
 */
export function gray8Writer(ctx: ExportContext): ExportWriter {
  return {
    async add(img: ExportImage) {
      const { width, height, semantic } = img.maps;
      const ids = semantic instanceof Uint8Array ? semantic : narrowSemantic(semantic, width, { format: 'gray8', max: 255 });
      await writeOut(ctx.summary, path.join(ctx.out, `${img.stem}.png`), encodeGray8Png(width, height, ids));
      return 0;
    },
    async finish() { /* one file per image */ },
  };
}
