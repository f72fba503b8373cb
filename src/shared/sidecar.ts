// The sidecar `STEM.mask.json`: instance classes and provenance, review state. Pure.
import { stableStringify } from './config';
import type { InstanceInfo } from './maskModel';

export interface PrelabelInfo {
  /** "model:<id>" or "tool:<name>" */
  readonly source: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** ISO date */
  readonly date: string;
}

export interface Sidecar {
  readonly version: 1;
  readonly image: { readonly file: string; readonly width: number; readonly height: number };
  readonly instances: readonly InstanceInfo[];
  readonly prelabel?: PrelabelInfo;
  readonly reviewed: boolean;
}

export function serializeSidecar(s: Sidecar): string {
  return stableStringify({ ...s, instances: [...s.instances].sort((a, b) => a.id - b.id) });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a sidecar; throws an Error naming the problem. */
export function parseSidecar(text: string, file: string): Sidecar {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { throw new Error(`${file}: not valid JSON (${(e as Error).message})`); }
  if (!isObj(raw)) throw new Error(`${file}: the top level must be an object`);
  const img = isObj(raw.image) ? raw.image : {};
  const instances: InstanceInfo[] = [];
  if (raw.instances !== undefined && !Array.isArray(raw.instances)) throw new Error(`${file}: instances must be an array`);
  for (const [i, v] of ((raw.instances as unknown[]) ?? []).entries()) {
    if (!isObj(v) || typeof v.id !== 'number' || !Number.isInteger(v.id) || v.id < 1 || v.id > 65535 || typeof v.class !== 'number') {
      throw new Error(`${file}: instances[${i}] needs an integer id 1..65535 and a class`);
    }
    instances.push({ id: v.id, class: v.class, source: typeof v.source === 'string' ? v.source : 'manual', ...(typeof v.score === 'number' ? { score: v.score } : {}) });
  }
  const pre = isObj(raw.prelabel) && typeof raw.prelabel.source === 'string'
    ? { source: raw.prelabel.source, date: String(raw.prelabel.date ?? ''), ...(isObj(raw.prelabel.params) ? { params: raw.prelabel.params } : {}) }
    : undefined;
  return {
    version: 1,
    image: { file: String(img.file ?? ''), width: Number(img.width ?? 0), height: Number(img.height ?? 0) },
    instances,
    ...(pre ? { prelabel: pre } : {}),
    reviewed: raw.reviewed === true,
  };
}
