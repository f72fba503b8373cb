// Plug-in for ../shared/bench/peer/bench-peer.mjs (--module): the ops of classical-peer.mjs on the
// TypeScript kernels (the reference and fallback of the wasm SIMD ones).
import { opsFor } from './classical-peer.mjs';

export const name = 'maskwright-ts';
export const ops = opsFor('ts');
