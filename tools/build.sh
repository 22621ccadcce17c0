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
