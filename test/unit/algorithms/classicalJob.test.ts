import * as assert from 'node:assert/strict';
import { kmeans, multiOtsu, open, splitTouching, toGray } from '../../../src/algorithms/classical';
import { runClassicalJob, type ClassicalInputs } from '../../../src/algorithms/classicalJob';
import { classMask, componentInstances } from '../../../src/algorithms/maskOps';
import { nextInstanceId, type InstanceInfo } from '../../../src/shared/maskModel';
import { cameraRgb } from './cameraRgb';

function inputsOf(img: { width: number; height: number; data: Uint8Array }, semantic?: Uint8Array, instances?: Uint16Array, info: InstanceInfo[] = []): ClassicalInputs {
  const n = img.width * img.height;
  return { width: img.width, height: img.height, rgb: img.data, semantic: semantic ?? new Uint8Array(n), instances: instances ?? new Uint16Array(n), info };
}

describe('runClassicalJob on camera.png', () => {
  let cam: Awaited<ReturnType<typeof cameraRgb>>;
  let gray: Uint8Array;
  before(async () => {
    cam = await cameraRgb();
    gray = toGray({ ...cam, channels: 3 });
  });

  it('Otsu threshold: level 102 (scikit-image threshold_otsu(camera)), brighter pixels painted into the class', () => {
    const semantic = new Uint8Array(cam.width * cam.height).fill(3);
    const r = runClassicalJob({ op: 'threshold', method: 'otsu', classId: 1 }, inputsOf(cam, semantic));
    assert.equal(r.note, 'Threshold (Otsu level 102)');
    assert.ok(r.semantic && r.semantic !== semantic);
    let painted = 0;
    for (let i = 0; i < gray.length; i++) {
      assert.equal(r.semantic[i], gray[i] > 102 ? 1 : 3, `pixel ${i}`);
      if (gray[i] > 102) painted++;
    }
    assert.ok(painted > 1000 && painted < gray.length - 1000);
    assert.ok(semantic.every((v) => v === 3), 'the input is not modified');
    const inv = runClassicalJob({ op: 'threshold', method: 'otsu', invert: true, classId: 2 }, inputsOf(cam));
    for (let i = 0; i < gray.length; i++) assert.equal(inv.semantic![i], gray[i] <= 102 ? 2 : 0);
    const fixed = runClassicalJob({ op: 'threshold', method: 'fixed', level: 200, classId: 4 }, inputsOf(cam));
    for (let i = 0; i < gray.length; i++) assert.equal(fixed.semantic![i], gray[i] > 200 ? 4 : 0);
    // One meaning in every face: the foreground replaces the class; its other pixels become background.
    const again = runClassicalJob({ op: 'threshold', method: 'fixed', level: 200, classId: 4, backgroundId: 0 }, inputsOf(cam, new Uint8Array(gray.length).fill(4)));
    for (let i = 0; i < gray.length; i++) assert.equal(again.semantic![i], gray[i] > 200 ? 4 : 0);
  });

  it('multi-Otsu and k-means map intensity classes / clusters to the target classes like the direct calls', () => {
    const mo = runClassicalJob({ op: 'multiOtsu', classes: 3, backgroundId: 0, targets: [5, 7] }, inputsOf(cam));
    const d = multiOtsu({ data: gray, width: cam.width, height: cam.height }, { classes: 3 });
    assert.equal(mo.note, `Multi-Otsu (${d.thresholds.join(', ')})`);
    for (let i = 0; i < gray.length; i++) assert.equal(mo.semantic![i], [0, 5, 7][d.classes[i]]);

    const km = runClassicalJob({ op: 'kmeans', k: 3, targets: [0, 1, 2] }, inputsOf(cam));
    const k = kmeans({ ...cam, channels: 3 }, { k: 3, seed: 1 });
    const lum = [0, 1, 2].map((c) => k.centers[c * 3]).map((l, c) => ({ l, c })).sort((a, b) => a.l - b.l);
    const toClass = new Uint8Array(3);
    lum.forEach((x, rank) => { toClass[x.c] = rank; });
    for (let i = 0; i < gray.length; i++) assert.equal(km.semantic![i], toClass[k.labels[i]]);
    // the classes follow brightness: their mean grey levels rise
    const sum = [0, 0, 0], cnt = [0, 0, 0];
    for (let i = 0; i < gray.length; i++) { sum[km.semantic![i]] += gray[i]; cnt[km.semantic![i]]++; }
    assert.ok(sum[0] / cnt[0] < sum[1] / cnt[1] && sum[1] / cnt[1] < sum[2] / cnt[2]);
  });

  it('split into instances equals componentInstances; morphology equals the direct open', () => {
    const sem = runClassicalJob({ op: 'threshold', method: 'otsu', classId: 1 }, inputsOf(cam)).semantic as Uint8Array;
    const r = runClassicalJob({ op: 'splitInstances', backgroundId: 0, ignoreIndex: 255 }, inputsOf(cam, sem));
    const d = componentInstances(sem, cam.width, cam.height, { backgroundId: 0, ignoreIndex: 255 });
    assert.deepEqual(r.instances, d.map);
    assert.deepEqual(r.info, d.info);
    assert.equal(r.status, `${d.count} instance(s)`);
    assert.throws(() => runClassicalJob({ op: 'splitInstances', backgroundId: 0, ignoreIndex: 255 }, inputsOf(cam)), /no labelled pixels/);

    const m = runClassicalJob({ op: 'morphology', kind: 'open', classId: 1, backgroundId: 0 }, inputsOf(cam, sem));
    const o = open({ data: classMask(sem, 1), width: cam.width, height: cam.height }, { shape: 'disk', radius: 2 });
    for (let i = 0; i < sem.length; i++) assert.equal(m.semantic![i], o[i] ? 1 : 0);
    assert.notDeepEqual(m.semantic, sem);
  });

  it('split touching gives the new objects the lowest free ids (as nextInstanceId) and keeps other instances', async () => {
    const small = await cameraRgb(128);
    const g = toGray({ ...small, channels: 3 });
    const sem = new Uint8Array(g.length);
    for (let i = 0; i < g.length; i++) sem[i] = g[i] <= 102 ? 1 : 2;
    const instances = new Uint16Array(g.length);
    instances[0] = 1; instances[5] = 3; // two existing instances of class 2
    if (sem[0] !== 2) sem[0] = 2;
    if (sem[5] !== 2) sem[5] = 2;
    const info: InstanceInfo[] = [{ id: 1, class: 2, source: 'manual' }, { id: 3, class: 2, source: 'manual' }, { id: 4, class: 2, source: 'manual' }];
    const r = runClassicalJob({ op: 'splitTouching', classId: 1 }, inputsOf(small, sem, instances, info));
    // reference: the command's former per-object nextInstanceId loop
    const s = splitTouching({ data: classMask(sem, 1), width: small.width, height: small.height });
    assert.ok(s.count > 1);
    const ref = instances.slice();
    const taken = new Set(info.map((x) => x.id));
    const idOf: number[] = [0];
    for (let l = 1; l <= s.count; l++) { const id = nextInstanceId(ref, taken); idOf.push(id); taken.add(id); }
    for (let i = 0; i < ref.length; i++) if (s.labels[i] > 0) ref[i] = idOf[s.labels[i]];
    assert.deepEqual(r.instances, ref);
    assert.deepEqual(idOf.slice(1, 4), [2, 5, 6]);
    assert.equal(r.info!.length, 3 + s.count);
    assert.deepEqual(r.info!.find((x) => x.id === 2), { id: 2, class: 1, source: 'tool:watershed' });
    assert.equal(r.status, `${s.count} object(s)`);
  });

  it('bad jobs and inputs throw errors that name them', () => {
    const inp = inputsOf(cam);
    assert.throws(() => runClassicalJob({ op: 'threshold', method: 'fixed', level: 300, classId: 1 }, inp), /level: 300/);
    assert.throws(() => runClassicalJob({ op: 'threshold', method: 'otsu', classId: 256 }, inp), /classId: 256/);
    assert.throws(() => runClassicalJob({ op: 'kmeans', k: 4, targets: [0, 1] }, inp), /targets: 4 class ids needed/);
    assert.throws(() => runClassicalJob({ op: 'kmeans', k: 2, targets: [0, 1] }, { ...inp, rgb: undefined }), /rgb: this job needs/);
    assert.throws(() => runClassicalJob({ op: 'splitTouching', classId: 1 }, { ...inp, semantic: new Uint8Array(3) }), /semantic: length 3/);
    assert.throws(() => runClassicalJob({ op: 'morphology', kind: 'bogus' as 'open', classId: 1, backgroundId: 0 }, inp), /kind: unknown morphology bogus/);
    assert.throws(() => runClassicalJob({ op: 'nope' } as unknown as Parameters<typeof runClassicalJob>[0], inp), /op: unknown classical job nope/);
  });
});
