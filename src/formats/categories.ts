// Categories of an imported dataset -> class ids of maskwright.json. Rules, in order:
//   1. a category whose name matches a class of the config (case-insensitive) takes that class;
//   2. otherwise it keeps its own id when that id is an integer 0..254 (0..65534 in a dataset with
//      "semanticBits": 16) that is neither the ignore index nor the background id nor taken by
//      another class;
//   3. otherwise it gets the smallest free id from 1, and the mapping is reported (and recorded
//      with each imported image).
// New classes are appended to the config with the category's colour (else the VOC colour of the id)
// and kind (isthing, default thing). Pure.
import { hex, maxSemanticValue, vocColor, type ClassDef, type DatasetConfig } from '../shared/config';

export interface SourceCategory {
  /** Unique key in the source (a COCO id as a string, a label name, a YOLO index). */
  key: string;
  /** The source's numeric id, when it has one. */
  sourceId?: number;
  name: string;
  isthing?: boolean;
  color?: readonly [number, number, number];
}

export interface CategoryPlan {
  /** Source key -> class id. */
  classOf: Map<string, number>;
  /** Classes to append to the config. */
  added: ClassDef[];
  /** Categories whose class id differs from their source id (or that had none). */
  remapped: { key: string; name: string; sourceId?: number; classId: number }[];
  /** Categories that could not get a class id. */
  errors: string[];
}

const norm = (s: string): string => s.trim().toLowerCase();

export function planCategories(cats: readonly SourceCategory[], config: DatasetConfig): CategoryPlan {
  const plan: CategoryPlan = { classOf: new Map(), added: [], remapped: [], errors: [] };
  const byName = new Map<string, number>();
  for (const c of config.classes) if (!byName.has(norm(c.name))) byName.set(norm(c.name), c.id);
  const taken = new Set<number>(config.classes.map((c) => c.id));
  taken.add(config.ignoreIndex);
  taken.add(config.backgroundId);
  const maxId = maxSemanticValue(config.semanticBits) - 1;
  const pending: SourceCategory[] = [];
  for (const c of cats) {
    if (plan.classOf.has(c.key)) continue;
    const named = byName.get(norm(c.name));
    if (named !== undefined) { plan.classOf.set(c.key, named); continue; }
    const id = c.sourceId;
    if (id !== undefined && Number.isInteger(id) && id >= 0 && id <= maxId && !taken.has(id)) {
      taken.add(id);
      plan.classOf.set(c.key, id);
      byName.set(norm(c.name), id);
      plan.added.push(classDef(id, c));
    } else pending.push(c);
  }
  let next = 1;
  for (const c of pending) {
    const named = byName.get(norm(c.name));
    if (named !== undefined) { plan.classOf.set(c.key, named); continue; }
    while (next <= maxId && taken.has(next)) next++;
    if (next > maxId) { plan.errors.push(`category "${c.name}"${c.sourceId !== undefined ? ` (id ${c.sourceId})` : ''}: no free class id left in 1..${maxId} (${config.semanticBits}-bit masks${config.semanticBits === 8 ? '; import with --semantic-bits 16 for more classes' : ''})`); continue; }
    taken.add(next);
    plan.classOf.set(c.key, next);
    byName.set(norm(c.name), next);
    plan.added.push(classDef(next, c));
  }
  for (const c of cats) {
    const id = plan.classOf.get(c.key);
    if (id !== undefined && id !== c.sourceId && !plan.remapped.some((r) => r.key === c.key)) plan.remapped.push({ key: c.key, name: c.name, ...(c.sourceId !== undefined ? { sourceId: c.sourceId } : {}), classId: id });
  }
  plan.added.sort((a, b) => a.id - b.id);
  return plan;
}

function classDef(id: number, c: SourceCategory): ClassDef {
  return { id, name: c.name.trim() || `class ${id}`, color: c.color ? hex(c.color) : hex(vocColor(id)), kind: c.isthing === false ? 'stuff' : 'thing' };
}
