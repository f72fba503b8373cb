// COCO RLE against pycocotools: the shared fixture's strings, areas and boxes (written by
// pycocotools 2.0.11's mask.encode / area / toBbox) byte for byte, and hand-worked vectors (column-
// major order, the delta from counts[i-2] from i = 3 on, negative deltas, multi-character values,
// toBbox's column-crossing quirk). The frPoly vectors were computed with pycocotools' own
// common/maskApi.c (rleFrPoly + rleToString) and are recorded here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeLabelPngBytes } from '../../../src/io/labelPng';
import { countsFromString, countsToString, decodeCounts, encodeLabels, encodeLayers, encodeMask, encodeValue, rleArea, rleBbox, rleCounts, RleError } from '../../../src/formats/rle';
import { frPoly } from '../../../src/formats/polygonRaster';
import { SHARED } from '../../paths';

const RLE_DIR = path.join(SHARED, 'fixtures', 'coco-rle');

interface RefCase { mask: string; size: [number, number]; counts: string; area: number; bbox: number[]; uncompressed_counts_head: number[]; runs: number }

describe('COCO RLE (pycocotools-exact)', () => {
  const refs = JSON.parse(fs.readFileSync(path.join(RLE_DIR, 'refs.json'), 'utf8')) as { generator: string; cases: RefCase[] };

  it('the fixture is pycocotools output and covers empty, full, corner and long-run masks', () => {
    assert.match(refs.generator, /pycocotools/);
    assert.ok(refs.cases.length >= 7);
  });

  for (const c of refs.cases) {
    it(`${c.mask}: counts string, area and bbox equal pycocotools byte for byte; decode gives the mask back`, () => {
      const png = decodeLabelPngBytes(new Uint8Array(fs.readFileSync(path.join(RLE_DIR, c.mask))), c.mask);
      const { width, height } = png.header;
      assert.deepEqual([height, width], c.size);
      const mask = new Uint8Array(width * height);
      for (let i = 0; i < mask.length; i++) mask[i] = png.data[i * png.channels] > 0 ? 1 : 0;
      const counts = encodeMask(mask, width, height);
      assert.deepEqual(counts.slice(0, c.uncompressed_counts_head.length), c.uncompressed_counts_head);
      assert.equal(counts.length, c.runs);
      assert.equal(countsToString(counts), c.counts);
      assert.equal(rleArea(counts), c.area);
      assert.deepEqual(rleBbox(counts, height, width), c.bbox);
      assert.deepEqual(countsFromString(c.counts), counts);
      assert.deepEqual(decodeCounts(rleCounts({ size: c.size, counts: c.counts }), width, height), mask);
    });
  }

  it('hand-worked 2x3 mask [[0,1,1],[0,0,1]]: column-major runs [2,1,1,2], "2111", area 3, bbox [1,0,2,2]', () => {
    const counts = encodeMask([0, 1, 1, 0, 0, 1], 3, 2);
    assert.deepEqual(counts, [2, 1, 1, 2]);
    assert.equal(countsToString(counts), '2111');
    assert.equal(rleArea(counts), 3);
    assert.deepEqual(rleBbox(counts, 2, 3), [1, 0, 2, 2]);
  });

  it('deltas from counts[i-2] from i = 3, negative deltas, multi-character values, empty and full masks', () => {
    const vectors: [number[], string][] = [[[5, 10, 3, 2], '5:3H'], [[0, 100000, 7, 3], '0PeQ37S[nL'], [[0, 3], '03'], [[6], '6']];
    for (const [counts, s] of vectors) {
      assert.equal(countsToString(counts), s, JSON.stringify(counts));
      assert.deepEqual(countsFromString(s), counts);
    }
    assert.deepEqual(encodeMask(new Uint8Array(35), 7, 5), [35]);
    assert.deepEqual(encodeMask(new Uint8Array(18).fill(1), 6, 3), [0, 18]);
  });

  it('toBbox: a run that continues into the next column widens the box to the full height (pycocotools quirk)', () => {
    const mask = new Uint8Array(12);
    mask[3 * 3 + 0] = 1; // (x 0, y 3)
    mask[0 * 3 + 1] = 1; // (x 1, y 0)
    const counts = encodeMask(mask, 3, 4);
    assert.equal(countsToString(counts), '327');
    assert.deepEqual(rleBbox(counts, 4, 3), [0, 0, 2, 4]);
  });

  it('encodeLabels gives every label\'s runs in one pass, equal to encoding each label alone', () => {
    const w = 37, h = 23, map = new Uint16Array(w * h);
    for (let i = 0; i < map.length; i++) map[i] = ((i * 7919) >> 5) % 5;
    const all = encodeLabels(map, w, h);
    for (let v = 1; v < 5; v++) assert.deepEqual(all.get(v), encodeMask(map.map((x) => (x === v ? 1 : 0)), w, h));
  });

  it('encodeLayers: instances, class regions without instances and ignore pixels in one pass, each equal to its own encoding', () => {
    const w = 41, h = 29, n = w * h;
    const semantic = new Uint8Array(n), instances = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      semantic[i] = [0, 1, 2, 255][((i * 2654435761) >>> 7) % 4];
      instances[i] = semantic[i] === 1 && i % 3 ? 1 + (i % 5) : 0;
    }
    instances[7] = 9; semantic[7] = 255; // an instance pixel of the ignore class still counts as ignore
    const r = encodeLayers(semantic, instances, w, h, 0, 255);
    for (const id of [1, 2, 3, 4, 5, 9]) assert.deepEqual(r.instances.get(id), encodeValue(instances, w, h, id));
    assert.deepEqual(r.regions.get(2), encodeMask(semantic.map((s, i) => (s === 2 && !instances[i] ? 1 : 0)), w, h));
    assert.deepEqual(r.regions.get(1), encodeMask(semantic.map((s, i) => (s === 1 && !instances[i] ? 1 : 0)), w, h));
    assert.equal(r.regions.has(0), false);
    assert.deepEqual(r.ignore, encodeMask(semantic.map((s) => (s === 255 ? 1 : 0)), w, h));
  });

  it('bad strings and sizes are RleErrors naming the problem', () => {
    assert.throws(() => countsFromString('2 11'), (e: Error) => e instanceof RleError && /character " "/.test(e.message));
    assert.throws(() => countsFromString('0P'), (e: Error) => e instanceof RleError && /ends inside a value/.test(e.message));
    assert.throws(() => rleCounts({ size: [2, 3], counts: '21' }), /cover 3 pixels but size \[2, 3\] has 6/);
    assert.throws(() => countsFromString('5H'), /negative/);
  });
});

