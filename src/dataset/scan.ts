// Folder scans: the images of a folder or a dataset (mask files skipped), and sharding.
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { MaskPatterns } from '../shared/config';
import { isImageName, isMaskName, listImages } from '../shared/paths';
import { findConfig } from './config';

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

export interface ScanOptions {
  /** Descend into sub-folders (hidden folders and node_modules are skipped, links not followed). Default false. */
  recursive?: boolean;
  /** Mask patterns for every folder; default: each folder's own config. */
  patterns?: MaskPatterns;
}

/** Like scanDataset, with the stem conflicts of every folder. */
export async function scanDatasetDetailed(dirOrFiles: readonly string[], opts: ScanOptions = {}): Promise<{ images: string[]; conflicts: string[][] }> {
  const found = new Set<string>();
  const conflicts: string[][] = [];
  const patternCache = new Map<string, MaskPatterns>();
  const patternsFor = async (dir: string): Promise<MaskPatterns> => {
    if (opts.patterns) return opts.patterns;
    let p = patternCache.get(dir);
    if (!p) { p = (await findConfig(dir)).config.patterns; patternCache.set(dir, p); }
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
