// Automatic writers (batch pre-label, the classical CLI, import) and a person's work: the one rule
// every one of them goes through. A set that is reviewed, carries human edits, has no provenance,
// or was changed outside Maskwright is never replaced unless `overwrite`, and then the old files
// are kept in the trash first. Mtimes are never consulted.
import * as path from 'node:path';
import { inspectSet, writeMaskSet, type SetState } from '../io/maskSet';
import type { DatasetConfig } from '../shared/config';
import type { InstanceInfo, LabelMaps } from '../shared/maskModel';
import { humanWorkIn, type UncertaintyInfo } from '../shared/sidecar';

export interface AutoWrite {
  /** "model:<id>", "tool:<name>" or "import:<format>" */
  readonly source: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** How unsure the writer (a model) was of this draft; recorded as prelabel.uncertainty. */
  readonly uncertainty?: UncertaintyInfo;
  /** Replace reviewed / hand-made masks too (their files go to the trash first). */
  readonly overwrite?: boolean;
  /** Decide and report, write nothing. */
  readonly dryRun?: boolean;
  /** Skip an untouched draft this same source already wrote (resume). */
  readonly skipSameSource?: boolean;
  /** How long to wait for another writer of the same image (ms). */
  readonly lockWaitMs?: number;
}

export type AutoDecision =
  | { readonly write: true; readonly why: 'new' | 'draft' | 'overwrite'; readonly trash?: string }
  | { readonly write: false; readonly reason: string };

export type AutoWriteResult =
  | { readonly status: 'written'; readonly why: 'new' | 'draft' | 'overwrite'; readonly files: string[]; readonly trashed?: string; readonly notes: string[] }
  | { readonly status: 'skipped'; readonly reason: string; readonly notes: string[] }
  | { readonly status: 'would-write'; readonly why: 'new' | 'draft' | 'overwrite' };

const HINT = ' (--overwrite replaces it and keeps the old files in .maskwright/trash)';

/** Whether an automatic writer may replace what is on disk, and why (pure over the inspected state). */
export function decideAutomatic(state: SetState, w: Pick<AutoWrite, 'source' | 'overwrite' | 'skipSameSource'>): AutoDecision {
  if (state.integrity === 'none') return { write: true, why: 'new' };
  if (w.overwrite) return { write: true, why: 'overwrite', trash: `replaced by ${w.source} with --overwrite` };
  const s = state.sidecar;
  if (state.sidecarError) return { write: false, reason: `the sidecar cannot be read (${state.sidecarError}); treated as a person's work${HINT}` };
  if (!s) return { write: false, reason: `masks without a sidecar (made by hand or by another tool)${HINT}` };
  if (state.integrity === 'mixed' || state.integrity === 'changed') return { write: false, reason: `${state.problem}; treated as a person's work${HINT}` };
  if (s.reviewed) return { write: false, reason: `reviewed${s.review?.by ? ` by ${s.review.by}` : ''}${s.review ? ` on ${s.review.at}` : ''}${HINT}` };
  const human = humanWorkIn(s);
  if (human) return { write: false, reason: `${human}${HINT}` };
  if (state.integrity === 'legacy') return { write: false, reason: `written by an earlier Maskwright that did not record hand edits; treated as a person's work${HINT}` };
  if (w.skipSameSource && s.prelabel?.source === w.source) return { write: false, reason: `up to date (already labelled by ${w.source})` };
  return { write: true, why: 'draft' };
}

/** Read-only pre-check (no lock): lets a batch skip an image before decoding it. writeAutomatic checks again under the lock. */
export async function checkAutomatic(image: string, config: DatasetConfig, w: AutoWrite): Promise<AutoDecision> {
  return decideAutomatic(await inspectSet(image, config), w);
}

/**
 * Writes an automatic result for `image` unless the rule above says no. The decision is taken
 * under the image's lock, after completing any interrupted save, so an editor save in between is
 * never clobbered.
 */
export async function writeAutomatic(image: string, maps: LabelMaps, instances: readonly InstanceInfo[], config: DatasetConfig, w: AutoWrite): Promise<AutoWriteResult> {
  if (w.dryRun) {
    const d = await checkAutomatic(image, config, w);
    return d.write ? { status: 'would-write', why: d.why } : { status: 'skipped', reason: d.reason, notes: [] };
  }
  let why: 'new' | 'draft' | 'overwrite' = 'new';
  const r = await writeMaskSet(image, maps, instances, config, {
    prelabel: { source: w.source, ...(w.params ? { params: w.params } : {}), date: new Date().toISOString(), ...(w.uncertainty ? { uncertainty: w.uncertainty } : {}) },
  }, {
    lock: { what: w.source, ...(w.lockWaitMs !== undefined ? { waitMs: w.lockWaitMs } : {}) },
    guard: (state) => {
      const d = decideAutomatic(state, w);
      if (!d.write) return { skip: d.reason };
      why = d.why;
      return d.trash ? { trash: d.trash } : undefined;
    },
  });
  if (r.status === 'skipped') return r;
  return { status: 'written', why, files: r.written.map((f) => path.resolve(f)), ...(r.trashed ? { trashed: r.trashed } : {}), notes: r.notes };
}
