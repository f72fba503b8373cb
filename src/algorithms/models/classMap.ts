// Model class -> dataset class mapping. Pure.
import { hex, maxSemanticValue, vocColor, type ClassDef, type ClassKind, type DatasetConfig } from '../../shared/config';

/** Per model class: a dataset class id, or null to leave its pixels as background. */
export type ClassMapping = Readonly<Record<string, number | string | null>>;

export interface ClassMapOptions {
  /** Explicit mapping by model class name (from the dataset config's models[].options.classMap). */
  readonly mapping?: ClassMapping;
  /** Used for model classes that match nothing, instead of an error (e.g. when no dataset config exists). */
  readonly fallbackClass?: number;
}

/**
 * Returns `map[modelIndex]` = dataset class id or -1 (background). A model class named like a dataset
 * class (case-insensitive) maps to it; "background" maps to the config's backgroundId. Throws an error
 * that lists every unmapped class and how to map it.
 */
export function buildClassMap(modelId: string, modelClasses: readonly string[], config: DatasetConfig, opts: ClassMapOptions = {}): Int32Array {
  const byName = new Map(config.classes.map((c) => [c.name.toLowerCase(), c.id]));
  const ids = new Set(config.classes.map((c) => c.id));
  const map = new Int32Array(modelClasses.length).fill(-1);
  const missing: string[] = [];
  modelClasses.forEach((name, i) => {
    const m = opts.mapping?.[name];
    if (m === null) return;
    if (typeof m === 'number') {
      if (!ids.has(m)) { missing.push(`${name} (mapped to id ${m}, which the config does not list)`); return; }
      map[i] = m;
      return;
    }
    if (typeof m === 'string') {
      const id = byName.get(m.toLowerCase());
      if (id === undefined) { missing.push(`${name} (mapped to '${m}', which the config does not list)`); return; }
      map[i] = id;
      return;
    }
    const id = byName.get(name.toLowerCase());
    if (id !== undefined) map[i] = id;
    else if (name.toLowerCase() === 'background') map[i] = -1;
    else if (opts.fallbackClass !== undefined) map[i] = opts.fallbackClass;
    else missing.push(name);
  });
  if (missing.length) {
    const have = config.classes.map((c) => `${c.id} ${c.name}`).join(', ');
    throw new Error(`model '${modelId}' classes not in the dataset config: ${missing.join(', ')}. The config lists: ${have}. Add the classes to maskwright.json, or map them with "models": [{ "id": "${modelId}", "options": { "classMap": { "<model class>": "<dataset class>" | null } } }]`);
  }
  return map;
}

/** Model classes that neither the config (by name) nor the mapping covers; "background" is never missing. */
export function unmappedClasses(modelClasses: readonly string[], config: DatasetConfig, mapping?: ClassMapping): string[] {
  const names = new Set(config.classes.map((c) => c.name.toLowerCase()));
  return modelClasses.filter((n) => mapping?.[n] === undefined && !names.has(n.toLowerCase()) && n.toLowerCase() !== 'background');
}

/**
 * Class definitions for `names`, with the lowest free ids (never the background or ignore index),
 * the Pascal VOC colour of each id, and `kind`.
 */
export function newClassDefs(names: readonly string[], config: DatasetConfig, kind: ClassKind): ClassDef[] {
  const used = new Set(config.classes.map((c) => c.id));
  used.add(config.backgroundId);
  used.add(config.ignoreIndex);
  const out: ClassDef[] = [];
  const limit = maxSemanticValue(config.semanticBits);
  let id = 1;
  for (const name of names) {
    while (id < limit && used.has(id)) id++;
    if (id >= limit) throw new RangeError(`no free class id below ${limit} for '${name}'`);
    used.add(id);
    out.push({ id, name, color: hex(vocColor(id)), kind });
  }
  return out;
}
