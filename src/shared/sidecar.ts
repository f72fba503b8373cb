// The sidecar `STEM.mask.json`: instance classes and provenance, review state, and the generation
// that ties one save's files together. Pure.
import { stableStringify } from './config';
import type { InstanceInfo } from './maskModel';

export interface PrelabelInfo {
  /** "model:<id>", "tool:<name>" or "import:<format>" */
  readonly source: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** ISO date */
  readonly date: string;
  /** How unsure the model was of this draft, 0..1 (src/review/uncertainty.ts says how it is measured). */
  readonly uncertainty?: UncertaintyInfo;
}

export interface UncertaintyInfo {
  readonly measure: string;
  readonly value: number;
}

function uncertaintyOf(v: unknown): UncertaintyInfo | undefined {
  if (!isObj(v) || typeof v.measure !== 'string' || typeof v.value !== 'number' || !(v.value >= 0 && v.value <= 1)) return undefined;
  return { measure: v.measure, value: v.value };
}

/** Who did something and when (ISO date); `by` is a person's name where known. */
export interface Stamp {
  readonly at: string;
  readonly by?: string;
}

/** A person saved changes to the masks: which maps they touched, and the last time. */
export interface EditedInfo extends Stamp {
  readonly layers: readonly ('semantic' | 'instances')[];
}

export interface Sidecar {
  readonly version: 1;
  readonly image: { readonly file: string; readonly width: number; readonly height: number };
  readonly instances: readonly InstanceInfo[];
  /** The automatic writer (model, tool, import) that produced the current draft. */
  readonly prelabel?: PrelabelInfo;
  /** Human work: a person saved changes since the masks were (re)created by an automatic writer. */
  readonly edited?: EditedInfo;
  /** A person accepted the masks since the last automatic change. */
  readonly reviewed: boolean;
  /** Who accepted them and when (present when reviewed). */
  readonly review?: Stamp;
  /** Id shared by every file of one save (also in each PNG's `maskwright-generation` tEXt chunk). */
  readonly generation?: string;
  /** sha256 (hex) of each PNG of the set, by file name: a reader can verify the set is complete and unchanged. */
  readonly files?: Readonly<Record<string, string>>;
}

/** The PNG tEXt keyword that carries the generation id. */
export const GENERATION_KEY = 'maskwright-generation';

export function serializeSidecar(s: Sidecar): string {
  return stableStringify({ ...s, instances: [...s.instances].sort((a, b) => a.id - b.id) });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stamp(v: unknown): Stamp | undefined {
  if (!isObj(v) || typeof v.at !== 'string') return undefined;
  return { at: v.at, ...(typeof v.by === 'string' && v.by ? { by: v.by } : {}) };
}

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
    ? {
      source: raw.prelabel.source, date: String(raw.prelabel.date ?? ''), ...(isObj(raw.prelabel.params) ? { params: raw.prelabel.params } : {}),
      ...(uncertaintyOf(raw.prelabel.uncertainty) ? { uncertainty: uncertaintyOf(raw.prelabel.uncertainty) } : {}),
    }
    : undefined;
  const ed = stamp(raw.edited);
  const edited: EditedInfo | undefined = ed && isObj(raw.edited)
    ? { ...ed, layers: Array.isArray(raw.edited.layers) ? raw.edited.layers.filter((l): l is 'semantic' | 'instances' => l === 'semantic' || l === 'instances') : ['semantic'] }
    : undefined;
  const review = stamp(raw.review);
  let files: Record<string, string> | undefined;
  if (isObj(raw.files)) {
    files = {};
    for (const [k, v] of Object.entries(raw.files)) if (typeof v === 'string') files[k] = v;
  }
  return {
    version: 1,
    image: { file: String(img.file ?? ''), width: Number(img.width ?? 0), height: Number(img.height ?? 0) },
    instances,
    ...(pre ? { prelabel: pre } : {}),
    ...(edited ? { edited } : {}),
    reviewed: raw.reviewed === true,
    ...(review && raw.reviewed === true ? { review } : {}),
    ...(typeof raw.generation === 'string' && raw.generation ? { generation: raw.generation } : {}),
    ...(files ? { files } : {}),
  };
}

/** Review status of an image's masks, as the editor's status bar, `validate` and the queue show it. */
export type ReviewStatus = 'unlabelled' | 'draft' | 'edited' | 'reviewed';

/**
 * The status from the sidecar (null: none) and whether a mask file exists. Masks without a sidecar,
 * or whose sidecar names no automatic writer, were made by a person or another tool: "edited".
 */
export function reviewStatus(sidecar: Sidecar | null, hasMaskFiles: boolean): ReviewStatus {
  if (!sidecar) return hasMaskFiles ? 'edited' : 'unlabelled';
  if (sidecar.reviewed) return 'reviewed';
  if (humanWorkIn(sidecar)) return 'edited';
  return 'draft';
}

/**
 * Why these masks carry a person's work (a reason to show), or null for an untouched automatic
 * draft. An automatic writer may replace a set only when this is null and it is not reviewed.
 */
export function humanWorkIn(sidecar: Sidecar): string | null {
  if (sidecar.edited) return `edited by hand${sidecar.edited.by ? ` by ${sidecar.edited.by}` : ''} (${sidecar.edited.at})`;
  const manual = sidecar.instances.filter((i) => i.source === 'manual').length;
  if (manual > 0) return `${manual} instance(s) drawn by hand`;
  if (!sidecar.prelabel) return 'not written by an automatic tool (no prelabel record)';
  return null;
}
