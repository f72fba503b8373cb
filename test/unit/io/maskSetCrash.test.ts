// A labelling is written as a unit: writers killed with SIGKILL at random points, and failures
// injected at every rename, never leave a mixed set once recovered; Debian's PIL verifies each set
// (the generation in each PNG's text chunk equals the sidecar's, pixels match the sidecar).
// Also the per-image lock: a second writer waits or reports, a dead writer's lock is taken over.
import * as assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectSet, recoverMaskSet, writeMaskSet } from '../../../src/io/maskSet';
import { withLock, LockedError } from '../../../src/io/lock';
import { maskFilesFor } from '../../../src/io/masks';
import { writeAutomatic } from '../../../src/dataset/protect';
import { defaultConfig } from '../../../src/shared/config';
import type { LabelMaps } from '../../../src/shared/maskModel';
import { PYTHON, tempDir } from './oracles';
import { REPO } from '../../paths';

const W = 1024, H = 768;

/** Version v of a labelling: semantic all 1 or 2, instance 3 or 4 on the first 100 rows. */
function version(v: number): { maps: LabelMaps; info: { id: number; class: number; source: string }[] } {
  const odd = v % 2 === 1;
  const semantic = new Uint8Array(W * H).fill(odd ? 1 : 2);
  const instances = new Uint16Array(W * H);
  instances.fill(odd ? 3 : 4, 0, W * 100);
  return { maps: { width: W, height: H, semantic, instances }, info: [{ id: odd ? 3 : 4, class: odd ? 1 : 2, source: 'manual' }] };
}

const CHILD = `
const { writeMaskSet } = require(process.argv[2] + '/src/io/maskSet.js');
const { defaultConfig } = require(process.argv[2] + '/src/shared/config.js');
const img = process.argv[3], W = ${W}, H = ${H};
(async () => {
  for (let v = 1; ; v++) {
    const odd = v % 2 === 1;
    const semantic = new Uint8Array(W * H).fill(odd ? 1 : 2);
    const instances = new Uint16Array(W * H); instances.fill(odd ? 3 : 4, 0, W * 100);
    await writeMaskSet(img, { width: W, height: H, semantic, instances }, [{ id: odd ? 3 : 4, class: odd ? 1 : 2, source: 'manual' }], defaultConfig(), {});
  }
})();
`;

const VERIFY = `
import sys, json, os
import numpy as np
from PIL import Image
out = []
for d in sys.argv[1:]:
    side = os.path.join(d, 'x.mask.json')
    if not os.path.exists(side):
        out.append({"dir": d, "empty": not any(f.startswith('x.') for f in os.listdir(d))}); continue
    s = json.load(open(side))
    m = Image.open(os.path.join(d, 'x.mask.png')); i = Image.open(os.path.join(d, 'x.instances.png'))
    ma, ia = np.array(m), np.array(i)
    inst = s["instances"][0]
    out.append({"dir": d, "gen": s["generation"], "maskGen": m.info.get("maskwright-generation"), "instGen": i.info.get("maskwright-generation"),
      "maskIds": sorted(int(v) for v in np.unique(ma)), "instIds": sorted(int(v) for v in np.unique(ia)), "id": inst["id"], "cls": inst["class"]})
print(json.dumps(out))
`;

