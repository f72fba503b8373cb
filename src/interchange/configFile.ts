// Creating or extending maskwright.json with imported categories. An existing file keeps every key
// and class it has; new classes are appended. Written atomically, then read back through the
// config parser so a mistake fails here, not in the editor.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { CONFIG_FILE, defaultConfig, parseConfig, stableStringify, type ClassDef, type DatasetConfig } from '../shared/config';

/** The config an import starts from when the dataset has none: background only (no sample class). */
export function importBaseConfig(): DatasetConfig {
  const d = defaultConfig();
  return { ...d, classes: d.classes.filter((c) => c.id === d.backgroundId) };
}

/**
 * Appends `added` to the config file `file` (or creates `dir/maskwright.json` when file is null).
 * With dryRun nothing is written. Returns the resulting config and the file.
 */
export async function extendConfigFile(file: string | null, dir: string, base: DatasetConfig, added: readonly ClassDef[], dryRun: boolean): Promise<{ config: DatasetConfig; file: string; written: boolean }> {
  const target = file ?? path.join(path.resolve(dir), CONFIG_FILE);
  let raw: Record<string, unknown>;
  let widened = false;
  if (file) {
    raw = JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
    if (!Array.isArray(raw.classes)) raw.classes = base.classes.map((c) => ({ ...c }));
    if (base.semanticBits === 16 && raw.semanticBits !== 16) {
      // The dataset becomes 16-bit: its ignore index is written out, so it keeps its meaning.
      raw.semanticBits = 16;
      raw.ignoreIndex = base.ignoreIndex;
      widened = true;
    }
  } else {
    raw = { version: 1, classes: base.classes.map((c) => ({ ...c })), ignoreIndex: base.ignoreIndex, backgroundId: base.backgroundId, ...(base.semanticBits === 16 ? { semanticBits: 16 } : {}) };
  }
  if (file && added.length === 0 && !widened) return { config: base, file: target, written: false };
  raw.classes = [...(raw.classes as unknown[]), ...added.map((c) => ({ ...c }))];
  const text = stableStringify(raw);
  const config = parseConfig(text, target);
  if (!dryRun) await writeFileAtomic(target, text);
  return { config, file: target, written: !dryRun };
}
