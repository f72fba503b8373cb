// Execution-provider choice with explicit fallback, and the diagnostics behind "GPU diagnostics" and
// `maskwright doctor`. onnxruntime-node does not fall back by itself: asking for ['cuda', 'cpu']
// without the CUDA provider library throws, so each provider is tried alone, in order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';

// Provider load failures are caught and reported by createSession/diagnose; onnxruntime's own native
// log would print them again as raw errors. MASKWRIGHT_ORT_LOG=verbose|info|warning|error restores it.
ort.env.logLevel = (process.env.MASKWRIGHT_ORT_LOG as typeof ort.env.logLevel) ?? 'fatal';

export type Device = 'auto' | 'cuda' | 'webgpu' | 'cpu';
export type Provider = 'cuda' | 'webgpu' | 'cpu';
export const DEVICES: readonly Device[] = ['auto', 'cuda', 'webgpu', 'cpu'];

export interface ProviderAttempt {
  readonly provider: Provider;
  readonly ok: boolean;
  /** Why it failed, and how to fix it. */
  readonly error?: string;
  readonly hint?: string;
}

export interface SessionOptions {
  readonly device?: Device;
  /** Intra-op threads for the CPU provider (0 = onnxruntime's default). */
  readonly threads?: number;
}

export function parseDevice(v: unknown): Device {
  if (v === undefined) return 'auto';
  if (typeof v === 'string' && (DEVICES as readonly string[]).includes(v)) return v as Device;
  throw new Error(`device '${String(v)}' is unknown (auto, cuda, webgpu, cpu)`);
}

export function providerOrder(device: Device): Provider[] {
  switch (device) {
    case 'auto': return ['cuda', 'webgpu', 'cpu'];
    case 'cuda': return ['cuda', 'cpu'];
    case 'webgpu': return ['webgpu', 'cpu'];
    case 'cpu': return ['cpu'];
  }
}

