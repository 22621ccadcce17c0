#!/usr/bin/env bash
# Checks the C++ sources (*.cpp, *.hpp, *.cu, *.cuh, *.h) against .clang-format without changing them.
#
#   tools/check_format.sh                 the files changed since the merge base with main, committed or not
#   tools/check_format.sh --all           every tracked C++ file
#   tools/check_format.sh --base REF      the files changed since the merge base with REF
#   tools/check_format.sh --fix [...]     rewrite those files in place instead of checking them
#
# Exit status: 0 when every file checked is formatted, 1 when one is not (each such file is named
# with the start of its difference), 2 on a usage error. Where clang-format is absent it says so
# and exits 0: the format is a convenience, not a condition of building. The style is pinned to
# Debian 12's clang-format 14 (tools/setup.sh installs it); another major version may format a
# few constructs differently, and the script says so. CLANG_FORMAT=/path/to/clang-format overrides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=check
scope=changed
base=main
while (($#)); do
  case "$1" in
    --all) scope=all ;;
    --fix) mode=fix ;;
    --base) base="${2:?--base needs a git revision}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check_format: unknown option '$1' (valid: --all, --base REF, --fix)" >&2; exit 2 ;;
  esac
  shift
done

clang_format="${CLANG_FORMAT:-}"
if [[ -z "$clang_format" ]]; then
  for candidate in clang-format-14 clang-format; do
    if command -v "$candidate" >/dev/null 2>&1; then clang_format="$candidate"; break; fi
  done
fi
if [[ -z "$clang_format" ]] || ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "check_format: SKIPPED: clang-format not found (Debian: apt-get install clang-format, or tools/setup.sh)"
  exit 0
fi
version=$("$clang_format" --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')
if [[ "$version" != 14 ]]; then
  echo "check_format: note: $clang_format is version ${version:-unknown}; .clang-format is measured with 14 (Debian 12)"
fi

patterns=('*.cpp' '*.hpp' '*.cu' '*.cuh' '*.h')
if [[ "$scope" == all ]]; then
  mapfile -t files < <(git ls-files -- "${patterns[@]}")
else
  if ! merge_base=$(git merge-base HEAD "$base" 2>/dev/null); then
    echo "check_format: no merge base with '$base'; give --base REF or --all" >&2
    exit 2
  fi
  # Committed since the merge base, staged, unstaged and untracked; deleted files left out.
  mapfile -t files < <({ git diff --name-only --diff-filter=d "$merge_base" -- "${patterns[@]}"
                         git ls-files --others --exclude-standard -- "${patterns[@]}"; } | sort -u)
fi
if ((${#files[@]} == 0)); then
  echo "check_format: no C++ file to check ($scope since $base)"
  exit 0
fi

if [[ "$mode" == fix ]]; then
  "$clang_format" -i --style=file "${files[@]}"
  echo "check_format: formatted ${#files[@]} file(s) with $clang_format"
  exit 0
fi

unformatted=0
for file in "${files[@]}"; do
  if ! difference=$("$clang_format" --style=file "$file" | diff -u --label "$file" --label "$file (formatted)" "$file" -); then
    unformatted=$((unformatted + 1))
    changed=$(grep -c '^-[^-]' <<<"$difference" || true)
    echo "check_format: $file: $changed line(s) differ from .clang-format; first lines of the difference:"
    head -n 20 <<<"$difference" | sed 's/^/    /'
  fi
done
if ((unformatted)); then
  echo "check_format: $unformatted of ${#files[@]} file(s) are not formatted; tools/check_format.sh --fix rewrites them"
  exit 1
fi
echo "check_format: ${#files[@]} file(s) formatted as .clang-format says ($clang_format)"
