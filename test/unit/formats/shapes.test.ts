// Polygon tracing and filling, YOLO-seg lines and bridges, Label Studio brush RLE, splits and
// category mapping: hand-worked cases whose answers are worked out in the comments.
import * as assert from 'node:assert/strict';
import { atLeastThree, insetToCentres, labelBoxes, traceCentres, traceCorners } from '../../../src/formats/trace';
import { fillCentres, frPoly } from '../../../src/formats/polygonRaster';
import { decodeCounts } from '../../../src/formats/rle';
import { fmt6, mergeSegments, parseDataYamlNames, parseYoloLabels, yoloLine } from '../../../src/formats/yoloSeg';
import { brushMask, decodeBrushRle, encodeBrushRle, uploadedName } from '../../../src/formats/labelStudio';
import { assignSplits, parseSplit } from '../../../src/formats/split';
import { planCategories } from '../../../src/formats/categories';
import { assignIds, composeObjects, pixelsOfMask } from '../../../src/formats/compose';
import { parseConfig } from '../../../src/shared/config';
import { CityscapesError, toCityscapes } from '../../../src/formats/cityscapes';
import { vocObjectIndices } from '../../../src/formats/voc';
import { idToRgb, rgbToId } from '../../../src/formats/panoptic';

/** A map from rows of characters: '.' = 0, digits = labels. */
function grid(rows: string[]): { map: Uint8Array; w: number; h: number } {
  const h = rows.length, w = rows[0].length;
  const map = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => { map[y * w + x] = c === '.' ? 0 : Number(c); }));
  return { map, w, h };
}

describe('polygon tracing and filling', () => {
  const shapes: Record<string, string[]> = {
    ring: ['.......', '.11111.', '.1...1.', '.1...1.', '.11111.', '.......'],
    saddle: ['1.....', '.1....', '..11..', '..11.1', '....1.'],
    line: ['......', '.1111.', '......'],
    dot: ['...', '.1.', '...'],
    lshape: ['11...', '11...', '11111', '11111'],
  };
  for (const [name, rows] of Object.entries(shapes)) {
    it(`${name}: corner rings rasterise back exactly with frPoly; centre rings with the centre rule`, () => {
      const { map, w, h } = grid(rows);
      const box = labelBoxes(map, w, h).get(1)!;
      const parts = traceCorners(map, w, 1, box);
      const back = new Uint8Array(w * h);
      for (const p of parts) {
        decodeCounts(frPoly(p.outer, h, w), w, h, back, 1);
        for (const hole of p.holes) decodeCounts(frPoly(hole, h, w), w, h, back, 0);
      }
      assert.deepEqual([...back], [...map]);
      const c = new Uint8Array(w * h);
      for (const p of traceCentres(map, w, h, 1, box)) fillCentres([atLeastThree(p.outer), ...p.holes.map(atLeastThree)], w, h, c, 1);
      assert.deepEqual([...c], [...map]);
    });
  }

  it('ring: one part with one hole; the centre ring runs through the centres of the outermost pixels', () => {
    const { map, w, h } = grid(shapes.ring);
    const parts = traceCentres(map, w, h, 1, labelBoxes(map, w, h).get(1)!);
    assert.equal(parts.length, 1);
    assert.equal(parts[0].holes.length, 1);
    assert.deepEqual(parts[0].outer, [1, 1, 5, 1, 5, 4, 1, 4]);
  });

  it('a saddle (pixels touching at a corner only) goes from centre to centre instead of cutting the corner', () => {
    // Corner ring of two diagonal pixels (0,0) and (1,1): the inset passes (0,0) -> (1,1) twice.
    const isSet = (x: number, y: number): boolean => (x === 0 && y === 0) || (x === 1 && y === 1);
    const ring = insetToCentres([0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 0, 1], isSet);
    for (let i = 0; i < ring.length; i += 2) assert.ok(isSet(ring[i], ring[i + 1]), `vertex (${ring[i]}, ${ring[i + 1]}) is not an object pixel`);
  });
});

