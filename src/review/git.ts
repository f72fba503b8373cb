// Reading files as they were at a git revision, through git itself (`git show REV:path`), run
// without a shell. Host side (node); used by `maskwright diff` and the editor's comparisons.
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

const MAX_BYTES = 1 << 30;

function git(args: readonly string[], cwd: string): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, encoding: 'buffer', maxBuffer: MAX_BYTES, windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && e.code === 'ENOENT') { reject(new Error('git was not found on the PATH; it is needed to read older versions of the masks')); return; }
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: stdout as Buffer, stderr: (stderr as Buffer).toString('utf8').trim() });
    });
  });
}

/** Rejects revisions that git would read as an option. */
export function checkRevision(rev: string): void {
  if (!rev || rev.startsWith('-') || /[\0\n]/.test(rev)) throw new Error(`"${rev}" is not a git revision`);
}

/** The top folder of the repository holding `dir`, or null outside one. */
export async function gitRoot(dir: string): Promise<string | null> {
  const r = await git(['rev-parse', '--show-toplevel'], dir).catch(() => null);
  if (!r || r.code !== 0) return null;
  return r.stdout.toString('utf8').trim() || null;
}

/** The abbreviated commit a revision names; throws an Error naming the revision when git does not know it. */
export async function resolveRevision(root: string, rev: string): Promise<string> {
  checkRevision(rev);
  const r = await git(['rev-parse', '--verify', '--quiet', '--short', `${rev}^{commit}`], root);
  if (r.code !== 0) throw new Error(`unknown revision "${rev}" in ${root}`);
  return r.stdout.toString('utf8').trim();
}

/** `file` relative to the repository root, with forward slashes, as git names it. */
export async function repoPath(root: string, file: string): Promise<string> {
  const dir = await fsp.realpath(path.dirname(path.resolve(file))).catch(() => path.dirname(path.resolve(file)));
  const realRoot = await fsp.realpath(root).catch(() => root);
  const rel = path.relative(realRoot, path.join(dir, path.basename(file)));
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${file} is outside the repository ${root}`);
  return rel.split(path.sep).join('/');
}

/**
 * The bytes of `file` at revision `rev` ('' or ':' reads the index), or null when the file did not
 * exist there. Throws when the file is outside a repository or the revision is unknown.
 */
export async function showAtRevision(file: string, rev: string): Promise<Uint8Array | null> {
  const root = await gitRoot(path.dirname(path.resolve(file)));
  if (!root) throw new Error(`${path.dirname(path.resolve(file))} is not inside a git repository`);
  const index = rev === '' || rev === ':';
  if (!index) await resolveRevision(root, rev);
  const rel = await repoPath(root, file);
  const r = await git(['show', index ? `:${rel}` : `${rev}:${rel}`], root);
  if (r.code === 0) return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength);
  if (/does not exist|exists on disk, but not in|not in the index/i.test(r.stderr)) return null;
  throw new Error(`git show ${index ? ':' : rev + ':'}${rel} failed: ${r.stderr || `exit code ${r.code}`}`);
}
