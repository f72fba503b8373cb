import * as assert from 'node:assert/strict';
import { MARK_LIMIT, SENT_LIMIT, TestProbe } from '../../../src/editor/testProbe';
import type { HostToWebview } from '../../../src/shared/protocol';

const reset = (n: number): HostToWebview => ({ type: 'reset', packed: 'deflate', semanticBits: 8, semantic: new Uint8Array(n), instances: new Uint8Array(8), instanceInfo: [] });

describe('editor/testProbe', () => {
  it('records nothing when off', () => {
    const p = new TestProbe(false);
    p.recordSent('a', reset(10));
    p.recordMark('a', 'firstPaint', 5);
    assert.deepEqual([p.sentTo('a'), p.marksOf('a'), p.keys()], [[], [], []]);
  });

  it('keeps the last SENT_LIMIT messages and MARK_LIMIT marks, pixel payloads as type and length', () => {
    const p = new TestProbe(true);
    const big = new Uint8Array(4096 * 4096);
    for (let i = 0; i < SENT_LIMIT + 5; i++) p.recordSent('a', { type: 'reply', id: i, ok: true, result: i === SENT_LIMIT + 4 ? big : undefined });
    for (let i = 0; i < MARK_LIMIT + 3; i++) p.recordMark('a', 'strokeFrame', i);
    const sent = p.sentTo('a');
    assert.equal(sent.length, SENT_LIMIT);
    assert.equal((sent[0] as { id: number }).id, 5, 'the oldest are dropped');
    assert.deepEqual((sent[SENT_LIMIT - 1] as { result: unknown }).result, { omitted: 'Uint8Array', length: big.length });
    assert.equal(p.marksOf('a').length, MARK_LIMIT);
    assert.equal(p.marksOf('a')[0].ms, 3);
  });

  it('copies small arrays (no view into a large buffer stays alive) and forgets a closed document', () => {
    const p = new TestProbe(true);
    const buffer = new Uint8Array(1 << 20);
    const small = buffer.subarray(0, 16);
    p.recordSent('a', reset(100));
    p.recordSent('a', { type: 'reply', id: 1, ok: true, result: small });
    const kept = (p.sentTo('a')[1] as { result: Uint8Array }).result;
    assert.ok(kept instanceof Uint8Array && kept.length === 16);
    assert.notEqual(kept.buffer, buffer.buffer);
    assert.equal(kept.buffer.byteLength, 16);
    p.recordSent('b', reset(1));
    p.drop('a');
    assert.deepEqual(p.keys(), ['b']);
    assert.deepEqual(p.sentTo('a'), []);
  });
});
