// Shared by the review tests: the CLI in-process, git in a temp repository, the numpy oracle.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { REPO } from '../../paths';

export interface Run { code: number; out: string[]; err: string[] }

export async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), signal: new AbortController().signal });
  return { code, out, err };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
}

/** A fresh repository with `files` copied in (not committed). */
export function tempRepo(files: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-review-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  return dir;
}

export function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** Writes `rev:name` to a temp file ('-' when it did not exist there). */
export function fileAt(dir: string, rev: string, name: string): string {
  try {
    const bytes = execFileSync('git', ['show', `${rev}:${name}`], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-rev-')), name);
    fs.writeFileSync(out, bytes);
    return out;
  } catch {
    return '-';
  }
}

const orMissing = (f: string): string => (fs.existsSync(f) ? f : '-');

/** numpy's diff of `stem`'s masks at `rev` against the saved files. */
export function oracleDiff(dir: string, stem: string, rev: string): { changedPixels: number; classes: Record<string, { before: number; after: number; intersection: number; iou: number }>; instances: { added: number[]; removed: number[]; changed: Array<{ id: number; iou: number }> } } {
  const args = [
    fileAt(dir, rev, `${stem}.mask.png`), fileAt(dir, rev, `${stem}.instances.png`),
    orMissing(path.join(dir, `${stem}.mask.png`)), orMissing(path.join(dir, `${stem}.instances.png`)),
  ];
  const out = execFileSync('/usr/bin/python3', [path.join(REPO, 'test', 'unit', 'review', 'diff_oracle.py'), ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** Asserts our diff JSON equals numpy's: counts exactly, IoUs to 1e-6. */
export function assertSameDiff(ours: ReturnType<typeof oracleDiff>, theirs: ReturnType<typeof oracleDiff>): void {
  assert.equal(ours.changedPixels, theirs.changedPixels, 'changedPixels');
  assert.deepEqual(Object.keys(ours.classes), Object.keys(theirs.classes), 'classes present');
  for (const [c, t] of Object.entries(theirs.classes)) {
    const o = ours.classes[c];
    assert.deepEqual([o.before, o.after, o.intersection], [t.before, t.after, t.intersection], `class ${c} counts`);
    assert.ok(Math.abs(o.iou - t.iou) <= 1e-6, `class ${c} iou ${o.iou} vs ${t.iou}`);
  }
  assert.deepEqual(ours.instances.added, theirs.instances.added, 'instances added');
  assert.deepEqual(ours.instances.removed, theirs.instances.removed, 'instances removed');
  assert.deepEqual(ours.instances.changed.map((c) => c.id), theirs.instances.changed.map((c) => c.id), 'instances changed');
  ours.instances.changed.forEach((c, i) => assert.ok(Math.abs(c.iou - theirs.instances.changed[i].iou) <= 1e-6, `instance ${c.id} iou`));
}
