// The 'samPrompt' message: what parseWebviewMessage lets through to the host, and what it drops.
import * as assert from 'node:assert/strict';
import { MAX_SAM_POINTS, parseWebviewMessage } from '../../../src/shared/protocol';

const msg = (prompt: unknown, id: unknown = 7): unknown => ({ type: 'samPrompt', id, prompt });

describe('protocol: samPrompt validation', () => {
  it('keeps points (label 1/0) and a box, and nothing else', () => {
    const m = parseWebviewMessage(msg({ points: [{ x: 10.5, y: 20.5, label: 1, extra: 'x' }, { x: 0, y: 0, label: 0 }], box: { x0: 1, y0: 2, x1: 30, y1: 40, z: 1 }, other: true }));
    assert.deepEqual(m, { type: 'samPrompt', id: 7, prompt: { points: [{ x: 10.5, y: 20.5, label: 1 }, { x: 0, y: 0, label: 0 }], box: { x0: 1, y0: 2, x1: 30, y1: 40 } } });
    assert.deepEqual(parseWebviewMessage(msg({ points: [], box: { x0: 5, y0: 5, x1: 1, y1: 1 } })), { type: 'samPrompt', id: 7, prompt: { points: [], box: { x0: 5, y0: 5, x1: 1, y1: 1 } } });
    const cap = Array.from({ length: MAX_SAM_POINTS }, (_, i) => ({ x: i, y: i, label: 1 }));
    assert.equal((parseWebviewMessage(msg({ points: cap })) as unknown as { prompt: { points: unknown[] } }).prompt.points.length, MAX_SAM_POINTS);
  });

  it('drops bad prompts: empty, too many points, bad numbers, labels, boxes and ids', () => {
    const bad: unknown[] = [
      msg({ points: [] }),
      msg({}),
      msg(null),
      msg([{ x: 1, y: 1, label: 1 }]),
      msg({ points: Array.from({ length: MAX_SAM_POINTS + 1 }, () => ({ x: 1, y: 1, label: 1 })) }),
      msg({ points: [{ x: -1, y: 1, label: 1 }] }),
      msg({ points: [{ x: 1, y: Number.NaN, label: 1 }] }),
      msg({ points: [{ x: Infinity, y: 1, label: 1 }] }),
      msg({ points: [{ x: 70000, y: 1, label: 1 }] }),
      msg({ points: [{ x: '1', y: 1, label: 1 }] }),
      msg({ points: [{ x: 1, y: 1, label: 2 }] }),
      msg({ points: [{ x: 1, y: 1, label: true }] }),
      msg({ points: [{ x: 1, y: 1 }] }),
      msg({ points: [null] }),
      msg({ points: 'x' }),
      msg({ points: [], box: { x0: 1, y0: 1, x1: 1, y1: 9 } }),
      msg({ points: [], box: { x0: 1, y0: 1, x1: 9 } }),
      msg({ points: [], box: { x0: 1, y0: -1, x1: 9, y1: 9 } }),
      msg({ points: [{ x: 1, y: 1, label: 1 }], box: [1, 1, 9, 9] }),
      msg({ points: [{ x: 1, y: 1, label: 1 }] }, -1),
      msg({ points: [{ x: 1, y: 1, label: 1 }] }, 1.5),
      { type: 'samPrompt', prompt: { points: [{ x: 1, y: 1, label: 1 }] } },
    ];
    bad.forEach((b, i) => assert.equal(parseWebviewMessage(b), null, `case ${i}: ${JSON.stringify(b)}`));
  });
});
