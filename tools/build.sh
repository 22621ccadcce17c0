#!/usr/bin/env bash
# Configures (Release) into build/ and builds with every core.
# The CUDA backend is built when nvcc is on PATH or at /usr/local/cuda/bin/nvcc.
#
#   tools/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cuda_args=()
if ! command -v nvcc >/dev/null 2>&1 && [[ -x /usr/local/cuda/bin/nvcc ]]; then
  cuda_args=(-DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc)
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${cuda_args[@]}" "$@"
cmake --build build -j "$(nproc)"
echo "build: done; the command line tool is build/poreflux"
if compgen -G "build/python/poreflux/_core*.so" >/dev/null; then
  echo "build: the Python module is build/python/poreflux: PYTHONPATH=build/python /usr/bin/python3 -c 'import poreflux' (docs/PYTHON.md)"
else
  echo "build: no Python module: pybind11 (pybind11-dev, python3-pybind11) or python3-dev is missing; tools/setup.sh installs them"
fi
