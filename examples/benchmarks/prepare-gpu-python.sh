#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run on the CPU machine (Debian 12, with network), from the repository root:
#   bash examples/benchmarks/prepare-gpu-python.sh [DIR]
# Downloads into DIR (default .bench, ignored by git) what build-pygobject.sh
# needs to build PyGObject on the GPU machine, which has Python 3.12 (with
# cuda.core, CuPy, numpy) but no GLib development files and no network:
#   - the PyGObject 3.48.2 source (3.46 to 3.48 support Python 3.12 and
#     still use GObject-Introspection 1.x, like Debian 12's GLib stack)
#   - a pure-Python Meson (1.6.1; the carried Debian Meson 1.0.1 cannot
#     read Python 3.12, which has no distutils)
#   - Debian 12's development packages for GLib, GI and libffi, the .pc
#     files their Requires.private name, and pkgconf (about 5 MB)
# The runtime libraries (libglib2.0-0, libgirepository-1.0-1,
# gir1.2-glib-2.0) come from .gpu/debs (see docs/benchmarks.md, "Preparing a run").
# Carry DIR to the GPU machine with .gpu and the build directory.
set -euo pipefail
DIR=${1:-.bench}
PYGOBJECT=PyGObject==3.48.2
MESON=meson==1.6.1
DEBS="libglib2.0-dev libgirepository1.0-dev libffi-dev libffi8 pkgconf pkgconf-bin libpkgconf3
      libpcre2-dev libmount-dev libblkid-dev uuid-dev libselinux1-dev libsepol-dev zlib1g-dev"

mkdir -p "$DIR/debs"
DIR=$(cd "$DIR" && pwd)

if ! ls "$DIR"/pygobject-*.tar.gz >/dev/null 2>&1; then
  # pip reads an sdist's metadata before saving it; PyGObject's build
  # backend is meson-python, so give pip one (in a throwaway venv) instead
  # of letting it build pycairo from source in an isolated environment.
  venv=$(mktemp -d)
  trap 'rm -rf "$venv"' EXIT
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q meson-python
  "$venv/bin/python" -m pip download -q --no-deps --no-binary PyGObject --no-build-isolation -d "$DIR" "$PYGOBJECT"
fi
if ! ls "$DIR"/meson-*.whl >/dev/null 2>&1; then
  python3 -m pip download -q --no-deps --only-binary :all: -d "$DIR" "$MESON"
fi
# shellcheck disable=SC2086
(cd "$DIR/debs" && apt-get download $DEBS)
du -sh "$DIR"
echo "prepared $DIR: carry it with .gpu and the build directory; on the GPU machine run"
echo "  bash .gpu/run.sh bash examples/benchmarks/build-pygobject.sh"
