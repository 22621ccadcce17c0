#!/usr/bin/env bash
# Times poreflux against SciPy (solve_ivp BDF) and FiPy (backward Euler) on the same discrete
# problems and prints one table: times, poreflux/tool ratios, uptake at 1 h and 24 h.
# bench/compare_python.py rebuilds each problem from poreflux's HDF5 file (see its docstring).
#
#   tools/bench_compare.sh [--quick] [--all] [--method auto|rkc|implicit|esdirk]
#     --quick    skip the 3D unit cell (30k cells; poreflux alone takes about a minute)
#     --all      also run SciPy and FiPy on the 3D unit cell (expected > 10 min each)
#     --method   passed to 'poreflux run' when this build has that option, else ignored
#
# Python: a virtual environment in build/bench-venv on /usr/bin/python3 with the system site
# packages (Debian's numpy, scipy, h5py), plus fipy from PyPI; made on first use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0 all=() method=""
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --all) all=(--all) ;;
    --method) method="${2:?--method needs a value}"; shift ;;
    --method=*) method="${1#*=}" ;;
    -h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench_compare: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf 'bench_compare: %s\n' "$*"; }

venv=build/bench-venv
python="$venv/bin/python"
if ! "$python" -c 'import fipy, h5py, numpy, scipy' 2>/dev/null; then
  say "making the Python environment $venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  # pip adds numpy / scipy / h5py only where the system interpreter lacks them
  "$venv/bin/pip" install -q fipy h5py scipy numpy
fi

if [[ ! -x build/poreflux ]]; then
  say "build/poreflux is missing: building it"
  ./tools/build.sh
fi

method_args=()
if [[ -n "$method" ]]; then
  if build/poreflux run --help | grep -q -- --method; then
    method_args=(--method "$method")
  else
    say "this poreflux has no 'run --method': running its default method"
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows="$work/rows.jsonl"

# config : scenario compared
problems=("bench/problems/intact_column_open.toml:intact" "bench/problems/treated_axisymmetric_open.toml:treated")
((quick)) || problems+=("bench/problems/treated_unit_cell_open.toml:treated")

status=0
for entry in "${problems[@]}"; do
  config="${entry%%:*}" scenario="${entry##*:}"
  name=$(basename "$config" .toml)
  h5="$work/$name.h5"
  say "poreflux run $config ${method_args[*]}"
  start=$(date +%s.%N)
  build/poreflux run "$config" -o "$h5" -q --force "${method_args[@]}"
  process_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
  "$python" bench/compare_python.py "$h5" --scenario "$scenario" --label "$name" \
    --poreflux-process-s "$process_s" --jsonl "$rows" "${all[@]}" || status=1
  echo
done

echo "== poreflux against SciPy and FiPy (same discrete problems; uptake = SC + VE + dermis + receptor + systemic) =="
"$python" bench/compare_python.py --table-from "$rows"
((status == 0)) || say "a check above FAILED (operator, agreement or FiPy identity)"
exit "$status"