describe('YOLO-seg', () => {
  it('a vertex x is written as the centre of its pixel, (x + 0.5) / width, at most 6 decimals', () => {
    assert.equal(yoloLine(2, [0, 0, 3, 0, 3, 1], 4, 2), '2 0.125 0.25 0.875 0.25 0.875 0.75');
    assert.equal(fmt6(1 / 3), '0.333333');
  });

  it('parsing truncates x * width like ultralytics and names each bad line', () => {
    const text = ['0 0.125 0.25 0.875 0.25 0.875 0.75', '1 0.5 0.5 0.2 0.2', '0 0.1 0.1 1.5 0.2 0.3 0.3', '7 0.1 0.1 0.2 0.2 0.3 0.3', '0 0.1 0.1 0.2'].join('\n');
    const r = parseYoloLabels(text, 'a.txt', 4, 2, 2);
    assert.deepEqual(r.objects, [{ line: 1, cls: 0, ring: [0, 0, 3, 0, 3, 1] }]);
    assert.equal(r.errors.length, 4);
    assert.match(r.errors[0], /^a\.txt:2: a box/);
    assert.match(r.errors[1], /^a\.txt:3: point 2 \(1\.5, 0\.2\) is outside/);
    assert.match(r.errors[2], /^a\.txt:4: class 7 is not in data\.yaml names/);
    assert.match(r.errors[3], /^a\.txt:5: 3 coordinates/);
  });

  it('two parts: the ring of the first, a bridge to the nearest point of the second, its ring, and back', () => {
    const a = [0, 0, 2, 0, 2, 2, 0, 2], b = [5, 1, 7, 1, 7, 3, 5, 3];
    const { ring, bridges } = mergeSegments([a, b]);
    assert.equal(bridges, 1);
    // Nearest pair: a's (2, 0)... (2, 2) vs b's (5, 1): (2, 0) is index 1 (distance 10), first on ties.
    assert.deepEqual(ring, [2, 0, 2, 2, 0, 2, 0, 0, 2, 0, 5, 1, 7, 1, 7, 3, 5, 3, 5, 1]);
  });

  it('three segments: the middle one is walked to its exit and later from its exit back round', () => {
    const a = [0, 0, 1, 0, 1, 1], b = [4, 0, 5, 0, 5, 1, 4, 1], c = [8, 0, 9, 0, 9, 1];
    const { ring, bridges } = mergeSegments([a, b, c]);
    assert.equal(bridges, 2);
    const pts = new Set<string>();
    for (let i = 0; i < ring.length; i += 2) pts.add(`${ring[i]},${ring[i + 1]}`);
    for (const s of [a, b, c]) for (let i = 0; i < s.length; i += 2) assert.ok(pts.has(`${s[i]},${s[i + 1]}`));
  });

  it('data.yaml names as a list, a block list or a mapping', () => {
    assert.deepEqual(parseDataYamlNames('names: [cat, "dog"]\n', 'd'), ['cat', 'dog']);
    assert.deepEqual(parseDataYamlNames('path: x\nnames:\n  - cat\n  - dog\n', 'd'), ['cat', 'dog']);
    assert.deepEqual(parseDataYamlNames('names:\n  0: cat\n  1: "hot dog"\nnc: 2\n', 'd'), ['cat', 'hot dog']);
    assert.throws(() => parseDataYamlNames('nc: 2\n', 'd.yaml'), /d\.yaml: no "names:"/);
  });
});

describe('Label Studio brush RLE', () => {
  it('hand-worked: a 2x1 image, first pixel painted (RGBA 255 x4, then 0 x4)', () => {
    // 32 bits count = 8 | 5 bits word size-1 = 7 | sizes-1 2,3,7,15 | run: 1 00 011 11111111 | run: 1 00 011 00000000 | 7 zero bits
    const bits = '00000000000000000000000000001000' + '00111' + '0010' + '0011' + '0111' + '1111' + '100011' + '11111111' + '100011' + '00000000' + '0000000';
    const bytes = bits.match(/.{8}/g)!.map((b) => parseInt(b, 2));
    assert.deepEqual(bytes, [0, 0, 0, 8, 57, 27, 252, 127, 241, 128, 0]);
    assert.deepEqual([...decodeBrushRle(bytes, 8)], [255, 255, 255, 255, 0, 0, 0, 0]);
    assert.deepEqual(encodeBrushRle([1, 0]), bytes);
    assert.deepEqual([...brushMask(decodeBrushRle(bytes, 8), 2, 1)], [1, 0]);
  });

  it('literal runs, long runs and errors', () => {
    const mask = new Uint8Array(300 * 301);
    for (let i = 0; i < mask.length; i++) mask[i] = (i % 977) < 400 ? 1 : 0;
    assert.deepEqual([...brushMask(decodeBrushRle(encodeBrushRle(mask), mask.length * 4), 300, 301)], [...mask]);
    assert.throws(() => decodeBrushRle([0, 0, 0, 8, 57], 8), /ends early/);
    assert.throws(() => decodeBrushRle([0, 0, 1, 0, 57, 27, 252], 8), /more than the 8/);
    assert.deepEqual(uploadedName('/data/upload/3/8f3c2a1b-camera.png'), { name: '8f3c2a1b-camera.png', stripped: 'camera.png' });
    assert.equal(uploadedName('/data/local-files/?d=imgs/a%20b.jpg').stripped, 'a b.jpg');
  });
});

