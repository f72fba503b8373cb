// The review queue (pure): which images most likely need a person, in order, with a score and the
// reason. Not reviewed first; within each group the highest score first, where the score is the
// larger of the model's recorded uncertainty and the disagreement (1 - mean IoU) with a model's
// prediction, when known. Ties: drafts (nobody looked) before unlabelled images before edited ones.
import type { ReviewStatus } from '../shared/sidecar';

export interface QueueInput {
  /** Image path (as it should be shown and opened). */
  readonly image: string;
  readonly status: ReviewStatus;
  /** The automatic writer of the draft ("model:<id>", "tool:<name>", ...). */
  readonly source?: string;
  /** The draft's uncertainty 0..1 as pre-labelling recorded it. */
  readonly uncertainty?: number;
  /** Mean IoU 0..1 with a model's prediction (compare), when known and current. */
  readonly agreement?: number;
  readonly agreementWith?: string;
}

export interface QueueItem extends QueueInput {
  /** 0..1: how likely the masks are wrong, as far as the recorded measures tell. */
  readonly score: number;
  readonly reason: string;
}

const TIE: Record<ReviewStatus, number> = { draft: 0, unlabelled: 1, edited: 2, reviewed: 3 };
const STATUS_TEXT: Record<ReviewStatus, string> = {
  draft: 'automatic draft, not reviewed',
  unlabelled: 'no masks yet',
  edited: 'edited by a person, not reviewed',
  reviewed: 'reviewed',
};

const fmt = (v: number): string => v.toFixed(3);

/** Score and reason of one image. */
export function scoreItem(q: QueueInput): QueueItem {
  const parts: string[] = [STATUS_TEXT[q.status] + (q.source && q.status !== 'unlabelled' ? ` (${q.source})` : '')];
  let score = 0;
  if (q.uncertainty !== undefined) {
    score = Math.max(score, q.uncertainty);
    parts.push(`uncertainty ${fmt(q.uncertainty)}`);
  }
  if (q.agreement !== undefined) {
    score = Math.max(score, 1 - q.agreement);
    parts.push(`agreement mIoU ${fmt(q.agreement)}${q.agreementWith ? ` with ${q.agreementWith}` : ''}`);
  }
  if (q.uncertainty === undefined && q.agreement === undefined && q.status !== 'unlabelled') parts.push('no uncertainty or agreement recorded');
  return { ...q, score: Math.round(score * 1e4) / 1e4, reason: parts.join('; ') };
}

const natural = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

/** The ranked queue: not reviewed first, then score (descending), then status, then name. */
export function rankQueue(items: readonly QueueInput[]): QueueItem[] {
  return items.map(scoreItem).sort((a, b) => {
    const ra = a.status === 'reviewed' ? 1 : 0, rb = b.status === 'reviewed' ? 1 : 0;
    return ra - rb || b.score - a.score || TIE[a.status] - TIE[b.status] || natural(a.image, b.image);
  });
}
