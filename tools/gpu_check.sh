#!/usr/bin/env bash
# Everything to run on a machine with an NVIDIA GPU, in one call (the `device` tool's run):
# builds with CUDA, runs the whole test suite (the CUDA instances must run, not skip), the
# throughput benchmark on the GPU and the CPU, and the benchmark problems per method on the GPU.
# Prints the figures; exits non-zero if a test fails or no device answers.
#
#   tools/gpu_check.sh [--quick]     --quick: skip the 3D problem runs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || { echo "gpu_check: no GPU answers" >&2; exit 3; }
./tools/setup.sh
./tools/build.sh
OMP_WAIT_POLICY=PASSIVE ctest --test-dir build -j "$(nproc)" --output-on-failure | tail -25
skipped=$(ctest --test-dir build -N -R '/cuda' | grep -c 'Test #' || true)
echo "gpu_check: $skipped CUDA test instances listed (they must pass above, not skip)"

echo "== throughput, GPU then CPU =="
build/poreflux bench --backend cuda --size 256 256 128
build/poreflux bench --backend cuda --size 128 128 64
build/poreflux bench --backend cpu --size 128 128 64

echo "== benchmark problems on the GPU (solver seconds per scenario) =="
problems=(configs/default.toml bench/problems/treated_axisymmetric_open.toml)
((quick)) || problems+=(bench/problems/treated_unit_cell_open.toml configs/patch_gpu_example.toml)
for config in "${problems[@]}"; do
  for method in rkc implicit auto; do
    echo "-- $config, --method $method, cuda"
    /usr/bin/time -f "   process: %e s, peak RSS %M KB" build/poreflux run "$config" --backend cuda --method "$method" --force --verbose \
      -o "/tmp/gpu_check_$(basename "$config" .toml)_$method.h5" 2>&1 | grep -E "uptake|method|steps|Krylov|wall|solver,|process" || true
  done
done

echo "== Krylov preconditioners on the GPU: z-line alone, two-level, multigrid (3D cell, 3 h) =="
sed 's/^duration = .*/duration = "3 h"/' bench/problems/treated_unit_cell_open.toml > /tmp/gpu_check_cell_3h.toml
for preconditioner in z_line two_level multigrid; do
  echo "-- POREFLUX_KRYLOV_PRECONDITIONER=$preconditioner"
  POREFLUX_KRYLOV_PRECONDITIONER=$preconditioner /usr/bin/time -f "   process: %e s, peak RSS %M KB" \
    build/poreflux run /tmp/gpu_check_cell_3h.toml --backend cuda --method implicit --force --verbose \
    -o "/tmp/gpu_check_cell_$preconditioner.h5" 2>&1 | grep -E "uptake|Krylov|wall|solver,|process" || true
done
