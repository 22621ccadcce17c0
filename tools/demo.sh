#!/usr/bin/env bash
# Setup, build, run the default study (configs/default.toml) and plot it.
#
#   tools/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./tools/setup.sh
./tools/build.sh
mkdir -p out
build/poreflux run configs/default.toml -o out/default.h5 --summary-json out/default.json
/usr/bin/python3 tools/plot_results.py out/default.h5 -o out/default.png

echo
echo "demo: results in $(pwd)/out/"
echo "  out/default.h5    full results (HDF5; layout checked by tests/h5_check.py)"
echo "  out/default.json  summary"
echo "  out/default.png   plots"
