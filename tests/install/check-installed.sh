#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs libcudaobj with --prefix=/usr into a temporary DESTDIR, then runs
# the README's Python tour checks that need no GPU (check-installed.py)
# against what was installed only: GI_TYPELIB_PATH, LD_LIBRARY_PATH and
# PYTHONPATH point into the DESTDIR, never into the source or build tree,
# and the overrides must lie where Debian's /usr/bin/python3 (the Python
# that imports gi) looks once the DESTDIR is stripped.
#
# Usage: tests/install/check-installed.sh [PYTHON]   (default /usr/bin/python3)
set -eu

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
python=${1:-/usr/bin/python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

meson setup "$work/build" "$srcdir" --prefix=/usr -Dexamples=false -Ddocumentation=false \
  -Dtests=false >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
grep -A2 '^  Python' "$work/setup.log" || true
meson compile -C "$work/build" >"$work/compile.log" 2>&1 || { cat "$work/compile.log"; exit 1; }
DESTDIR="$work/root" meson install -C "$work/build" --no-rebuild >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; exit 1; }

root="$work/root"
typelib=$(find "$root" -name 'CudaObj-1.0.typelib' | head -n 1)
library=$(find "$root" -name 'libcudaobj-1.0.so*' | head -n 1)
overrides=$(find "$root" -path '*/gi/overrides/CudaObj.py' | head -n 1)
for f in "$typelib" "$library" "$overrides"; do
  test -n "$f" || { echo "not installed: typelib '$typelib', library '$library', overrides '$overrides'"; exit 1; }
done
site=$(dirname "$(dirname "$(dirname "$overrides")")")

# Nothing from the caller's environment (meson devenv, a test run) that
# could point at the source or build tree.
env -u PYTHONPATH -u GI_TYPELIB_PATH -u LD_LIBRARY_PATH -u PYTHONHOME \
  GI_TYPELIB_PATH="$(dirname "$typelib")" LD_LIBRARY_PATH="$(dirname "$library")" PYTHONPATH="$site" \
  XDG_CACHE_HOME="$work/cache" PYTHONDONTWRITEBYTECODE=1 \
  "$python" "$srcdir/tests/install/check-installed.py" "$root" "${site#"$root"}"
