// A model whose classes the dataset config lacks: add them (the CLI does, and says so; the editor
// offers it in one click). Without a config, the default config the editor creates on first save
// is written first, so every face ends with the same maskwright.json.
import * as path from 'node:path';
import { newClassDefs, unmappedClasses, type ClassMapping } from '../algorithms/models/classMap';
import type { ModelEntry } from '../inference/manifest';
import { extendConfigFile } from '../interchange/configFile';
import { CONFIG_FILE, defaultConfig, type ClassDef } from '../shared/config';
import { findConfig } from './config';

/**
 * Adds the model's missing classes to the config of `dir` (ids: the lowest free ones; kind: thing,
 * or stuff for per-pixel semantic models). Creates `stopAt/maskwright.json` (or `dir/...`) from the
 * default config when there is none. Returns the file and the classes added, or null.
 */
export async function addModelClasses(dir: string, stopAt: string | undefined, entry: ModelEntry, mapping?: ClassMapping): Promise<{ file: string; added: ClassDef[]; created: boolean } | null> {
  const { config, file } = await findConfig(dir, stopAt ? { stopAt } : {});
  const names = unmappedClasses(entry.classes, config, mapping);
  if (!names.length) return null;
  const added = newClassDefs(names, config, entry.family === 'semantic' ? 'stuff' : 'thing');
  const root = stopAt ?? dir;
  const r = await extendConfigFile(file, root, file ? config : defaultConfig(), added, false);
  return { file: r.file ?? path.join(root, CONFIG_FILE), added, created: file === null };
}

/** "added classes text (id 2) to DIR/maskwright.json" */
export function describeAdded(r: { file: string; added: readonly ClassDef[]; created: boolean }): string {
  return `${r.created ? 'created' : 'added classes to'} ${r.file}${r.created ? ' with the default classes and' : ':'} ${r.added.map((c) => `${c.name} (id ${c.id})`).join(', ')}`;
}
