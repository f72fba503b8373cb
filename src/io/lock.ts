// Advisory per-image lock: one writer of an image's mask set at a time, across processes (the
// editor, the CLI, batch jobs). A lock file created exclusively beside the masks holds the owner's
// pid, host and start time; a lock whose process is gone (same host) or that is older than
// STALE_MS is taken over. The loser waits, then reports who holds the lock; it never writes.
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import { WriteError, describeWriteError } from './atomic';

/** A lock older than this is assumed abandoned (a writer never holds it for long). */
export const STALE_MS = 10 * 60 * 1000;

export class LockedError extends Error {
  override name = 'LockedError';
  constructor(readonly lockFile: string, readonly owner: string) {
    super(`${owner} is writing these masks (lock ${lockFile}); nothing was written, try again when it is done`);
  }
}

interface Owner { pid: number; host: string; at: string; what?: string }

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

async function readOwner(file: string): Promise<{ owner: Owner | null; ageMs: number } | null> {
  try {
    const [text, st] = await Promise.all([fsp.readFile(file, 'utf8'), fsp.stat(file)]);
    let owner: Owner | null = null;
    try { const o = JSON.parse(text) as Owner; if (Number.isInteger(o.pid)) owner = o; } catch { owner = null; }
    return { owner, ageMs: Date.now() - st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function isStale(o: { owner: Owner | null; ageMs: number }): boolean {
  if (o.ageMs > STALE_MS) return true;
  // Created but never written (its writer died between open and write): stale after a moment.
  if (!o.owner) return o.ageMs > 5000;
  return o.owner.host === os.hostname() && o.owner.pid !== process.pid && !alive(o.owner.pid);
}

function describeOwner(o: Owner | null): string {
  if (!o) return 'another Maskwright process';
  const who = o.pid === process.pid && o.host === os.hostname() ? 'another job of this process' : `Maskwright process ${o.pid} on ${o.host}`;
  return `${who}${o.what ? ` (${o.what})` : ''} since ${o.at}`;
}

export interface LockOptions {
  /** How long to wait for another writer (ms); default 30000. */
  readonly waitMs?: number;
  /** What the holder is doing, shown to a waiting writer ("editor save", "prelabel"...). */
  readonly what?: string;
}

/** Runs `fn` holding `lockFile`; waits for another holder up to `waitMs`, then throws LockedError. */
export async function withLock<T>(lockFile: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.waitMs ?? 30000);
  const me: Owner = { pid: process.pid, host: os.hostname(), at: new Date().toISOString(), ...(opts.what ? { what: opts.what } : {}) };
  let delay = 10;
  for (;;) {
    try {
      const fh = await fsp.open(lockFile, 'wx', 0o644);
      try { await fh.writeFile(JSON.stringify(me)); } finally { await fh.close(); }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw describeWriteError(lockFile, e);
    }
    const cur = await readOwner(lockFile).catch(() => null);
    if (cur && isStale(cur)) {
      await fsp.unlink(lockFile).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) throw new LockedError(lockFile, describeOwner(cur?.owner ?? null));
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(200, delay * 2);
  }
  try {
    return await fn();
  } finally {
    await fsp.unlink(lockFile).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new WriteError(lockFile, `cannot remove the lock ${lockFile}: ${(e as Error).message}`);
    });
  }
}
