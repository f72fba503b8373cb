// Folder scans: the images of a folder or a dataset (mask files skipped), and sharding.
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { MaskPatterns } from '../shared/config';
import { isImageName, isMaskName, listImages } from '../shared/paths';
import { maskFilesFor } from '../io/masks';
import { assertSafeTargets } from '../io/safeTargets';
import { findConfig, repositoryRoot } from './config';

const natural = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    return await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new Error(`cannot list folder ${dir}: ${(e as Error).message}`);
  }
}

/** Plain files of a listing; symbolic links are followed to see whether they are files. */
async function fileNames(dir: string, entries: readonly Dirent[]): Promise<string[]> {
  const names: string[] = [];
  for (const e of entries) {
    if (e.isFile()) names.push(e.name);
    else if (e.isSymbolicLink()) {
      try { if ((await fsp.stat(path.join(dir, e.name))).isFile()) names.push(e.name); } catch { /* dangling link */ }
    }
  }
  return names;
}

/**
 * The images of one folder (absolute paths, natural order), mask files excluded, and groups of
 * images that share a stem (a conflict to report). Patterns default to the folder's config.
 */
export async function listFolderImages(dir: string, patterns?: MaskPatterns): Promise<{ images: string[]; conflicts: string[][] }> {
  const abs = path.resolve(dir);
  const pats = patterns ?? (await findConfig(abs)).config.patterns;
  const { images, conflicts } = listImages(await fileNames(abs, await readDir(abs)), pats);
  return { images: images.map((n) => path.join(abs, n)), conflicts: conflicts.map((g) => g.map((n) => path.join(abs, n))) };
}

/**
 * Where config discovery stops for the CLI: the repository root of a path given on the command
 * line, or that folder itself outside a repository (for a file: its folder).
 */
export async function cliConfigBoundary(positionals: readonly string[]): Promise<(dir: string) => string> {
  const roots: string[] = [];
  for (const p of positionals) {
    const abs = path.resolve(p);
    let folder = abs;
    try { if (!(await fsp.stat(abs)).isDirectory()) folder = path.dirname(abs); } catch { folder = path.dirname(abs); }
    roots.push((await repositoryRoot(folder)) ?? folder);
  }
  return (dir: string) => {
    const d = path.resolve(dir);
    const inside = roots.filter((r) => d === r || d.startsWith(r + path.sep)).sort((a, b) => a.length - b.length);
    return inside[0] ?? d;
  };
}

/**
 * Checks the mask patterns of every folder of `images` before anything is written: a folder whose
 * config is broken, or whose patterns would write over an image, refuses all its images (the
 * error names the pattern and the file it would have hit). Returns the refusals by image.
 */
export async function checkTargets(images: readonly string[], stopAt?: (dir: string) => string): Promise<Map<string, Error>> {
  const byDir = new Map<string, string[]>();
  for (const f of images) byDir.set(path.dirname(f), [...(byDir.get(path.dirname(f)) ?? []), f]);
  const refused = new Map<string, Error>();
  for (const [dir, files] of byDir) {
    let err: Error | undefined;
    try {
      const { config } = await findConfig(dir, stopAt ? { stopAt: stopAt(dir) } : {});
      for (const f of files) await assertSafeTargets(f, maskFilesFor(f, config), config);
    } catch (e) {
      err = e as Error;
    }
    if (err) for (const f of files) refused.set(f, err);
  }
  return refused;
}

export interface ScanOptions {
  /** Descend into sub-folders (hidden folders and node_modules are skipped, links not followed). Default false. */
  recursive?: boolean;
  /** Mask patterns for every folder; default: each folder's own config. */
  patterns?: MaskPatterns;
  /** Where each folder's config discovery stops (see findConfig). */
  stopAt?: (dir: string) => string;
}

/** Like scanDataset, with the stem conflicts of every folder. */
export async function scanDatasetDetailed(dirOrFiles: readonly string[], opts: ScanOptions = {}): Promise<{ images: string[]; conflicts: string[][] }> {
  const found = new Set<string>();
  const conflicts: string[][] = [];
  const patternCache = new Map<string, MaskPatterns>();
  const patternsFor = async (dir: string): Promise<MaskPatterns> => {
    if (opts.patterns) return opts.patterns;
    let p = patternCache.get(dir);
    if (!p) { p = (await findConfig(dir, opts.stopAt ? { stopAt: opts.stopAt(dir) } : {})).config.patterns; patternCache.set(dir, p); }
    return p;
  };
  const visit = async (dir: string): Promise<void> => {
    const entries = await readDir(dir);
    const r = listImages(await fileNames(dir, entries), await patternsFor(dir));
    for (const n of r.images) found.add(path.join(dir, n));
    for (const g of r.conflicts) conflicts.push(g.map((n) => path.join(dir, n)));
    if (!opts.recursive) return;
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') await visit(path.join(dir, e.name));
    }
  };
  for (const item of dirOrFiles) {
    const abs = path.resolve(item);
    let st;
    try { st = await fsp.stat(abs); } catch (e) { throw new Error(`cannot read ${abs}: ${(e as Error).message}`); }
    if (st.isDirectory()) await visit(abs);
    else if (st.isFile()) {
      const name = path.basename(abs);
      if (isImageName(name) && !isMaskName(name, await patternsFor(path.dirname(abs)))) found.add(abs);
    }
  }
  return { images: [...found].sort(natural), conflicts };
}

/** Images (absolute, sorted) of folders and files; mask files skipped using each folder's patterns. */
export async function scanDataset(dirOrFiles: string[], opts: ScanOptions = {}): Promise<string[]> {
  return (await scanDatasetDetailed(dirOrFiles, opts)).images;
}

/** Deterministic split: item i goes to shard i % count. */
export function shardOf<T>(items: readonly T[], shard: { index: number; count: number }): T[] {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count ${count} must be a positive integer`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`shard index ${index} must be an integer 0..${count - 1}`);
  return items.filter((_, i) => i % count === index);
}

/** Parses "i/n" (0-based i < n); throws an error naming the value otherwise. */
export function parseShard(s: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
  if (!m) throw new RangeError(`shard "${s}" must look like i/n, e.g. 0/4`);
  const index = Number(m[1]), count = Number(m[2]);
  if (count < 1 || index >= count || !Number.isSafeInteger(count)) throw new RangeError(`shard "${s}" must have 0 <= i < n and n >= 1`);
  return { index, count };
}
