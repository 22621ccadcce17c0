#!/usr/bin/python3
"""Docs hygiene (issue 20): the files a user reads cite no file outside the repository and name
no path of a development machine. Checks the shipped configs (configs/, tests/data/, the fuzz
corpus copies), the data libraries (data/*.toml), README.md and docs/*.md: every `NAME.md` cited
must be a file of the repository (as written, beside the citing file, in docs/, or by its name
anywhere in it), and no
absolute path under /work, /home, /root, /mnt, /scratch or /Users may appear.

    /usr/bin/python3 tests/hygiene_check.py REPO_ROOT

docs/VALIDATION.md is left out: it is maintained with the measurement files (data/measurements/,
also left out) and cites the reference summaries it was written from.
"""
import pathlib
import re
import sys

MACHINE_PATH = re.compile(r"(?<![\w.:/])/(work|home|root|mnt|scratch|Users)/[\w./-]*")
CITED_MD = re.compile(r"(?<![\w/.-])([\w./-]*[\w-]+\.md)\b")
URL = re.compile(r"https?://\S+")


def files(root):
    patterns = ["configs/*.toml", "configs/validation/*.toml", "tests/data/*.toml", "tests/fuzz_corpus/*.toml",
                "data/*.toml", "README.md", "docs/*.md"]
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.name == "VALIDATION.md" and path.parent.name == "docs":
                continue
            yield path


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    # Markdown files of the repository by name (a doc may name one by its name, e.g.
    # exec_concept.md beside include/poreflux/solver/); build trees are not the repository.
    names = {p.name for p in root.rglob("*.md")
             if not any(part in ("build", ".git", "out", "Testing") for part in p.relative_to(root).parts)}
    problems, checked = [], 0
    for path in files(root):
        checked += 1
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(root)}:{number}"
            for m in MACHINE_PATH.finditer(line):
                problems.append(f"{where}: a path of a development machine: {m.group(0)}")
            for m in CITED_MD.finditer(URL.sub("", line)):
                cited = m.group(1).lstrip("./")
                candidates = [root / cited, path.parent / cited, root / "docs" / pathlib.Path(cited).name]
                if not any(c.is_file() for c in candidates) and pathlib.Path(cited).name not in names:
                    problems.append(f"{where}: cites {m.group(1)}, which is not a file of the repository")
    for p in problems:
        print("FAIL:", p)
    if checked < 20:
        print(f"FAIL: only {checked} files found under {root}")
        return 1
    print(f"{checked} files: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
