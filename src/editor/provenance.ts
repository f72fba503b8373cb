// Who made the masks of an open document, as of a point in its edit history: the automatic draft
// (pre-label), a person's saved edits, the review. Every edit stores the provenance before and
// after it, so undo and redo restore it exactly (undoing a pre-label restores the previous record).
// Pure: no vscode or node imports.
import type { Layer, Patch } from '../shared/maskModel';
import type { EditedInfo, PrelabelInfo, ReviewStatus, Sidecar, Stamp } from '../shared/sidecar';
import { humanWorkIn } from '../shared/sidecar';
import type { SetMeta } from '../io/maskSet';

export interface Provenance {
  readonly prelabel?: PrelabelInfo;
  /** A person's saved edits (from the sidecar or an earlier save of this document). */
  readonly edited?: EditedInfo;
  /** Present while the masks are marked reviewed. */
  readonly review?: Stamp;
  /** Layers a person changed since the last save; recorded in `edited` by the next save. */
  readonly pending: readonly Layer[];
  /** The sidecar listed no automatic writer although masks existed: a person's or another tool's work. */
  readonly foreign?: boolean;
}

export function fromSidecar(s: Sidecar | null): Provenance {
  if (!s) return { pending: [] };
  return {
    ...(s.prelabel ? { prelabel: s.prelabel } : {}),
    ...(s.edited ? { edited: s.edited } : {}),
    ...(s.reviewed ? { review: s.review ?? { at: 'unknown' } } : {}),
    pending: [],
    ...(humanWorkIn(s) && !s.edited && !s.prelabel ? { foreign: true } : {}),
  };
}

/** After a person's edit made of `patches`. */
export function humanEdit(p: Provenance, patches: readonly Patch[]): Provenance {
  const layers = new Set<Layer>(p.pending);
  for (const q of patches) layers.add(q.layer);
  return { ...p, pending: [...layers].sort() };
}

/** After an automatic edit (a pre-label replacing the maps): a new draft, neither edited nor reviewed. */
export function afterAutomatic(_p: Provenance, prelabel: PrelabelInfo): Provenance {
  return { prelabel, pending: [] };
}

export function markReviewed(p: Provenance, review: Stamp | undefined): Provenance {
  const { review: _old, ...rest } = p;
  return review ? { ...rest, review } : rest;
}

/** What the sidecar records for a save at `at` by `by`. */
export function metaForSave(p: Provenance, at: string, by: string | undefined): SetMeta {
  let edited = p.edited;
  if (p.pending.length) {
    const layers = new Set([...(edited?.layers ?? []), ...p.pending]);
    edited = { at, ...(by ? { by } : {}), layers: [...layers].sort() };
  }
  return { ...(p.prelabel ? { prelabel: p.prelabel } : {}), ...(edited ? { edited } : {}), ...(p.review ? { review: p.review } : {}) };
}

/** The provenance once `meta` is on disk. */
export function afterSave(p: Provenance, meta: SetMeta): Provenance {
  return { ...p, ...(meta.edited ? { edited: meta.edited } : {}), pending: [] };
}

/** draft / edited / reviewed / unlabelled, counting unsaved edits. */
export function statusOf(p: Provenance, hadFiles: boolean): ReviewStatus {
  if (p.review) return 'reviewed';
  if (p.pending.length || p.edited || p.foreign) return 'edited';
  if (p.prelabel) return 'draft';
  return hadFiles ? 'edited' : 'unlabelled';
}

export interface ProvenanceJson { prelabel?: PrelabelInfo; edited?: EditedInfo; review?: Stamp; pending: Layer[]; foreign?: boolean }

export function provenanceToJson(p: Provenance): ProvenanceJson {
  return { ...p, pending: [...p.pending] } as ProvenanceJson;
}

export function provenanceFromJson(j: ProvenanceJson): Provenance {
  const layers = Array.isArray(j.pending) ? j.pending.filter((l) => l === 'semantic' || l === 'instances') : [];
  return { ...(j.prelabel ? { prelabel: j.prelabel } : {}), ...(j.edited ? { edited: j.edited } : {}), ...(j.review ? { review: j.review } : {}), pending: layers, ...(j.foreign ? { foreign: true } : {}) };
}