describe('pycocotools frPoly port', () => {
  // [polygon, counts string] from pycocotools' rleFrPoly on a 9x7 image (h = 7, w = 9).
  const cases: [string, number[], string, number, number[]][] = [
    ['triangle', [1.0, 1.0, 7.5, 2.0, 3.0, 6.2], '8163M10N1O1O=', 16, [1, 1, 6, 5]],
    ['fractional square', [2.3, 1.7, 6.6, 1.7, 6.6, 5.4, 2.3, 5.4], '`0340000000<', 15, [2, 2, 5, 3]],
    ['concave', [0, 0, 8, 0, 8, 6, 4, 3, 0, 6], '061O1O1O1001O1O16', 36, [0, 0, 8, 6]],
    ['partly outside', [-2, -1, 11, 1, 5, 9], '0252N1Om00QO1', 48, [0, 0, 9, 7]],
    ['on pixel corners', [2, 2, 5, 2, 5, 4, 2, 4], '`025000j0', 6, [2, 2, 3, 2]],
  ];
  for (const [name, poly, s, area, bbox] of cases) {
    it(`${name}: the same counts, area and bbox as pycocotools`, () => {
      const counts = frPoly(poly, 7, 9);
      assert.equal(countsToString(counts), s);
      assert.equal(rleArea(counts), area);
      assert.deepEqual(rleBbox(counts, 7, 9), bbox);
    });
  }
});
