// Finding and creating the dataset config (`maskwright.json`), nearest folder first.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, ConfigError, defaultConfig, parseConfig, stableStringify, type DatasetConfig } from '../shared/config';
import { createFileExclusive } from '../io/atomic';

/** Largest config file read (bytes); anything bigger is not a hand-written config. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

async function exists(p: string): Promise<boolean> {
  try { await fsp.stat(p); return true; } catch { return false; }
}

/** The nearest ancestor of `dir` (itself included) that holds a `.git` folder or file; null outside a repository. */
export async function repositoryRoot(dir: string): Promise<string | null> {
  let d = path.resolve(dir);
  for (;;) {
    if (await exists(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

export interface FindConfigOptions {
  /**
   * The last folder searched (the workspace folder in the editor, the folder given on the command
   * line or the repository root in the CLI). Default: the repository root of `dir`, or `dir` itself
   * outside a repository. Discovery never goes past it.
   */
  readonly stopAt?: string;
}

const isInside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * The nearest maskwright.json in `dir` or its ancestors up to `opts.stopAt`. None: defaultConfig()
 * with file null. A broken one: throws ConfigError naming the file and problems.
 */
export async function findConfig(dir: string, opts: FindConfigOptions = {}): Promise<{ config: DatasetConfig; file: string | null }> {
  let d = path.resolve(dir);
  let stop = opts.stopAt !== undefined ? path.resolve(opts.stopAt) : (await repositoryRoot(d)) ?? d;
  if (!isInside(d, stop)) stop = d;
  while (true) {
    const file = path.join(d, CONFIG_FILE);
    let text: string | null = null;
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) throw new ConfigError(file, ['is not a file']);
      if (st.size > MAX_CONFIG_BYTES) throw new ConfigError(file, [`is ${st.size} bytes (limit ${MAX_CONFIG_BYTES})`]);
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ConfigError(file, [`cannot be read (${(e as Error).message})`]);
    }
    if (text !== null) return { config: parseConfig(text, file), file };
    const up = path.dirname(d);
    if (up === d || d === stop) return { config: defaultConfig(), file: null };
    d = up;
  }
}

/** Creates `dir/maskwright.json` with the default config if absent (never overwrites); returns its path. */
export async function writeDefaultConfig(dir: string): Promise<string> {
  const file = path.join(path.resolve(dir), CONFIG_FILE);
  await createFileExclusive(file, stableStringify(defaultConfig()));
  return file;
}