describe('mask sets are written as a unit', function () {
  this.timeout(300000);
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('mw-crash-'); });
  afterEach(() => t.cleanup());

  it('SIGKILL at random points: after recovery every set is complete and consistent (PIL), no temp files remain', async () => {
    const child = path.join(t.dir, 'writer.js');
    fs.writeFileSync(child, CHILD);
    const snaps: string[] = [];
    const seen = { mixedBeforeRecovery: 0, tempsBeforeRecovery: 0, rounds: 40 };
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const work = path.join(t.dir, 'work');
    fs.mkdirSync(work);
    const img = path.join(work, 'x.png');
    fs.writeFileSync(img, 'not read by the writer');
    for (let i = 0; i < seen.rounds; i++) {
      const p = spawn(process.execPath, [child, path.join(REPO, 'out'), img], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 150 + rand() * 700));
      p.kill('SIGKILL');
      await new Promise((r) => p.once('exit', r));
      const before = await inspectSet(img, defaultConfig());
      if (before.integrity === 'mixed') seen.mixedBeforeRecovery++;
      if (fs.readdirSync(work).some((f) => f.endsWith('.tmp'))) seen.tempsBeforeRecovery++;
      await recoverMaskSet(img, defaultConfig());
      const after = await inspectSet(img, defaultConfig());
      assert.ok(after.integrity === 'ok' || after.integrity === 'none', `round ${i}: ${after.integrity} ${after.problem ?? ''}`);
      assert.deepEqual(fs.readdirSync(work).filter((f) => f.startsWith('.')), [], `round ${i}: temps, journal or lock left`);
      const snap = path.join(t.dir, `snap${i}`);
      fs.cpSync(work, snap, { recursive: true });
      snaps.push(snap);
    }
    const results = JSON.parse(execFileSync(PYTHON, ['-c', VERIFY, ...snaps], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Array<Record<string, unknown>>;
    let sets = 0;
    for (const r of results) {
      if (r.empty !== undefined) { assert.equal(r.empty, true, `${String(r.dir)}: files without a sidecar`); continue; }
      sets++;
      assert.equal(r.maskGen, r.gen, `${String(r.dir)}: mask from another save`);
      assert.equal(r.instGen, r.gen, `${String(r.dir)}: instances from another save`);
      assert.deepEqual(r.maskIds, [r.cls], `${String(r.dir)}: mask pixels do not match the sidecar`);
      assert.deepEqual(r.instIds, [0, r.id], `${String(r.dir)}: instance pixels do not match the sidecar`);
    }
    assert.ok(sets >= seen.rounds - 5, `only ${sets} rounds got past the writer's first save`);
    console.log(`      ${seen.rounds} kills: ${sets} complete sets after recovery; before recovery ${seen.mixedBeforeRecovery} interrupted saves (journal) and ${seen.tempsBeforeRecovery} with temp files`);
  });

  it('a failure at every rename of a save is rolled forward from the journal; a failure before it keeps the old set', async () => {
    const img = path.join(t.dir, 'x.png');
    const cfg = defaultConfig();
    const v1 = version(1), v2 = version(2);
    const first = await writeMaskSet(img, v1.maps, v1.info, cfg, {});
    assert.equal(first.status, 'written');
    const real = fs.promises.rename;
    let onDisk = v1.info[0].id;
    for (let failAt = 0; failAt < 4; failAt++) {
      let calls = 0;
      // Rename 0 is the journal's own (temp -> journal); 1..3 move the set's files into place.
      fs.promises.rename = (async (a: fs.PathLike, b: fs.PathLike) => {
        if (calls++ === failAt) throw Object.assign(new Error('injected crash'), { code: 'EIO' });
        return real(a, b);
      }) as typeof fs.promises.rename;
      const want = failAt % 2 === 0 ? v2 : v1;
      try {
        await assert.rejects(writeMaskSet(img, want.maps, want.info, cfg, {}), /injected crash/);
      } finally {
        fs.promises.rename = real;
      }
      const mid = await inspectSet(img, cfg);
      if (failAt === 0) assert.equal(mid.integrity, 'ok', 'no journal yet: the old set is intact');
      else assert.equal(mid.integrity, 'mixed', `rename ${failAt}: the journal marks the interrupted save`);
      const notes = await recoverMaskSet(img, cfg);
      const after = await inspectSet(img, cfg);
      assert.equal(after.integrity, 'ok', `rename ${failAt}: ${after.problem ?? ''}`);
      if (failAt > 0) onDisk = want.info[0].id;
      assert.equal(after.sidecar?.instances[0].id, onDisk, `rename ${failAt}: the ${failAt === 0 ? 'old' : 'new'} set`);
      if (failAt > 0) assert.match(notes.join(' '), /completed an interrupted save/);
      assert.deepEqual(fs.readdirSync(t.dir).filter((f) => f.startsWith('.')), []);
    }
  });

  it('the lock: a second writer waits, then reports who holds it; a dead writer\'s lock is taken over', async () => {
    const img = path.join(t.dir, 'x.png');
    const cfg = defaultConfig();
    const files = maskFilesFor(img, cfg);
    const lock = path.join(t.dir, `.${path.basename(files.mask)}.lock`);
    const v = version(1);
    let release!: () => void;
    const held = withLock(lock, () => new Promise<void>((r) => { release = r; }), { what: 'editor save' });
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(writeAutomatic(img, v.maps, v.info, cfg, { source: 'tool:test', lockWaitMs: 200 }),
      (e: Error) => e instanceof LockedError && /another job of this process \(editor save\)/.test(e.message) && /nothing was written/.test(e.message));
    assert.equal(fs.existsSync(files.mask), false);
    const waiting = writeAutomatic(img, v.maps, v.info, cfg, { source: 'tool:test', lockWaitMs: 5000 });
    setTimeout(release, 100);
    await held;
    assert.equal((await waiting).status, 'written');
    // A lock left by a process that no longer exists (on this host) is stale.
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: require('node:os').hostname(), at: '2026-01-01T00:00:00Z' }));
    const v2 = version(2);
    assert.equal((await writeMaskSet(img, v2.maps, v2.info, cfg, {})).status, 'written');
    assert.equal(fs.existsSync(lock), false);
  });
});
