// `maskwright export`: write the labelled images of folders in a training format.
import { UsageError, type CliCommand } from '../command';
import { EXPORT_FORMATS, formatJob, summaryJson, type ExportFormat } from '../../interchange/common';
import { ExportError, exportDataset } from '../../interchange/exportDataset';
import { parseSplit } from '../../formats/split';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Export masks to COCO, COCO panoptic, VOC, Cityscapes, YOLO-seg, labelme or gray8',
  help: [
    'usage: maskwright export --format FORMAT --out OUT DIR... [options]',
    '',
    'Writes the images of DIR... that have masks in a training format. Images without mask',
    'files are skipped; one failing image does not stop the others.',
    '',
    'Formats (--out):',
    '  coco           OUT.json: RLE segmentations exactly as pycocotools writes them, area and bbox',
    '                 as pycocotools computes them, instance_id = id in STEM.instances.png; class',
    '                 pixels without an instance as one RLE per image and class (COCO-stuff style);',
    '                 ignore pixels never as an object (image field ignore_mask)',
    '  coco-panoptic  OUT.json + OUT/STEM.png (id = R + 256 G + 256^2 B), categories with isthing',
    '  voc            OUT/SegmentationClass, SegmentationObject, JPEGImages, ImageSets/Segmentation',
    '  cityscapes     OUT/gtFine/SPLIT/CITY/STEM_gtFine_{labelIds,instanceIds}.png (+ leftImg8bit)',
    '  yolo-seg       OUT/labels/STEM.txt (one polygon per object), OUT/images, OUT/data.yaml',
    '  labelme        OUT/STEM.json (labelme 5.x; objects with holes as mask shapes)',
    '  gray8          OUT/STEM.png, 8-bit grayscale class ids (for OpenCV)',
    '',
    'Options:',
    '  --format F          one of the formats above (required)',
    '  --out OUT           output file (coco, coco-panoptic) or folder (required)',
    '  --recursive         descend into sub-folders',
    '  --polygons          coco: polygon lists instead of RLE (objects with holes stay RLE; counted)',
    '  --split S           e.g. train=0.8,val=0.2: seeded random split of the images',
    '  --seed N            seed of --split (default 0)',
    '  --json              print the summary as one JSON object',
    '',
    'Exit status: 0 all exported, 1 an image failed, 2 bad arguments.',
    'Example: maskwright export --format coco --out train.json --split train=0.8,val=0.2 data/',
  ].join('\n'),
  options: {
    format: { type: 'string' }, out: { type: 'string' }, recursive: { type: 'boolean' }, polygons: { type: 'boolean' },
    split: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const format = values.format;
    if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out is required');
    if (positionals.length === 0) throw new UsageError('give at least one folder or image');
    if (values.polygons && format !== 'coco') throw new UsageError('--polygons applies to --format coco only');
    let split;
    try { split = typeof values.split === 'string' ? parseSplit(values.split) : undefined; } catch (e) { throw new UsageError((e as Error).message); }
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed ${String(values.seed)} must be an integer 0..4294967295`);
    if (values.seed !== undefined && !split) throw new UsageError('--seed needs --split');
    let summary;
    try {
      summary = await exportDataset({
        format: format as ExportFormat, out: values.out, inputs: positionals, recursive: values.recursive === true,
        polygons: values.polygons === true, split, seed, signal: io.signal,
        onProgress: values.json ? undefined : (p) => { if (p.current && p.finished % 50 === 0) io.err(`${p.finished}/${p.total}`); },
      });
    } catch (e) {
      if (e instanceof ExportError) throw new UsageError(e.message);
      throw e;
    }
    if (values.json) io.out(JSON.stringify(summaryJson(summary)));
    else for (const l of formatJob('exported', summary)) io.out(l);
    if (summary.cancelled) return 130;
    return summary.failed > 0 ? 1 : 0;
  },
};
