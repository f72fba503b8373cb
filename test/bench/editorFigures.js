// Figures for the editor benchmark (test/bench/editor.js): percentiles, the proportional set size
// of a process tree (Linux /proc), and the functions with the most self time in a CPU profile.
'use strict';
const fs = require('fs');

/** p50, p95 and max of a list of numbers (nearest rank); nulls when empty. */
function stats(values) {
  if (values.length === 0) return { p50: null, p95: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
  return { p50: at(50), p95: at(95), max: s[s.length - 1] };
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
  const pp = parents();
  const inTree = (pid) => {
    for (let c = pid, p = pp.get(pid); p !== undefined && p > 1; c = p, p = pp.get(p)) if (p === root) return /chrom/i.test(comm(c));
    return false;
  };
  let kb = 0;
  for (const pid of pp.keys()) {
    if (!inTree(pid)) continue;
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone or not ours */ }
  }
  return kb;
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

module.exports = { stats, pssOfTree, summarizeProfile };
