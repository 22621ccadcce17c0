#!/usr/bin/env bash
# Regenerates the main table of docs/VALIDATION.md (between the qualify:begin/end markers) and
# docs/img/qualification.png from `poreflux qualify`, so that the page shows the suite's own
# output, never hand-typed numbers. Run after a physics change (and update the ratchet:
# build/poreflux qualify --write-baseline tests/qualification_baseline.csv).
#
#   tools/update_validation_doc.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
OMP_WAIT_POLICY=PASSIVE build/poreflux qualify -q -o "$out" > /dev/null
/usr/bin/python3 - "$out/qualification.md" docs/VALIDATION.md <<'PY'
import sys
table, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()
begin, end = "<!-- qualify:begin -->", "<!-- qualify:end -->"
a, b = doc.index(begin) + len(begin), doc.index(end)
open(sys.argv[2], "w").write(doc[:a] + "\n" + table + doc[b:])
PY
cp "$out/qualification.png" docs/img/qualification.png
echo "docs/VALIDATION.md and docs/img/qualification.png updated"
