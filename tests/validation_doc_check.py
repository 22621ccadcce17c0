#!/usr/bin/python3
"""docs/VALIDATION.md's main table is `poreflux qualify` output, not hand-typed: every endpoint of
the ratchet (tests/qualification_baseline.csv) is in the generated block, with the same fold
error to its printed digits, and nothing else is. Update both with
`tools/update_validation_doc.sh` and `poreflux qualify --write-baseline`."""
import csv
import io
import math
import sys

root = sys.argv[1]
doc = open(f"{root}/docs/VALIDATION.md", encoding="utf-8").read()
block = doc[doc.index("<!-- qualify:begin -->"):doc.index("<!-- qualify:end -->")]
rows = {}
for line in block.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 9 and cells[0] not in ("case", "---"):
        rows[(cells[0], cells[1])] = cells[6]
lines = [l for l in open(f"{root}/tests/qualification_baseline.csv", encoding="utf-8") if not l.startswith("#")]
baseline = {}
for r in csv.reader(io.StringIO("".join(lines[1:]))):
    baseline[(r[0], ",".join(r[1:-1]))] = float(r[-1])
problems = []
for key, fold in baseline.items():
    if key not in rows:
        problems.append(f"{key}: in the ratchet, not in docs/VALIDATION.md")
        continue
    text = rows[key]
    if text.startswith((">", "<")):
        ok = (text.startswith(">") and fold >= 1e6) or (text.startswith("<") and fold <= 1e-6)
    else:
        ok = math.isclose(float(text), fold, rel_tol=6e-3)
    if not ok:
        problems.append(f"{key}: fold {text} in the doc, {fold:.6g} in the ratchet")
for key in rows:
    if key not in baseline:
        problems.append(f"{key}: in docs/VALIDATION.md, not in the ratchet")
for p in problems:
    print("validation doc:", p)
print(f"validation doc: {len(rows)} endpoints in the generated table, {len(baseline)} in the ratchet, {len(problems)} problems")
sys.exit(1 if problems else 0)
