// `maskwright models`: the models the CLI can use (manifest + MASKWRIGHT_MODELS file), with status.
import * as fs from 'node:fs';
import type { CliCommand } from '../command';
import { allModels, type ResolvedModel } from '../../inference/manifest';

/** User models for the CLI: a JSON file (array of entries) named by --models-file or MASKWRIGHT_MODELS. */
export function cliModels(file: string | undefined): { models: ResolvedModel[]; problems: string[] } {
  const f = file ?? process.env.MASKWRIGHT_MODELS;
  if (!f) return allModels();
  let raw: unknown;
  try { raw = JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { throw new Error(`${f}: ${(e as Error).message}`); }
  const list = Array.isArray(raw) ? raw : (raw as { models?: unknown[] })?.models;
  if (!Array.isArray(list)) throw new Error(`${f}: expected an array of model entries or { "models": [...] }`);
  return allModels(list, require('node:path').dirname(require('node:path').resolve(f)), true);
}

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the models available for pre-labelling',
  help: [
    'usage: maskwright models [--json] [--models-file FILE]',
    '',
    'Lists the embedded models (models/manifest.json) and user models, with family, classes,',
    'licence and whether the model file is present.',
    '',
    'Options:',
    '  --json               machine-readable output',
    '  --models-file FILE   extra model entries (JSON array); default: $MASKWRIGHT_MODELS',
  ].join('\n'),
  options: { json: { type: 'boolean' }, 'models-file': { type: 'string' } },
  async run(values, _positionals, io) {
    const { models, problems } = cliModels(values['models-file'] as string | undefined);
    const rows = models.map((m) => ({
      id: m.entry.id, name: m.entry.name ?? m.entry.id, family: m.entry.family, origin: m.origin,
      classes: m.entry.classes, file: m.file, ...(m.decoderFile ? { decoderFile: m.decoderFile } : {}),
      present: fs.existsSync(m.file) && (!m.decoderFile || fs.existsSync(m.decoderFile)),
      license: m.entry.license?.name ?? 'unknown',
    }));
    if (values.json) io.out(JSON.stringify({ models: rows, problems }, null, 2));
    else {
      for (const r of rows) io.out(`${r.id}  ${r.family}  [${r.classes.join(', ')}]  ${r.license}  ${r.origin}${r.present ? '' : '  (file missing)'}\n    ${r.name}`);
      for (const p of problems) io.err(`warning: ${p}`);
    }
    return problems.length ? 1 : 0;
  },
};
