#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds PyGObject for a Python that has none, from what
# prepare-gpu-python.sh put in .bench, with no network: on the GPU machine,
# for its Python 3.12 (cuda.core, CuPy), so that our PyGObject path and the
# peers run in one interpreter. From the repository root:
#   bash .gpu/run.sh bash examples/benchmarks/build-pygobject.sh [PYTHON [PREFIX]]
# PYTHON: default the GPU machine's 3.12 (common.sh says how it is found);
# PREFIX: default /tmp/pyg312. Afterwards:
#   . PREFIX/env.sh    (PYTHONPATH, and LD_LIBRARY_PATH/GI_TYPELIB_PATH for
#                       the GLib runtime when .gpu/run.sh has not set them)
#   PYTHON -c 'import gi'
#
# How: the Debian 12 -dev packages are unpacked into PREFIX/sysroot next
# to the runtime packages of .gpu/debs, their .pc files are rewritten to
# point there (PKG_CONFIG_SYSROOT_DIR would also prefix the paths of the
# target Python's own python-3.12.pc, which Meson reads through the same
# pkg-config), the sysroot's pkgconf resolves them, and a carried Meson
# run by PYTHON itself configures PyGObject against PYTHON's headers.
set -euo pipefail
ROOT=$(pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
BENCH=${BENCH_DIR:-$ROOT/.bench}
GPU_DEBS=${GPU_DEBS:-$ROOT/.gpu/debs}
PY=${1:-}
PREFIX=${2:-/tmp/pyg312}

if [ -z "$PY" ]; then
  PY=$(bench_find_python312) || { echo "build-pygobject: no Python 3.12 found (set BENCH_PYTHON)" >&2; exit 1; }
fi
PY=$(command -v "$PY")
echo "build-pygobject: Python $("$PY" -c 'import sys; print(sys.version.split()[0], sys.executable)')"
for f in "$BENCH"/pygobject-*.tar.gz "$BENCH"/meson-*.whl; do
  [ -e "$f" ] || { echo "build-pygobject: $f missing: run prepare-gpu-python.sh on the CPU machine and carry .bench" >&2; exit 1; }
done
include=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
[ -e "$include/Python.h" ] || { echo "build-pygobject: $PY has no headers ($include/Python.h)" >&2; exit 1; }

rm -rf "$PREFIX"
mkdir -p "$PREFIX/sysroot" "$PREFIX/meson" "$PREFIX/src"
S=$PREFIX/sysroot
for deb in "$BENCH"/debs/*.deb "$GPU_DEBS"/libglib2.0-0_*.deb "$GPU_DEBS"/libgirepository-1.0-1_*.deb \
           "$GPU_DEBS"/gir1.2-glib-2.0_*.deb; do
  [ -e "$deb" ] || { echo "build-pygobject: $deb missing" >&2; exit 1; }
  dpkg -x "$deb" "$S"
done
L=$S/usr/lib/x86_64-linux-gnu
sed -i -E "s#^([A-Za-z_]+)=/usr#\\1=$S/usr#" "$L"/pkgconfig/*.pc
"$PY" -m zipfile -e "$BENCH"/meson-*.whl "$PREFIX/meson"
tar -xzf "$BENCH"/pygobject-*.tar.gz -C "$PREFIX/src" --strip-components=1

# The sysroot's libraries come after any already on the path (.gpu/run.sh's
# GLib runtime is the same Debian 12 build).
export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$L:$S/lib/x86_64-linux-gnu
export PKG_CONFIG="$S/usr/bin/pkgconf" PKG_CONFIG_LIBDIR="$L/pkgconfig:$S/usr/share/pkgconfig"
# Debian keeps ffi.h and libffi.so in the multiarch folders, which the
# compiler and linker search only under /usr, and libffi.pc names neither.
export CFLAGS="-I$S/usr/include/x86_64-linux-gnu${CFLAGS:+ $CFLAGS}"
export LDFLAGS="-L$L${LDFLAGS:+ $LDFLAGS}"
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
meson=("$PY" "$PREFIX/meson/meson.py")
[ -e "$PREFIX/meson/meson.py" ] || meson=(env "PYTHONPATH=$PREFIX/meson" "$PY" -m mesonbuild.mesonmain)
"${meson[@]}" setup "$PREFIX/build" "$PREFIX/src" --wrap-mode=nofallback --prefix="$PREFIX" \
  -Dpython="$PY" -Dpycairo=disabled -Dtests=false \
  -Dpython.platlibdir="$PREFIX/site" -Dpython.purelibdir="$PREFIX/site" >"$PREFIX/setup.log" 2>&1 \
  || { tail -30 "$PREFIX/setup.log" >&2; exit 1; }
"${meson[@]}" install -C "$PREFIX/build" >"$PREFIX/install.log" 2>&1 \
  || { tail -30 "$PREFIX/install.log" >&2; exit 1; }

cat >"$PREFIX/env.sh" <<EOF
# PyGObject $(basename "$BENCH"/pygobject-*.tar.gz .tar.gz | sed 's/pygobject-//') for $PY
export PYTHONPATH=$PREFIX/site\${PYTHONPATH:+:\$PYTHONPATH}
export LD_LIBRARY_PATH=\${LD_LIBRARY_PATH:+\$LD_LIBRARY_PATH:}$L
export GI_TYPELIB_PATH=\${GI_TYPELIB_PATH:+\$GI_TYPELIB_PATH:}$L/girepository-1.0
BENCH_PYGOBJECT_PYTHON=$PY
EOF
. "$PREFIX/env.sh"
"$PY" -c 'import gi; from gi.repository import GLib, GObject, Gio; print("build-pygobject: gi", gi.__version__, "from", gi.__file__, "GLib", GLib.MAJOR_VERSION, GLib.MINOR_VERSION)'
echo "$PY" >"$PREFIX/.done"
echo "build-pygobject: done; use it with: . $PREFIX/env.sh; $PY ..."
