import * as assert from 'node:assert/strict';
import { ConfigError, defaultConfig, firstPaintClass, paletteOf, parseConfig, stableStringify, vocColor } from '../../../src/shared/config';
import { imageKeyForMask, isMaskName, listImages, maskNamesFor } from '../../../src/shared/paths';
import { parseSidecar, serializeSidecar } from '../../../src/shared/sidecar';

const problems = (text: string): string[] => {
  try { parseConfig(text, 'cfg.json'); } catch (e) { if (e instanceof ConfigError) return [...e.problems]; throw e; }
  return [];
};

describe('shared/config', () => {
  it('VOC colour map matches the published values', () => {
    assert.deepEqual([vocColor(0), vocColor(1), vocColor(15), vocColor(255)], [[0, 0, 0], [128, 0, 0], [192, 128, 128], [224, 224, 192]]);
  });

  it('parses a valid config; fills defaults; palette uses config colours', () => {
    const c = parseConfig('{"classes":[{"id":5,"name":"car","color":"#A0B0C0"},{"id":0}],"backgroundId":0}');
    assert.deepEqual(c.classes.map((k) => [k.id, k.name, k.color, k.kind]), [[0, 'class 0', '#000000', 'stuff'], [5, 'car', '#a0b0c0', 'thing']]);
    const pal = paletteOf(c);
    assert.deepEqual([...pal.subarray(15, 18)], [0xa0, 0xb0, 0xc0]);
    assert.deepEqual([...pal.subarray(3, 6)], vocColor(1));
    assert.equal(firstPaintClass(c), 5);
    assert.deepEqual(parseConfig(stableStringify(defaultConfig())), defaultConfig());
  });

  it('broken configs list every problem', () => {
    assert.match(problems('not json')[0], /not valid JSON/);
    assert.deepEqual(problems('[]'), ['the top level must be an object']);
    const p = problems(JSON.stringify({ version: 2, ignoreIndex: -1, classes: [{ id: 255 }, { id: 3, kind: 'x', color: '#12' }, 'a'], patterns: { mask: 'x/{stem}.png', instances: '{stem}.i.png', sidecar: '{stem}.i.png' }, models: [1] }));
    for (const re of [/version 2/, /ignoreIndex/, /classes\[0\]\.id/, /classes\[1\]\.color/, /classes\[1\]\.kind/, /classes\[2\] must be an object/, /patterns\.mask/, /must differ/, /models\[0\]/]) {
      assert.ok(p.some((x) => re.test(x)), `${re} not in ${JSON.stringify(p)}`);
    }
    assert.match(problems('{"classes":[{"id":255}],"ignoreIndex":255}')[0], /0\.\.254/);
    assert.match(problems('{"classes":[{"id":7}],"ignoreIndex":7}')[0], /is the ignore index/);
  });

  it('stableStringify sorts keys and drops undefined', () => {
    assert.equal(stableStringify({ b: 1, a: { d: undefined, c: [2, { z: 1, y: 2 }] } }), '{\n  "a": {\n    "c": [\n      2,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });
});

describe('shared/paths and sidecar', () => {
  it('mask names from patterns and back', () => {
    assert.deepEqual(maskNamesFor('a.b.JPG'), { mask: 'a.b.mask.png', instances: 'a.b.instances.png', sidecar: 'a.b.mask.json' });
    const pats = { mask: '{name}.seg.png', instances: 'i_{stem}.png', sidecar: '{stem}.json' };
    assert.equal(maskNamesFor('x.png', pats).mask, 'x.png.seg.png');
    assert.ok(isMaskName('x.png.seg.png', pats) && isMaskName('X.MASK.PNG') && !isMaskName('x.png'));
    assert.deepEqual(imageKeyForMask('i_foo.png', pats), { stem: 'foo', name: undefined });
    assert.equal(imageKeyForMask('foo.png', pats), null);
    const l = listImages(['b10.png', 'b9.png', 'b9.mask.png', 'a.JPEG', 'a.png', 'c.txt']);
    assert.deepEqual(l.images, ['a.JPEG', 'a.png', 'b9.png', 'b10.png']);
    assert.deepEqual(l.conflicts, [['a.JPEG', 'a.png']]);
  });

  it('sidecar serialize/parse round trip, sorted; bad sidecars name the problem', () => {
    const s = { version: 1 as const, image: { file: 'a.png', width: 3, height: 2 }, instances: [{ id: 9, class: 1, source: 'tool:wand' }, { id: 2, class: 3, source: 'model:m', score: 0.9 }], prelabel: { source: 'model:m', date: '2026-01-01', params: { t: 1 } }, reviewed: true };
    const text = serializeSidecar(s);
    const back = parseSidecar(text, 'a.mask.json');
    assert.deepEqual(back.instances.map((i) => i.id), [2, 9]);
    assert.deepEqual({ ...back, instances: [...back.instances].reverse() }, s);
    assert.equal(serializeSidecar(back), text);
    assert.throws(() => parseSidecar('{"instances":[{"id":0,"class":1}]}', 'f.json'), /f\.json: instances\[0\] needs an integer id 1\.\.65535/);
    assert.throws(() => parseSidecar('nope', 'f.json'), /f\.json: not valid JSON/);
  });
});
