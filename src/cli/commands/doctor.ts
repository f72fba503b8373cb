// `maskwright doctor`: which execution providers load here, what is missing, how to fix it.
import * as path from 'node:path';
import type { CliCommand } from '../command';
import { diagnose, formatDiagnostics } from '../../inference/providers';
import { loadManifest } from '../../inference/manifest';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check onnxruntime execution providers (CUDA, WebGPU, CPU) and the embedded model',
  help: [
    'usage: maskwright doctor [--json]',
    '',
    'Loads the embedded model on each execution provider in turn and reports which load, which',
    'library is missing and how to fix it. Exit code 0 when at least the CPU provider works.',
    '',
    'CUDA: onnxruntime-node needs libonnxruntime_providers_cuda.so and _shared.so of its own version in',
    'its bin folder (its install script fetches them from NuGet when online; this project skips that',
    'download in .npmrc), plus the CUDA runtime, cuBLAS and cuDNN 9 of the CUDA major version they were',
    'built for, on LD_LIBRARY_PATH.',
    '',
    'Options:',
    '  --json   machine-readable output',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const model = loadManifest()[0];
    const d = await diagnose(model.file);
    if (values.json) io.out(JSON.stringify({ ...d, probeModel: path.basename(model.file) }, null, 2));
    else for (const l of formatDiagnostics(d)) io.out(l);
    return d.providers.some((p) => p.ok) ? 0 : 1;
  },
};
