// THIRD-PARTY-NOTICES.txt for a VSIX, generated from what is installed, never written by hand:
// for every package that goes into the package (node_modules loaded at run time, and the packages
// esbuild bundled into dist/) its name, version, declared licence and repository, then the text of
// its own licence / notice files; where a package ships none, the "Licens..." section of its README
// (the libvips packages list their bundled libraries there) and a line saying so. Then each embedded
// model of models/manifest.json with its weights' licence file.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const COMMON_LICENSES = '/usr/share/common-licenses';
const LICENCE_FILE = /^(licen[cs]e|copying|notice|third[-_ ]?party[-_ ]?notices?)([-_.].*)?$/i;

/** Packages under node_modules whose files esbuild bundles into the given entry points: [{ name, version, dir }]. */
export async function bundledPackages(repo, entries, external) {
  const require = createRequire(path.join(repo, 'package.json'));
  const esbuild = require('esbuild');
  const dirs = new Map();
  for (const [entry, platform] of entries) {
    if (!fs.existsSync(path.join(repo, entry))) continue;
    const r = await esbuild.build({ entryPoints: [path.join(repo, entry)], bundle: true, write: false, metafile: true, platform, external, logLevel: 'silent', absWorkingDir: repo });
    for (const input of Object.keys(r.metafile.inputs)) {
      const m = /(^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (!m) continue;
      const dir = path.join(repo, input.slice(0, m.index + m[0].length - 1));
      if (!dirs.has(dir)) {
        const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
        dirs.set(dir, { name: p.name, version: p.version, dir });
      }
    }
  }
  return [...dirs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The README section whose heading mentions a licence, up to the next heading of the same level. */
function readmeLicenceSection(dir) {
  const f = fs.readdirSync(dir).find((n) => /^readme(\.md|\.markdown|\.txt)?$/i.test(n));
  if (!f) return '';
  const lines = fs.readFileSync(path.join(dir, f), 'utf8').split(/\r?\n/);
  const start = lines.findIndex((l) => /^#{1,6}\s.*licen[cs]/i.test(l));
  if (start < 0) return '';
  const level = /^(#+)/.exec(lines[start])[1].length;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+)\s/.exec(lines[i]);
    if (m && m[1].length <= level) { end = i; break; }
  }
  return lines.slice(start, end).join('\n').trim();
}

function repoUrl(p) {
  const r = typeof p.repository === 'string' ? p.repository : p.repository && p.repository.url;
  return (r || p.homepage || '').replace(/^git\+/, '');
}

function packageNotice(pkg, how) {
  const p = JSON.parse(fs.readFileSync(path.join(pkg.dir, 'package.json'), 'utf8'));
  const licence = typeof p.license === 'string' ? p.license : (p.license && p.license.type) || 'UNKNOWN';
  const head = [`${p.name} ${p.version}`, `  licence: ${licence}`, `  source: ${repoUrl(p) || '(no repository named in its package.json)'}`, `  included as: ${how}`];
  const files = fs.readdirSync(pkg.dir).filter((n) => LICENCE_FILE.test(n) && fs.statSync(path.join(pkg.dir, n)).isFile()).sort();
  const body = files.map((n) => `----- ${p.name}/${n} -----\n${fs.readFileSync(path.join(pkg.dir, n), 'utf8').trim()}`);
  const section = readmeLicenceSection(pkg.dir);
  if (section) body.push(`----- ${p.name}/README (licensing section) -----\n${section}`);
  const versions = path.join(pkg.dir, 'versions.json');
  if (/sharp-libvips/.test(p.name) && fs.existsSync(versions)) body.push(`----- ${p.name}/versions.json (bundled library versions) -----\n${fs.readFileSync(versions, 'utf8').trim()}`);
  if (files.length === 0) body.unshift(`(the package ships no licence file; its package.json declares "${licence}"${section ? ', and its README says:' : ''})`);
  return { text: [...head, '', ...body].join('\n'), licence, hasFile: files.length > 0 };
}

/**
 * Writes the notices file. opts: { file, product, packages: [{name, version, dir}] (run-time
 * node_modules), bundled: same shape plus an optional `how` (inside dist/), modelsDir (holding manifest.json) }.
 * Returns { count, missing: names of packages without any licence text }.
 */
export function writeNotices({ file, product, packages, bundled, modelsDir }) {
  const sections = [];
  const missing = [];
  const add = (pkg, how) => {
    const n = packageNotice(pkg, how);
    if (!n.hasFile && !/-----/.test(n.text)) missing.push(pkg.name);
    sections.push(n.text);
  };
  for (const p of [...packages].sort((a, b) => a.name.localeCompare(b.name))) add(p, `node_modules/${p.name} (run-time files)`);
  for (const p of bundled) add(p, p.how || 'bundled into dist/ by esbuild');
  const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8'));
  for (const m of manifest.models) {
    const l = m.license || {};
    const where = typeof m.file === 'object' && m.file.package ? `node_modules/${m.file.package}/${m.file.path}` : String(m.file);
    const text = [`model ${m.id}: ${m.name || ''}`.trim(), `  licence: ${l.name || 'UNKNOWN'}`, `  source: ${l.source || '(none given)'}`, `  included as: ${where}`, ''];
    if (l.file && fs.existsSync(path.join(modelsDir, l.file))) text.push(`----- models/${l.file} -----\n${fs.readFileSync(path.join(modelsDir, l.file), 'utf8').trim()}`);
    else missing.push(`model ${m.id}`);
    sections.push(text.join('\n'));
  }
  // Licences whose full text a package names but does not ship (libvips' LGPL-3.0, which builds on
  // GPL-3.0's terms; cairo's MPL-1.1 inside libvips): the texts Debian keeps in
  // /usr/share/common-licenses, where the build machine has them (else they are reported missing).
  const appendix = [];
  const declared = sections.join('\n');
  for (const [re, names] of [[/LGPL-3\.0|LGPLv3/, ['LGPL-3', 'GPL-3']], [/MPL-1\.1|Mozilla Public License 1\.1/, ['MPL-1.1']]]) {
    if (!re.test(declared)) continue;
    for (const n of names) {
      const f = path.join(COMMON_LICENSES, n);
      if (fs.existsSync(f)) appendix.push(`Full text: ${n} (named above by packages that do not ship it; from ${f} of the build machine)\n\n${fs.readFileSync(f, 'utf8').trim()}`);
      else missing.push(`full text of ${n}`);
    }
  }
  sections.push(...appendix);
  const header = [
    `THIRD-PARTY NOTICES for ${product}`,
    '',
    'This package includes the third-party software and model weights listed below. Each entry gives',
    'the component, its declared licence and source, where it is in this package, and the licence and',
    'notice texts that the component itself ships. Generated by .ci/notices.mjs from the installed',
    'packages when the package was built.',
    '',
    'Contents:',
    ...sections.map((s) => '  ' + s.split('\n')[0]),
  ].join('\n');
  const rule = '\n\n' + '='.repeat(100) + '\n\n';
  fs.writeFileSync(file, header + rule + sections.join(rule) + '\n');
  return { count: sections.length, missing };
}