/** Folder holding onnxruntime-node's native libraries for this platform. */
export function ortBinDir(): string {
  const pkg = path.dirname(path.dirname(require.resolve('onnxruntime-node')));
  return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

export function ortVersion(): string {
  return ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
}

const CUDA_HINT = 'The CUDA provider libraries are not in onnxruntime-node. Either run `npm rebuild onnxruntime-node` online ' +
  '(its install script fetches them from NuGet unless .npmrc says onnxruntime-node-install=skip), or copy ' +
  'libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so built for the same onnxruntime version into {bin}; ' +
  'they need the CUDA runtime, cuBLAS and cuDNN 9 libraries of the CUDA major version they were built for on LD_LIBRARY_PATH.';

/** Why a provider failed, phrased for people, with the fix. */
export function explainFailure(provider: Provider, message: string): { error: string; hint: string } {
  const bin = (() => { try { return ortBinDir(); } catch { return 'onnxruntime-node/bin/napi-v6/<platform>/<arch>'; } })();
  if (provider === 'cuda') {
    const shared = path.join(bin, process.platform === 'win32' ? 'onnxruntime_providers_shared.dll' : 'libonnxruntime_providers_shared.so');
    const cuda = path.join(bin, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so');
    const missing = [shared, cuda].filter((f) => !fs.existsSync(f)).map((f) => path.basename(f));
    const error = missing.length
      ? `CUDA provider library missing: ${missing.join(', ')} (${message.trim()})`
      : `CUDA provider library present but failed to load; usually libcudart / libcublas / libcudnn are missing or of another CUDA version (${message.trim()})`;
    return { error, hint: CUDA_HINT.replace('{bin}', bin) };
  }
  if (provider === 'webgpu') {
    const noAdapter = /adapter/i.test(message);
    return {
      error: noAdapter ? 'WebGPU: no GPU adapter found (on Linux it needs Vulkan: libvulkan.so.1 and a GPU driver)' : `WebGPU failed: ${message.trim().split('\n')[0]}`,
      hint: 'Install the GPU driver with Vulkan support (e.g. the vulkan loader package and the vendor ICD); headless servers without a GPU have no adapter.',
    };
  }
  return { error: message.trim(), hint: 'The CPU provider ships with onnxruntime-node; reinstall the package if it fails to load.' };
}

/**
 * Creates a session on the first provider in the device's order that loads, recording every attempt.
 * Throws when none loads; the error lists each provider's reason. Model file errors (missing,
 * not ONNX) are thrown at once with the file named, since no provider can help.
 */
export async function createSession(file: string, opts: SessionOptions = {}): Promise<{ session: ort.InferenceSession; provider: Provider; attempts: ProviderAttempt[] }> {
  const attempts: ProviderAttempt[] = [];
  for (const provider of providerOrder(opts.device ?? 'auto')) {
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
        // No busy-waiting between kernels: in a pipeline, decode / pre / post-processing and PNG writes
        // need the same cores; spinning threads took them (measured: bench:prelabel in the report).
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
      attempts.push({ provider, ok: true });
      return { session, provider, attempts };
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      if (/Protobuf parsing failed|File doesn't exist|No such file|ModelProto|INVALID_PROTOBUF|INVALID_GRAPH|Type Error|ShapeInferenceError/i.test(msg)) {
        throw new ModelFileError(file, msg);
      }
      attempts.push({ provider, ok: false, ...explainFailure(provider, msg) });
    }
  }
  throw new Error(`no execution provider could load ${path.basename(file)}: ` + attempts.map((a) => `${a.provider}: ${a.error}`).join('; '));
}

export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: not a loadable ONNX model (${detail.replace(/^Load model from .*? failed:/, '').trim()})`);
  }
}

export interface Diagnostics {
  readonly onnxruntime: string;
  readonly platform: string;
  readonly binDir: string;
  readonly backends: readonly { name: string; bundled: boolean }[];
  readonly providers: readonly ProviderAttempt[];
  readonly libraries: Readonly<Record<string, boolean>>;
}

/** Tries every provider on a tiny model and reports which load, what is missing, and how to fix it. */
export async function diagnose(probeModel: string): Promise<Diagnostics> {
  const providers: ProviderAttempt[] = [];
  for (const p of ['cuda', 'webgpu', 'cpu'] as Provider[]) {
    try {
      const r = await createSession(probeModel, { device: p === 'cpu' ? 'cpu' : p });
      const ok = r.provider === p;
      providers.push(ok ? { provider: p, ok: true } : r.attempts.find((a) => a.provider === p) ?? { provider: p, ok: false, error: 'not tried' });
      await r.session.release();
    } catch (e) {
      providers.push({ provider: p, ok: false, ...explainFailure(p, (e as Error).message) });
    }
  }
  let binDir = '';
  const libraries: Record<string, boolean> = {};
  try {
    binDir = ortBinDir();
    for (const f of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_tensorrt.so']) {
      libraries[f] = fs.existsSync(path.join(binDir, f));
    }
  } catch { /* reported through binDir = '' */ }
  const backends = typeof ort.listSupportedBackends === 'function' ? ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled })) : [];
  return { onnxruntime: ortVersion(), platform: `${process.platform}-${process.arch}`, binDir, backends, providers, libraries };
}

export function formatDiagnostics(d: Diagnostics): string[] {
  const lines = [`onnxruntime-node ${d.onnxruntime} on ${d.platform}`, `native libraries: ${d.binDir || '(not found)'}`];
  for (const [f, ok] of Object.entries(d.libraries)) lines.push(`  ${ok ? 'present' : 'missing'}  ${f}`);
  for (const p of d.providers) {
    lines.push(`${p.ok ? 'OK    ' : 'FAILED'} ${p.provider}${p.error ? ': ' + p.error : ''}`);
    if (!p.ok && p.hint) lines.push(`       fix: ${p.hint}`);
  }
  const best = d.providers.find((p) => p.ok);
  lines.push(best ? `'auto' uses: ${best.provider}` : 'no provider loads: inference is unavailable');
  return lines;
}
