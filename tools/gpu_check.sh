#!/usr/bin/env bash
# Everything to run on a machine with an NVIDIA GPU, in one call (the `device` tool's run),
# sized to the device time a task is lent (15 min in all, at most 10 min per command, machine
# start included): builds with CUDA, runs the CUDA test instances (they must run, not skip),
# then, most important first, the 3D quarter cell on the GPU, the patch (1 h simulated), the
# Krylov preconditioners on the GPU, the throughput benchmark and the other problems and
# methods. Every run is time-boxed and nothing new starts once the budget is spent, so the
# figures gathered so far always print. Exits non-zero if a test fails or no device answers.
#
#   tools/gpu_check.sh [--quick] [--budget SECONDS]
#     --quick      the CUDA tests and the 3D cell only
#     --budget S   stop starting sections after S seconds (default 480: leaves a 10-minute
#                  command two minutes for the build cache and the copy back)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quick=0
budget=480
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --budget) budget="$2"; shift ;;
    *) echo "gpu_check: unknown option $1 (valid: --quick, --budget SECONDS)" >&2; exit 2 ;;
  esac
  shift
done
start=$SECONDS
left() { echo $((budget - (SECONDS - start))); }
# section NAME MIN_SECONDS: true when at least MIN_SECONDS of the budget are left.
section() {
  if (($(left) < $2)); then
    echo "== $1: skipped, $(left) s of the budget left (needs ~$2 s) =="
    return 1
  fi
  echo "== $1 ($(left) s of the budget left) =="
}
# run LIMIT_S COMMAND...: the command, killed after LIMIT_S seconds (said, not fatal).
run() {
  local limit=$1
  shift
  timeout "$limit" "$@" || echo "   (exit $?: stopped after ${limit} s or failed)"
}

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || { echo "gpu_check: no GPU answers" >&2; exit 3; }
./tools/setup.sh
./tools/build.sh >/tmp/gpu_check_build.log 2>&1 || { tail -30 /tmp/gpu_check_build.log; exit 1; }
grep -E "CUDA|build: done" /tmp/gpu_check_build.log | head -5
echo "build: $((SECONDS - start)) s"

echo "== CUDA test instances (must pass, not skip) =="
failed=0
OMP_WAIT_POLICY=PASSIVE ctest --test-dir build -R '/cuda|Cuda|CUDA' -j "$(nproc)" --output-on-failure \
  >/tmp/gpu_check_cuda_tests.log 2>&1 || failed=1
tail -15 /tmp/gpu_check_cuda_tests.log
listed=$(ctest --test-dir build -N -R '/cuda' | grep -c 'Test #' || true)
echo "gpu_check: $listed CUDA test instances listed (they must pass above, not skip)"

solver_lines='uptake|method|steps|Krylov|wall|solver,|process|backend:|poreflux:|stopped after'
timed_run() {  # timed_run LIMIT_S CONFIG LABEL [poreflux run options...]
  local limit=$1 config=$2 label=$3
  shift 3
  echo "-- $label"
  run "$limit" /usr/bin/time -f "   process: %e s, peak RSS %M KB" build/poreflux run "$config" --backend cuda --force \
    --verbose -o "/tmp/gpu_check_${label// /_}.h5" "$@" 2>&1 | grep -E "$solver_lines" || true
}

if section "the 3D quarter unit cell on the GPU (issue 19's target: <= 3 s on 2 CPU cores)" 60; then
  timed_run 120 bench/problems/treated_unit_cell_open.toml "cell auto"
  echo "-- the same on the CPU, for the ratio"
  run 120 /usr/bin/time -f "   process: %e s" build/poreflux run bench/problems/treated_unit_cell_open.toml --backend cpu \
    --force -q -o /tmp/gpu_check_cell_cpu.h5 || true
fi
if ((quick)); then
  echo "gpu_check: done in $((SECONDS - start)) s"
  exit $failed
fi

if section "the patch on the GPU, 1 h simulated (configs/patch_gpu_example.toml, ~34 M cells)" 90; then
  sed -e 's/^duration = .*/duration = "1 h"/' -e 's/^output_interval = .*/output_interval = "15 min"/' \
    configs/patch_gpu_example.toml >/tmp/gpu_check_patch_1h.toml
  timed_run 240 /tmp/gpu_check_patch_1h.toml "patch 1h auto"
fi

if section "Krylov preconditioners on the GPU: z-line, two-level, multigrid (3D cell, 3 h, TR-BDF2)" 60; then
  sed 's/^duration = .*/duration = "3 h"/' bench/problems/treated_unit_cell_open.toml >/tmp/gpu_check_cell_3h.toml
  for preconditioner in multigrid z_line two_level; do
    (($(left) > 15)) || break
    (
      export POREFLUX_KRYLOV_PRECONDITIONER=$preconditioner
      timed_run 60 /tmp/gpu_check_cell_3h.toml "cell 3h $preconditioner" --method implicit
    )
  done
fi

if section "throughput, GPU then CPU" 30; then
  run 30 build/poreflux bench --backend cuda --size 256 256 128
  run 20 build/poreflux bench --backend cuda --size 128 128 64
  run 30 build/poreflux bench --backend cpu --size 128 128 64
fi

if section "the other problems and methods on the GPU" 30; then
  for config in configs/default.toml bench/problems/treated_axisymmetric_open.toml bench/problems/treated_unit_cell_open.toml; do
    for method in rkc implicit esdirk; do
      (($(left) > 15)) || break 2
      timed_run 60 "$config" "$(basename "$config" .toml) $method" --method "$method"
    done
  done
fi

if section "the whole test suite" 60; then
  OMP_WAIT_POLICY=PASSIVE run "$(left)" ctest --test-dir build -j "$(nproc)" --output-on-failure | tail -8
fi
echo "gpu_check: done in $((SECONDS - start)) s"
((failed == 0)) || echo "gpu_check: a CUDA test failed (above)" >&2
exit $failed
