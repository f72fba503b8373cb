// Figures for the editor benchmark (test/bench/editor.js): percentiles, the proportional set size
// of a process tree (Linux /proc), and the functions with the most self time in a CPU profile.
'use strict';
const fs = require('fs');

/** Count, p50, p95 and max of a list of numbers (nearest rank); nulls when empty. */
function stats(values) {
  if (values.length === 0) return { n: 0, p50: null, p95: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { n: s.length, p50: at(50), p95: at(95), max: s[s.length - 1] };
}

/** Parent pid of every process (from /proc/<pid>/stat). */
function parents() {
  const m = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      m.set(Number(d), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  return m;
}

const comm = (pid) => { try { return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; } };

/**
 * Sum of Pss (KiB) of the browser processes `root` started (children whose name has 'chrom') and
 * all their descendants: the browser, its GPU/utility processes and renderers; not code-server.
 */
function pssOfTree(root) {
  let kb = 0;
  for (const p of pssByProcess(root)) kb += p.kb;
  return kb;
}

/** pssOfTree per process: [{ pid, kind (Chromium's --type, or 'browser'), kb }]. */
function pssByProcess(root) {
  const pp = parents();
  const inTree = (pid) => {
    for (let c = pid, p = pp.get(pid); p !== undefined && p > 1; c = p, p = pp.get(p)) if (p === root) return /chrom/i.test(comm(c));
    return false;
  };
  const out = [];
  for (const pid of pp.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      const type = /--type=([\w-]+)/.exec(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      if (m) out.push({ pid, kind: type ? type[1] : 'browser', kb: Number(m[1]) });
    } catch { /* gone or not ours */ }
  }
  return out;
}

/** The `n` functions with the most self time in a DevTools CPU profile: [{ name, ms }]. */
function summarizeProfile(profile, n) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const cf = node.callFrame;
    const file = cf.url ? cf.url.slice(cf.url.lastIndexOf('/') + 1) : '';
    const key = `${cf.functionName || '(anonymous)'}${file ? ` ${file}:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i] || 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms }));
}

module.exports = { stats, pssOfTree, pssByProcess, summarizeProfile };

/**
 * Where the threads went during a Chrome trace (chrome://tracing JSON): for each busy thread
 * (process and thread name), its top-level busy time and the `n` events with the most self time
 * (an event's duration less its children's). Complete ('X') events only.
 */
function summarizeTrace(trace, n) {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const names = new Map(), procs = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.name === 'process_name') procs.set(e.pid, e.args.name);
  }
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || typeof e.dur !== 'number') continue;
    const k = `${e.pid}:${e.tid}`;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k).push(e);
  }
  const out = [];
  for (const [k, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const self = new Map(), stack = [];
    let busy = 0;
    for (const e of list) {
      while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent.name, self.get(parent.name) - Math.min(e.dur, parent.end - e.ts));
      else busy += e.dur;
      self.set(e.name, (self.get(e.name) || 0) + e.dur);
      stack.push({ name: e.name, end: e.ts + e.dur });
    }
    const pid = Number(k.split(':')[0]);
    out.push({ thread: `${procs.get(pid) || 'pid ' + pid} / ${names.get(k) || k}`, busyMs: busy / 1000, top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, ms: us / 1000 })) });
  }
  return out.sort((a, b) => b.busyMs - a.busyMs);
}

module.exports.summarizeTrace = summarizeTrace;
