#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Takes a screenshot of the GJS fractal explorer's window on a machine
# without GTK or an X server: unpacks the packages of prepare-gpu-gtk.sh
# into /tmp/gtk-deps, starts their Xvfb, and runs
# `fractal-explorer.js --screenshot OUT` with the Cairo renderer. Meant to
# run from the repository root under .gpu/run.sh (which provides GLib and
# GJS), e.g.
#   bash .gpu/run.sh bash examples/gtk/screenshot.sh window.png
#
# Usage: screenshot.sh OUT.png [BUILD_DIR [DEPS_DIR]]
#        (defaults: build-gpu if there is one, else build; .gtk)
# Exits with the explorer's status.
set -uo pipefail
out=${1:?usage: screenshot.sh OUT.png [BUILD_DIR [DEPS_DIR]]}
build=${2:-$([ -d build-gpu ] && echo build-gpu || echo build)}
deps=${3:-.gtk}
G=${GTK_DEPS_ROOT:-/tmp/gtk-deps}
[ -d "$deps/debs" ] || { echo "screenshot.sh: no $deps/debs (run examples/gtk/prepare-gpu-gtk.sh)" >&2; exit 2; }
[ -e "$build/introspection/CudaObj-1.0.typelib" ] || { echo "screenshot.sh: no typelib in $build/introspection" >&2; exit 2; }

sig=$(ls "$deps/debs" | md5sum | cut -d' ' -f1)   # unpack again when the set changed
if [ "$(cat "$G/.done" 2>/dev/null)" != "$sig" ]; then
  rm -rf "$G" && mkdir -p "$G" && for f in "$deps"/debs/*.deb; do dpkg -x "$f" "$G" || exit 2; done
  echo "$sig" > "$G/.done"
fi
L=$G/usr/lib/x86_64-linux-gnu
build=$(cd "$build" && pwd)
export LD_LIBRARY_PATH=$L:$G/lib/x86_64-linux-gnu:$build/libcudaobj${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export GI_TYPELIB_PATH=$L/girepository-1.0:$build/introspection${GI_TYPELIB_PATH:+:$GI_TYPELIB_PATH}
export XDG_DATA_DIRS=$G/usr/share XDG_CACHE_HOME=$G/cache XDG_CONFIG_HOME=$G/config
export XDG_RUNTIME_DIR=$G/runtime && mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# No GIO modules of the host's GLib (another version) in the carried one.
export GIO_MODULE_DIR=$G/gio-modules && mkdir -p "$GIO_MODULE_DIR"
# Only the carried fonts, with a cache of their own and the generic families.
cat > "$G/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>$G/usr/share/fonts</dir>
  <cachedir>$G/cache/fontconfig</cachedir>
  <alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
  <alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>
  <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>
</fontconfig>
EOF
export FONTCONFIG_FILE=$G/fonts.conf FONTCONFIG_PATH=$G
# GDK would still look for EGL (and Mesa) with the Cairo renderer: keep it off GL.
export GSK_RENDERER=cairo GDK_BACKEND=x11 GDK_DEBUG=gl-disable NO_AT_BRIDGE=1 GTK_A11Y=none

# Xvfb runs xkbcomp from the directory it was built with (/usr/bin) and,
# as root, writes the compiled keymap to /var/lib/xkb: provide both for
# the run where they are missing.
made=()
cleanup() {
  [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
  for p in "${made[@]}"; do rm -rf "$p"; done
}
trap cleanup EXIT
if [ ! -e /usr/bin/xkbcomp ]; then
  ln -s "$G/usr/bin/xkbcomp" /usr/bin/xkbcomp && made+=(/usr/bin/xkbcomp)
fi
if [ "$(id -u)" = 0 ] && [ ! -d /var/lib/xkb ]; then
  mkdir -p /var/lib/xkb && made+=(/var/lib/xkb)
fi

# -displayfd picks a free display and writes its number once it accepts
# clients. No GLX: the Cairo renderer needs none, and no Mesa is carried.
rm -f "$G/display"
"$G/usr/bin/Xvfb" -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -extension GLX \
  -xkbdir "$G/usr/share/X11/xkb" 3>"$G/display" 2>"$G/xvfb.log" &
xvfb=$!
for _ in $(seq 100); do
  [ -s "$G/display" ] && break
  kill -0 $xvfb 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$G/display" ]; then
  echo "screenshot.sh: Xvfb did not start:" >&2
  cat "$G/xvfb.log" >&2
  exit 1
fi
DISPLAY=:$(head -1 "$G/display")
export DISPLAY
echo "screenshot.sh: Xvfb on $DISPLAY"

gjs -m examples/gtk/fractal-explorer.js --screenshot "$out"
status=$?
if [ $status -ne 0 ] && [ -s "$G/xvfb.log" ]; then
  echo "screenshot.sh: Xvfb's log:" >&2
  cat "$G/xvfb.log" >&2
fi
exit $status
