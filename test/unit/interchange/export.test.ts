// Real-data check: camera.png and a coins-like image, thresholded and split into instances, exported
// to every format and read back by the reference readers (PIL / numpy, OpenCV, labelme's own loader
// and rasteriser, ultralytics' polygon2mask recipe), compared pixel for pixel. Polygon formats are
// judged with the documented boundary tolerance; everything else must be exact.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { countsFromString, encodeValue, countsToString, rleArea } from '../../../src/formats/rle';
import { pilReadMany, type PilResult } from '../io/oracles';
import { makeDataset, nearBoundary, oracle, u16, type Labelled } from './dataset';

interface Run { code: number; out: string[]; err: string[] }
async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}

function pil(file: string): PilResult {
  const r = pilReadMany([file])[0];
  if (r instanceof Error) throw r;
  return r;
}

function countDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('export: real data read back by the reference readers', function () {
  this.timeout(300000);
  let ds: Awaited<ReturnType<typeof makeDataset>>;
  let out = '';
  before(async () => {
    ds = await makeDataset();
    out = path.join(ds.dir, '..', path.basename(ds.dir) + '-out');
  });
  after(() => { ds.cleanup(); fs.rmSync(out, { recursive: true, force: true }); });
  const byName = (n: string): Labelled => ds.labelled.find((l) => path.basename(l.file) === n) as Labelled;

  it('bad arguments exit 2: unknown format, --out among the images (gray8 would overwrite camera.png), --polygons for a non-COCO format', async () => {
    assert.equal((await cli('export', '--format', 'tiff', '--out', out, ds.dir)).code, 2);
    const r = await cli('export', '--format', 'gray8', '--out', ds.dir, ds.dir);
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /is inside the dataset folder/);
    assert.equal((await cli('export', '--format', 'voc', '--polygons', '--out', out, ds.dir)).code, 2);
    assert.equal((await cli('export', '--format', 'coco', '--out', path.join(out, 'x'), ds.dir)).code, 2);
  });

  it('the dataset is what the test means: instances with holes, a multi-part instance, stuff and ignore pixels', () => {
    const cam = byName('camera.png');
    assert.ok(cam.info.length >= 10, `${cam.info.length} instances`);
    assert.ok(cam.maps.semantic.includes(2) && cam.maps.semantic.includes(255));
    const coins = byName('coins.png');
    assert.ok(coins.info.length >= 12, `coins: ${coins.info.length} instances`);
  });

  it('coco: RLE of every instance equals pycocotools encoding of its mask; regions, ignore_mask, categories', async () => {
    const file = path.join(out, 'coco.json');
    const r = await cli('export', '--format', 'coco', '--out', file, '--json', ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    const summary = JSON.parse(r.out[0]);
    assert.equal(summary.images, 2);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(doc.categories.map((c: { id: number; isthing: number }) => [c.id, c.isthing]), [[1, 1], [2, 0], [3, 1]]);
    for (const l of ds.labelled) {
      const img = doc.images.find((i: { file_name: string }) => i.file_name === path.basename(l.file));
      assert.ok(img, path.basename(l.file));
      assert.equal(img.width, l.maps.width);
      const anns = doc.annotations.filter((a: { image_id: number }) => a.image_id === img.id);
      const { width: w, height: h } = l.maps;
      for (const info of l.info) {
        const a = anns.find((x: { instance_id: number }) => x.instance_id === info.id);
        assert.ok(a, `instance ${info.id}`);
        // Independent encoding: a plain column-major scan of this instance's pixels.
        const col: number[] = [];
        let prev = 0, run = 0;
        for (let x = 0; x < w; x++) for (let y = 0; y < h; y++) {
          const v = l.maps.instances[y * w + x] === info.id ? 1 : 0;
          if (v !== prev) { col.push(run); run = 0; prev = v; }
          run++;
        }
        col.push(run);
        assert.equal(a.segmentation.counts, countsToString(col));
        assert.deepEqual(a.segmentation.size, [h, w]);
        let area = 0, x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (let i = 0; i < w * h; i++) if (l.maps.instances[i] === info.id) { area++; const x = i % w, y = (i - x) / w; x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
        assert.equal(a.area, area);
        assert.equal(a.category_id, info.class);
        // pycocotools' toBbox widens to the full height when a run crosses a column; else the tight box.
        const crosses = a.bbox[1] === 0 && a.bbox[3] === h && (y0 !== 0 || y1 !== h - 1);
        if (!crosses) assert.deepEqual(a.bbox, [x0, y0, x1 - x0 + 1, y1 - y0 + 1]);
        assert.equal(a.iscrowd, 0);
      }
      const regions = anns.filter((a: { instance_id: number }) => a.instance_id === 0);
      for (const a of regions) {
        const counts = countsFromString(a.segmentation.counts);
        const want = encodeValue(l.maps.semantic.map((v, i) => (l.maps.instances[i] === 0 && v === a.category_id ? 1 : 0)), w, h, 1);
        assert.deepEqual(counts, want);
        assert.equal(a.area, rleArea(want));
      }
      assert.equal(anns.some((a: { category_id: number }) => a.category_id === 255 || a.category_id === 0), false, 'ignore / background exported as an object');
      const ign = l.maps.semantic.some((v) => v === 255);
      assert.equal(img.ignore_mask !== undefined, ign);
    }
  });

  it('voc: PIL reads the class and object PNGs as the semantic ids (255 void) and the instance ids', async () => {
    const dir = path.join(out, 'voc');
    const r = await cli('export', '--format', 'voc', '--out', dir, '--split', 'train=0.5,val=0.5', '--seed', '3', ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    for (const l of ds.labelled) {
      const stem = path.basename(l.file, '.png');
      const c = pil(path.join(dir, 'SegmentationClass', `${stem}.png`));
      assert.equal(c.mode, 'P');
      assert.equal(countDiff(c.data, l.maps.semantic), 0);
      const o = pil(path.join(dir, 'SegmentationObject', `${stem}.png`));
      assert.equal(o.mode, 'P');
      const want = l.maps.instances.map((v, i) => (l.maps.semantic[i] === 255 ? 255 : v));
      assert.equal(countDiff(o.data, want), 0);
      assert.ok(fs.existsSync(path.join(dir, 'JPEGImages', path.basename(l.file))));
    }
    const train = fs.readFileSync(path.join(dir, 'ImageSets', 'Segmentation', 'train.txt'), 'utf8').trim().split('\n');
    const val = fs.readFileSync(path.join(dir, 'ImageSets', 'Segmentation', 'val.txt'), 'utf8').trim().split('\n');
    assert.deepEqual([...train, ...val].sort(), ['camera', 'coins']);
  });

  it('cityscapes: labelIds 8-bit = classes, instanceIds 16-bit = classId*1000+id for instances, classId elsewhere', async () => {
    const dir = path.join(out, 'cityscapes');
    const r = await cli('export', '--format', 'cityscapes', '--out', dir, ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    for (const l of ds.labelled) {
      const stem = path.basename(l.file, '.png');
      const base = path.join(dir, 'gtFine', 'all', path.basename(ds.dir), stem);
      const lab = pil(`${base}_gtFine_labelIds.png`);
      assert.equal(lab.mode, 'L');
      assert.equal(countDiff(lab.data, l.maps.semantic), 0);
      const ins = pil(`${base}_gtFine_instanceIds.png`);
      assert.match(ins.mode, /^I/);
      const cls = new Map(l.info.map((i) => [i.id, i.class]));
      const want = l.maps.instances.map((v, i) => (v ? (cls.get(v) as number) * 1000 + v : l.maps.semantic[i]));
      assert.equal(countDiff(ins.data, want), 0);
    }
  });

  it('coco-panoptic: PIL RGB -> R + 256 G + 256^2 B gives one segment per instance and per class region; areas and boxes by numpy', async () => {
    const file = path.join(out, 'panoptic.json');
    const r = await cli('export', '--format', 'coco-panoptic', '--out', file, ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(doc.categories.map((c: { id: number; isthing: number }) => [c.id, c.isthing]), [[0, 0], [1, 1], [2, 0], [3, 1]]);
    for (const l of ds.labelled) {
      const img = doc.images.find((i: { file_name: string }) => i.file_name === path.basename(l.file));
      const ann = doc.annotations.find((a: { image_id: number }) => a.image_id === img.id);
      const png = pil(path.join(out, 'panoptic', ann.file_name));
      assert.equal(png.mode, 'RGB');
      const n = l.maps.width * l.maps.height;
      const ids = new Uint32Array(n);
      for (let i = 0; i < n; i++) ids[i] = png.data[3 * i] + 256 * png.data[3 * i + 1] + 65536 * png.data[3 * i + 2];
      for (const s of ann.segments_info) {
        let area = 0;
        for (let i = 0; i < n; i++) {
          if (ids[i] !== s.id) continue;
          area++;
          const sem = l.maps.semantic[i], inst = l.maps.instances[i];
          if (s.instance_id) assert.equal(inst, s.instance_id); else assert.equal(inst, 0);
          assert.equal(sem, s.category_id);
        }
        assert.equal(area, s.area);
      }
      for (let i = 0; i < n; i++) if (l.maps.semantic[i] === 255) assert.equal(ids[i], 0);
      assert.equal(ann.segments_info.filter((s: { instance_id: number }) => s.instance_id > 0).length, l.info.length);
    }
  });

  it('gray8: PIL and the values are the class ids', async () => {
    const dir = path.join(out, 'gray8');
    const r = await cli('export', '--format', 'gray8', '--out', dir, ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    for (const l of ds.labelled) {
      const g = pil(path.join(dir, path.basename(l.file)));
      assert.equal(g.mode, 'L');
      assert.equal(countDiff(g.data, l.maps.semantic), 0);
    }
  });

  it('labelme: labelme\'s loader and rasteriser give the maps back within one pixel of each boundary', async () => {
    const dir = path.join(out, 'labelme');
    const r = await cli('export', '--format', 'labelme', '--out', dir, '--json', ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    const summary = JSON.parse(r.out[0]);
    assert.ok(summary.maskShapes > 0, 'objects with holes become mask shapes');
    const names = JSON.stringify({ bright: 1, dark: 2, coin: 3, __ignore__: 255 });
    for (const l of ds.labelled) {
      const o = oracle<{ cls: string; ins: string; types: string[] }>('labelme', path.join(dir, path.basename(l.file, '.png') + '.json'), names);
      const cls = u16(o.cls), ins = u16(o.ins);
      const { width: w, height: h } = l.maps;
      const edge = nearBoundary(l.maps.semantic, w, h);
      const iedge = nearBoundary(l.maps.instances, w, h);
      let far = 0, near = 0;
      for (let i = 0; i < w * h; i++) {
        if (cls[i] !== l.maps.semantic[i] || ins[i] !== l.maps.instances[i]) { if (edge[i] || iedge[i]) near++; else far++; }
      }
      assert.equal(far, 0, `${path.basename(l.file)}: ${far} pixels differ away from boundaries`);
      assert.ok(near <= 0.01 * w * h, `${path.basename(l.file)}: ${near} boundary pixels differ`);
    }
  });

  it('yolo-seg: ultralytics\' polygon2mask of each line gives the instance back; bridges of joined parts and holes are the only extra pixels', async () => {
    const dir = path.join(out, 'yolo');
    const r = await cli('export', '--format', 'yolo-seg', '--out', dir, '--json', ds.dir);
    assert.equal(r.code, 0, r.err.join('\n') + r.out.join('\n'));
    const summary = JSON.parse(r.out[0]);
    assert.ok(summary.bridged >= 1);
    const yaml = fs.readFileSync(path.join(dir, 'data.yaml'), 'utf8');
    assert.match(yaml, /names:\n {2}0: bright\n {2}1: dark\n {2}2: coin\n/);
    for (const l of ds.labelled) {
      const { width: w, height: h } = l.maps;
      const lines = oracle<{ cls: number; mask: string; bridge: string }[]>('yolo', path.join(dir, 'labels', path.basename(l.file, '.png') + '.txt'), String(w), String(h));
      assert.equal(lines.length, l.info.length);
      const ids = [...l.info].sort((a, b) => a.id - b.id);
      lines.forEach((ln, k) => {
        const m = u16(ln.mask), bridge = u16(ln.bridge);
        const id = ids[k].id;
        assert.equal(ln.cls, [1, 2, 3].indexOf(ids[k].class));
        let missing = 0, extra = 0;
        for (let i = 0; i < w * h; i++) {
          const want = l.maps.instances[i] === id;
          if (want && !m[i]) missing++;
          if (!want && m[i] && !bridge[i]) extra++;
        }
        assert.equal(missing, 0, `instance ${id}: ${missing} pixels missing`);
        assert.equal(extra, 0, `instance ${id}: ${extra} extra pixels off the bridges`);
      });
    }
  });
});
