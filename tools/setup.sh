#!/usr/bin/env bash
# Installs what poreflux needs on Debian 12 (bookworm), and nothing when it is all there.
# Safe to run again: packages already installed are left alone and apt is not touched at all.
#
#   tools/setup.sh            install what is missing (as root, or through sudo)
#
# Python: the scripts run under the system interpreter /usr/bin/python3, the one that sees
# Debian's python3-h5py / -matplotlib / -numpy (a python3 earlier on PATH, e.g. pyenv, may not).
set -euo pipefail

PACKAGES=(
  cmake g++ make pkg-config
  libthrust-dev libboost-dev libcli11-dev libhdf5-dev libtomlplusplus-dev
  libgsl-dev libeigen3-dev nlohmann-json3-dev
  googletest libgtest-dev libomp-dev
  clang-format                      # tools/check_format.sh: .clang-format is measured with version 14
  python3 python3-h5py python3-matplotlib python3-numpy
  python3-xarray python3-h5netcdf   # tests/interop_check.py: what xarray users see
  # The Python module (python/, docs/PYTHON.md) and its tests and notebook
  python3-dev pybind11-dev python3-pybind11 python3-pandas python3-pytest python3-tqdm
  python3-nbclient python3-ipykernel python3-nbformat
)

say() { printf 'setup: %s\n' "$*"; }

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  say "all ${#PACKAGES[@]} packages are installed; nothing to do"
else
  say "installing ${#missing[@]} missing package(s): ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    say "apt-get not found: this script expects Debian 12. Install these by hand: ${missing[*]}" >&2
    exit 1
  fi
  run_as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      run_as_root=(sudo)
    else
      say "not root and no sudo: ask an administrator to run: apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${run_as_root[@]}" apt-get update -qq
  "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "installed: ${missing[*]}"
fi

# The Python side: these must import in the system interpreter.
if ! /usr/bin/python3 -c 'import h5py, numpy, matplotlib, xarray, h5netcdf, pandas, pybind11, pytest, tqdm, nbclient, ipykernel' 2>/dev/null; then
  say "/usr/bin/python3 cannot import h5py, numpy, matplotlib, xarray, h5netcdf, pandas, pybind11, pytest, tqdm, nbclient and ipykernel although their packages are installed" >&2
  exit 1
fi

if command -v nvcc >/dev/null 2>&1 || [[ -x /usr/local/cuda/bin/nvcc ]]; then
  say "CUDA compiler found: the CUDA backend will be built too"
else
  say "no CUDA compiler (nvcc): the CPU backend only will be built (that is complete on its own)"
fi
