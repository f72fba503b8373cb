// `maskwright import`: masks from another tool's export, written beside the images.
import { UsageError, type CliCommand } from '../command';
import { cliConfigBoundary } from '../../dataset/scan';
import { IMPORT_FORMATS, formatJob, summaryJson, type ImportFormat } from '../../interchange/common';
import { ImportError, importDataset } from '../../interchange/importDataset';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import COCO, COCO panoptic, VOC, Cityscapes, YOLO-seg, labelme, gray8 or Label Studio masks',
  help: [
    'usage: maskwright import --format FORMAT SRC --images DIR [--overwrite] [--dry-run] [--json]',
    '',
    'Writes STEM.mask.png / STEM.instances.png / STEM.mask.json beside the images of DIR from an',
    'existing export, and creates or extends DIR\'s maskwright.json with its categories (a category',
    'keeps its id as class id where it fits 0..254, or 0..65534 in a 16-bit dataset; otherwise the',
    'mapping is printed and recorded in each sidecar). Overlapping objects: the smaller stays on top. iscrowd regions become the ignore',
    'index. Masks that are reviewed, edited by hand or of unknown origin are skipped unless',
    '--overwrite (the old files go to .maskwright/trash). An image imports completely or not at all.',
    '',
    'Formats (SRC):',
    '  coco           instances or COCO-stuff JSON (RLE or polygons)',
    '  coco-panoptic  panoptic JSON; PNGs in the folder of the same name (FILE.json -> FILE/)',
    '  voc            VOC root (SegmentationClass/, SegmentationObject/, optional labelmap.txt)',
    '  cityscapes     folder searched for *_gtFine_labelIds.png (+ *_gtFine_instanceIds.png)',
    '  yolo-seg       dataset folder with data.yaml and labels/ (or the data.yaml)',
    '  labelme        a labelme JSON file or a folder of them',
    '  gray8          folder of STEM.png with class ids',
    '  label-studio   Label Studio JSON export with brush (RLE) labels',
    '',
    'Options:',
    '  --format F      one of the formats above (required)',
    '  --images DIR    the dataset\'s images (searched recursively; required)',
    '  --crowd MODE    ignore (default): iscrowd regions become the ignore index; class: their class',
    '  --semantic-bits 16  make the dataset 16-bit ("semanticBits": 16 in its config): category ids',
    '                  up to 65534 stay class ids, masks are written as 16-bit grayscale PNGs',
    '  --overwrite     also replace reviewed or hand-edited masks (old files kept in the trash)',
    '  --dry-run       check and report, write nothing',
    '  --json          print the summary as one JSON object',
    '',
    'Exit status: 0 all imported, 1 an item failed, 2 bad arguments or unreadable SRC.',
    'Example: maskwright import --format coco annotations/instances_train.json --images data/train',
  ].join('\n'),
  options: {
    format: { type: 'string' }, images: { type: 'string' }, crowd: { type: 'string' }, 'semantic-bits': { type: 'string' },
    overwrite: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const format = values.format;
    if (typeof format !== 'string' || !(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
    if (positionals.length !== 1) throw new UsageError('give exactly one SRC (the export to import)');
    if (typeof values.images !== 'string' || !values.images) throw new UsageError('--images DIR is required');
    const crowd = values.crowd ?? 'ignore';
    if (crowd !== 'ignore' && crowd !== 'class') throw new UsageError('--crowd must be ignore or class');
    const bits = values['semantic-bits'];
    if (bits !== undefined && bits !== '16') throw new UsageError('--semantic-bits must be 16 (8 is the default of a config without it)');
    let summary;
    try {
      summary = await importDataset({
        format: format as ImportFormat, src: positionals[0], images: values.images, crowd, ...(bits === '16' ? { semanticBits: 16 as const } : {}),
        overwrite: values.overwrite === true, dryRun: values['dry-run'] === true,
        stopAt: await cliConfigBoundary([values.images]), signal: io.signal,
      });
    } catch (e) {
      if (e instanceof ImportError) throw new UsageError(e.message);
      throw e;
    }
    if (values.json) io.out(JSON.stringify(summaryJson(summary)));
    else {
      for (const l of formatJob(values['dry-run'] ? 'would import' : 'imported', summary)) io.out(l);
      const map = summary.details.categoryMap as Record<string, number> | undefined;
      if (map) io.out(`  categories mapped to other class ids: ${Object.entries(map).map(([k, v]) => `${k} -> ${v}`).join(', ')}`);
    }
    if (summary.cancelled) return 130;
    return summary.failed > 0 || summary.errors.length > 0 ? 1 : 0;
  },
};
