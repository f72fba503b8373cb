import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFileExclusive, writeFileAtomic } from '../../../src/io/atomic';
import { createLabelMaps } from '../../../src/shared/maskModel';
import { defaultConfig } from '../../../src/shared/config';
import { maskFilesFor } from '../../../src/io/masks';
import { writeMaskSet } from '../../../src/io/maskSet';
import { tempDir } from './oracles';

/**
 * Makes a folder refuse new entries, for root too: `chattr +i` (immutable folder: no file can
 * be created, renamed or removed in it) when running as root, chmod 0555 otherwise. Returns the
 * undo. Fails the test (does not skip) when neither works.
 */
function makeReadOnly(dir: string): () => void {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    try {
      execFileSync('chattr', ['+i', dir], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`cannot make ${dir} read-only as root: chattr +i failed (${(e as Error).message.split('\n')[0]}); needs e2fsprogs and CAP_LINUX_IMMUTABLE`);
    }
    return () => execFileSync('chattr', ['-i', dir]);
  }
  fs.chmodSync(dir, 0o555);
  return () => fs.chmodSync(dir, 0o755);
}

describe('io/atomic', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir(); });
  afterEach(() => t.cleanup());

  it('writes, replaces, keeps the mode, and leaves no temp file', async () => {
    const f = path.join(t.dir, 'a.bin');
    await writeFileAtomic(f, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...fs.readFileSync(f)], [1, 2, 3]);
    fs.chmodSync(f, 0o640);
    await writeFileAtomic(f, 'hello');
    assert.equal(fs.readFileSync(f, 'utf8'), 'hello');
    assert.equal(fs.statSync(f).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(t.dir), ['a.bin']);
  });

  it('a missing folder is a clear error', async () => {
    await assert.rejects(writeFileAtomic(path.join(t.dir, 'nope', 'a.bin'), 'x'), /folder .*nope does not exist/);
  });

  it('createFileExclusive never overwrites', async () => {
    const f = path.join(t.dir, 'c.json');
    assert.equal(await createFileExclusive(f, 'first'), true);
    assert.equal(await createFileExclusive(f, 'second'), false);
    assert.equal(fs.readFileSync(f, 'utf8'), 'first');
    assert.deepEqual(fs.readdirSync(t.dir), ['c.json']);
  });

  it('writeMaskSet into a read-only folder rejects naming the folder; the existing mask is byte-identical', async () => {
    const dir = path.join(t.dir, 'ro');
    fs.mkdirSync(dir);
    const img = path.join(dir, 'x.png');
    const cfg = defaultConfig();
    const maps = createLabelMaps(16, 16);
    maps.semantic.fill(1, 0, 100);
    await writeMaskSet(img, maps, [], cfg, {});
    const file = maskFilesFor(img, cfg).mask;
    const before = fs.readFileSync(file);
    const undo = makeReadOnly(dir);
    try {
      maps.semantic.fill(1);
      maps.instances.fill(3, 0, 10);
      await assert.rejects(writeMaskSet(img, maps, [{ id: 3, class: 1, source: 'manual' }], cfg, {}), (e: Error) => e.message.includes(`folder ${dir} is read-only`) && /EACCES|EPERM|EROFS/.test(e.message));
    } finally {
      undo();
    }
    assert.ok(fs.readFileSync(file).equals(before), 'mask file changed');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['x.mask.json', 'x.mask.png'], 'no temp, lock or partial files left');
  });
});
