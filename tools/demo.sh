#!/usr/bin/env bash
# Setup, build, run the default study (configs/default.toml) and the same serum after a
# dermaroller (configs/vitamin_c_dermaroller.toml), print their summaries, plot them and write
# their one-page HTML reports (tools/report.py: out/default_report.html and
# out/vitamin_c_dermaroller_report.html, each with its PNGs beside it).
#
#   tools/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./tools/setup.sh
./tools/build.sh
mkdir -p out

echo
echo "== 1/2: the default study (intact skin) =="
build/poreflux run configs/default.toml -o out/default.h5 --summary-json out/default.json --force
/usr/bin/python3 tools/plot_results.py out/default.h5 -o out/default.png

echo
echo "== 2/2: the same serum after a 0.5 mm dermaroller, treated beside intact (about 20-60 s) =="
build/poreflux run configs/vitamin_c_dermaroller.toml -o out/vitamin_c_dermaroller.h5 \
  --summary-json out/vitamin_c_dermaroller.json --force
/usr/bin/python3 tools/plot_results.py out/vitamin_c_dermaroller.h5 -o out/vitamin_c_dermaroller.png
if [[ -x tools/plot_slices.py ]]; then
  /usr/bin/python3 tools/plot_slices.py out/vitamin_c_dermaroller.h5 -o out/vitamin_c_dermaroller_slices.png
fi

echo
echo "== reports =="
/usr/bin/python3 tools/report.py out/default.h5 -o out/default_report.html
/usr/bin/python3 tools/report.py out/vitamin_c_dermaroller.h5 -o out/vitamin_c_dermaroller_report.html

echo
echo "demo: results in $(pwd)/out/"
ls -1 out/ | sed 's/^/  out\//'
