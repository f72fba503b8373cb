// Atomic file writes: a temp file in the target's folder, fsync, then rename over the target, so
// a reader sees the old file or the new one, never a truncated mix.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/** A failed write; the message names the file or folder and the cause. */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(readonly file: string, message: string, readonly code?: string) {
    super(message);
  }
}

/** A WriteError for a failed file operation on `file`: read-only folders, missing folders and full disks named as such. */
export function describeWriteError(file: string, e: unknown): WriteError {
  if (e instanceof WriteError) return e;
  const err = e as NodeJS.ErrnoException;
  const dir = path.dirname(file);
  const code = err.code;
  if (code && READ_ONLY_CODES.has(code)) {
    return new WriteError(file, `cannot write ${file}: the folder ${dir} is read-only or not writable (${code})`, code);
  }
  if (code === 'ENOENT') return new WriteError(file, `cannot write ${file}: the folder ${dir} does not exist`, code);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new WriteError(file, `cannot write ${file}: no space left on the device (${code})`, code);
  return new WriteError(file, `cannot write ${file}: ${err.message ?? String(e)}`, code);
}

/** A fresh temp-file path beside `file` (hidden, unique). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `file` atomically: temp file in the same folder, fsync, rename. The temp file
 * is removed on failure and the previous content of `file` is left untouched. An existing file's
 * permission bits are kept. Throws WriteError naming the folder when it is read-only.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = await writeTemp(file, data);
  try {
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw describeWriteError(file, e);
  }
  await syncDir(path.dirname(file));
}

/** Makes renames in `dir` durable; not all platforms allow opening a folder, so this is best effort. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const dh = await fsp.open(dir, 'r');
    try { await dh.sync(); } finally { await dh.close(); }
  } catch { /* best effort */ }
}

/** Writes `data` to a fresh temp file beside `file` and fsyncs it; returns the temp path (not yet renamed). */
export async function writeTemp(file: string, data: Uint8Array | string): Promise<string> {
  const tmp = tempPathFor(file);
  let mode: number | undefined;
  try { mode = (await fsp.stat(file)).mode & 0o7777; } catch { mode = undefined; }
  let created = false;
  try {
    const fh = await fsp.open(tmp, 'wx', mode ?? 0o666);
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (mode !== undefined) await fsp.chmod(tmp, mode);
    return tmp;
  } catch (e) {
    if (created) await fsp.unlink(tmp).catch(() => undefined);
    throw describeWriteError(file, e);
  }
}

/** Temp files of `tempPathFor` in a folder listing that belong to the file named `base`. */
export function isTempOf(name: string, base: string): boolean {
  if (!name.startsWith(`.${base}.`) || !name.endsWith('.tmp')) return false;
  return /^\d+\.[0-9a-f]{12}\.tmp$/.test(name.slice(base.length + 2));
}

/**
 * Creates `file` with `data` only if it does not exist (atomic, never overwrites): the content is
 * written to a temp file and hard-linked into place. Returns false when the file already existed.
 */
export async function createFileExclusive(file: string, data: Uint8Array | string): Promise<boolean> {
  const tmp = tempPathFor(file);
  try {
    const fh = await fsp.open(tmp, 'wx');
    try { await fh.writeFile(data); await fh.sync(); } finally { await fh.close(); }
    try {
      await fsp.link(tmp, file);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
      // File systems without hard links: exclusive create (not crash-atomic, still no overwrite).
      try { await fsp.writeFile(file, data, { flag: 'wx' }); return true; } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw e2;
      }
    }
  } catch (e) {
    throw describeWriteError(file, e);
  } finally {
    await fsp.unlink(tmp).catch(() => undefined);
  }
}
