#!/usr/bin/env bash
# The three benchmark problems of docs/BENCHMARKS.md under each time integrator, in one run:
# solver time per scenario and uptake at 1 h and 24 h, against the tightest run (rtol 1e-8,
# implicit) as the converged reference.
#
#   tools/bench_methods.sh [--quick] [--rtol R]
#     --quick   skip the 3D quarter unit cell (RKC alone takes about a minute there)
#     --rtol R  tolerance of the timed runs (default 1e-3: uptake within 0.1 % of the reference)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quick=0 rtol=1e-3
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --rtol) rtol="${2:?--rtol needs a value}"; shift ;;
    -h | --help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench_methods: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[[ -x build/poreflux ]] || ./tools/build.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

problems=("configs/default.toml:intact" "bench/problems/treated_axisymmetric_open.toml:treated")
((quick)) || problems+=("bench/problems/treated_unit_cell_open.toml:treated")

run() {  # config rtol method out.h5
  sed "s/^rtol = .*/rtol = $2/" "$1" > "$work/study.toml"
  grep -q '^rtol' "$work/study.toml" || printf '\n[numerics]\nrtol = %s\n' "$2" >> "$work/study.toml"
  build/poreflux run "$work/study.toml" -q --force --method "$3" -o "$4"
}

printf '%-48s %-9s %-8s %8s %7s %10s %10s %9s %9s\n' problem method linear cells steps "solver[s]" "wall[s]" "d1h[%]" "d24h[%]"
for entry in "${problems[@]}"; do
  config=${entry%%:*} scenario=${entry##*:}
  run "$config" 1e-8 implicit "$work/ref.h5"
  for method in rkc implicit esdirk auto; do
    start=$(date +%s.%N)
    run "$config" "$rtol" "$method" "$work/run.h5"
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    /usr/bin/python3 - "$work/ref.h5" "$work/run.h5" "$scenario" "$config" "$wall" <<'PY'
import sys, h5py, numpy as np
def uptake(path, scen):
    f = h5py.File(path, "r"); g = f["scenarios/" + scen]; a = g["amounts"]
    t = g["time_h"][:]
    u = sum(a[k][:] for k in ("stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic")) / f.attrs["applied_ug_per_cm2"]
    return [u[np.argmin(abs(t - h))] for h in (1.0, 24.0)], g["solver"].attrs
ref, _ = uptake(sys.argv[1], sys.argv[3])
got, s = uptake(sys.argv[2], sys.argv[3])
d = [100 * (g / r - 1) for g, r in zip(got, ref)]
print(f"{sys.argv[4] + ' (' + sys.argv[3] + ')':48s} {s['method']:9s} {s['linear_solver'] or '-':8s} {s['cells']:8d} {s['steps']:7d} "
      f"{s['wall_s']:10.3f} {float(sys.argv[5]):10.2f} {d[0]:+9.4f} {d[1]:+9.4f}")
PY
  done
done
