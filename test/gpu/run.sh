#!/usr/bin/env bash
# GPU check (NVIDIA machine with CUDA 13 + cuDNN 9 as the nvidia-* Python wheels, Python onnxruntime
# of the same version as onnxruntime-node, nothing to download): runs the CUDA and WebGPU providers
# of onnxruntime-node against CPU on the same inputs and prints speed-up and output agreement;
# writes the figures to ${OUT:-.run/gpu}/gpu-figures.json. Needs .run/gpu from test/gpu/pack.sh and Node >= 20.
set -uo pipefail
cd "$(dirname "$0")/../.."
D=.run/gpu
[ -d "$D/node_modules/onnxruntime-node" ] || { echo "missing $D: run test/gpu/pack.sh first and carry .run/gpu"; exit 2; }
command -v node >/dev/null || { echo "node is not installed on this machine: the check needs Node >= 20"; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi not available"
BIN="$D/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
VER=$(node -p "require('./$D/node_modules/onnxruntime-node/package.json').version")
PY=$(command -v python3 || true)
if [ -n "$PY" ]; then
  PYVER=$($PY -c "import onnxruntime as o; print(o.__version__)" 2>/dev/null || true)
  CAPI=$($PY -c "import onnxruntime as o, os; print(os.path.join(os.path.dirname(o.__file__), 'capi'))" 2>/dev/null || true)
  echo "onnxruntime-node $VER; Python onnxruntime ${PYVER:-none} at ${CAPI:-?}"
  # The CUDA provider is a plugin of the core library; it must come from the same onnxruntime version.
  if [ "${PYVER:-}" = "$VER" ] && [ -f "$CAPI/libonnxruntime_providers_cuda.so" ]; then
    cp -n "$CAPI/libonnxruntime_providers_cuda.so" "$CAPI/libonnxruntime_providers_shared.so" "$BIN/" && echo "CUDA provider libraries taken from the Python wheel ($PYVER)"
  else
    echo "no CUDA provider libraries of version $VER found (Python onnxruntime ${PYVER:-absent}); CUDA will be reported as unavailable"
  fi
  # CUDA runtime, cuBLAS, cuDNN ... from the nvidia-* wheels.
  NV=$($PY -c "import nvidia, os; p = list(nvidia.__path__)[0]; print(':'.join(os.path.join(p, d, 'lib') for d in sorted(os.listdir(p)) if os.path.isdir(os.path.join(p, d, 'lib'))))" 2>/dev/null || true)
  [ -n "$NV" ] && export LD_LIBRARY_PATH="$NV:${LD_LIBRARY_PATH:-}"
fi
export NODE_PATH="$PWD/$D/node_modules"
node test/gpu/compare.js "$D" "${OUT:-$D}/gpu-figures.json"