describe('splits, categories, composition', () => {
  it('--split parses, checks the sum and assigns the same split for the same seed', () => {
    const s = parseSplit('train=0.8,val=0.2');
    const a = assignSplits(10, s, 7), b = assignSplits(10, s, 7);
    assert.deepEqual(a, b);
    assert.equal(a.filter((x) => x === 'train').length, 8);
    assert.throws(() => parseSplit('train=0.8,val=0.3'), /sum to 1\.1/);
    assert.throws(() => parseSplit('train'), /NAME=FRACTION/);
  });

  it('categories keep their ids where they fit, match config classes by name, and are remapped otherwise', () => {
    const config = parseConfig(JSON.stringify({ classes: [{ id: 0, name: 'background' }, { id: 1, name: 'cat' }] }));
    const plan = planCategories([
      { key: '1', sourceId: 1, name: 'person' }, { key: '7', sourceId: 7, name: 'Cat' },
      { key: '300', sourceId: 300, name: 'kite' }, { key: '255', sourceId: 255, name: 'void-ish' }, { key: '5', sourceId: 5, name: 'dog' },
    ], config);
    assert.equal(plan.classOf.get('7'), 1);
    assert.equal(plan.classOf.get('5'), 5);
    assert.equal(plan.classOf.get('1'), 2);
    assert.deepEqual(new Set(plan.remapped.map((r) => r.key)), new Set(['1', '7', '300', '255']));
    assert.deepEqual(plan.added.map((c) => c.id), [2, 3, 4, 5]);
  });

  it('overlaps: the smaller instance stays on top; crowd -> ignore; wished ids kept unless duplicated', () => {
    const w = 6, h = 4;
    const rect = (x0: number, y0: number, x1: number, y1: number): Int32Array => {
      const m = new Uint8Array(w * h);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * w + x] = 1;
      return pixelsOfMask(m, w);
    };
    const big = rect(0, 0, 4, 3), small = rect(1, 1, 2, 2), crowd = rect(5, 0, 5, 3);
    const r = composeObjects([
      { role: 'instance', classId: 1, wantId: 9, name: 'small', pixels: () => small },
      { role: 'instance', classId: 2, wantId: 4, name: 'big', pixels: () => big },
      { role: 'crowd', classId: 1, name: 'crowd', pixels: () => crowd },
    ], { width: w, height: h, backgroundId: 0, ignoreIndex: 255, source: 'import:test' });
    assert.equal(r.maps.instances[1 * w + 1], 9);
    assert.equal(r.maps.semantic[1 * w + 1], 1);
    assert.equal(r.maps.instances[0], 4);
    assert.equal(r.maps.semantic[5], 255);
    assert.deepEqual(r.instances, [{ id: 4, class: 2, source: 'import:test' }, { id: 9, class: 1, source: 'import:test' }]);
    assert.deepEqual(assignIds([3, 3, undefined, 0, 70000, 2]), [1, 3, 4, 5, 6, 2]);
  });

  it('Cityscapes: classId*1000+k, k = the id when ids fit 999; classes above 65 refused naming the instance', () => {
    const sem = Uint8Array.from([0, 7, 7, 255]), inst = Uint16Array.from([0, 12, 0, 0]);
    const r = toCityscapes(sem, inst, () => 7);
    assert.deepEqual([...r.instanceIds], [0, 7012, 7, 255]);
    assert.deepEqual([...r.labelIds], [0, 7, 7, 255]);
    assert.throws(() => toCityscapes(Uint8Array.from([70]), Uint16Array.from([3]), () => 70), (e: Error) => e instanceof CityscapesError && /instance 3 has class 70/.test(e.message) && /above 65/.test(e.message));
    const many = new Uint16Array(2000).map((_, i) => i + 1);
    assert.deepEqual([...toCityscapes(new Uint8Array(2000).fill(5), many, () => 5).instanceIds.slice(0, 3)], [5000, 5001, 5002]);
  });

  it('VOC objects: ids kept up to 254, renumbered above, more than 254 instances refused; ignore -> 255', () => {
    assert.deepEqual([...vocObjectIndices(Uint8Array.from([1, 1, 255]), Uint16Array.from([9, 3, 0]), 255).indices], [9, 3, 255]);
    const r = vocObjectIndices(Uint8Array.from([1, 1]), Uint16Array.from([300, 7]), 255);
    assert.equal(r.renumbered, true);
    assert.deepEqual([...r.indices], [2, 1]);
    assert.throws(() => vocObjectIndices(new Uint8Array(255).fill(1), new Uint16Array(255).map((_, i) => i + 1), 255), /255 instances/);
  });

  it('panoptic ids: R + 256 G + 256^2 B both ways', () => {
    assert.deepEqual(idToRgb(65536 * 3 + 256 * 2 + 1), [1, 2, 3]);
    assert.equal(rgbToId(1, 2, 3), 197121);
  });
});
