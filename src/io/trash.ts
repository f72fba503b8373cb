// The dataset's trash: files an automatic writer (with --overwrite) or a save over changed files
// replaced are kept in `DIR/.maskwright/trash/<time>-<id>/`, with a `trash.json` saying why, so
// nothing a person made is ever lost. Hard links where the file system allows (no copy cost).
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describeWriteError } from './atomic';

export const TRASH_DIR = path.join('.maskwright', 'trash');

/**
 * Keeps the existing ones of `files` (all in `dir`) in a new trash folder; returns that folder
 * relative to `dir` (POSIX separators), or undefined when none of the files existed.
 */
export async function trashFiles(dir: string, files: readonly string[], why: { reason: string; image: string }): Promise<string | undefined> {
  const at = new Date();
  const name = `${at.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const dest = path.join(dir, TRASH_DIR, name);
  const kept: string[] = [];
  for (const f of files) {
    try { await fsp.lstat(f); } catch { continue; }
    if (!kept.length) {
      try { await fsp.mkdir(dest, { recursive: true }); } catch (e) { throw describeWriteError(dest, e); }
    }
    const to = path.join(dest, path.basename(f));
    try {
      await fsp.link(f, to);
    } catch {
      try { await fsp.copyFile(f, to); } catch (e) { throw describeWriteError(to, e); }
    }
    kept.push(path.basename(f));
  }
  if (!kept.length) return undefined;
  const note = { at: at.toISOString(), image: why.image, reason: why.reason, files: kept, restore: `copy these files back beside ${why.image}` };
  await fsp.writeFile(path.join(dest, 'trash.json'), JSON.stringify(note, null, 2) + '\n');
  return path.posix.join('.maskwright', 'trash', name);
}
