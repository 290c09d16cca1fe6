#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs a fractal explorer (GJS or Python) with --smoke under a virtual X
# server, with the Cairo renderer and criticals fatal: the window must open
# and show its banner (no GPU) or frames (GPU). Skips (77) without xvfb-run
# or GTK 4's typelib.
#
# Usage: run-smoke.sh gjs|python INTERPRETER SCRIPT
set -e
kind=$1 interpreter=$2 script=$3
if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "skip: xvfb-run is not installed (Debian package xvfb)" >&2
  exit 77
fi
case $kind in
  gjs) probe="imports.gi.versions.Gtk = '4.0'; imports.gi.Gtk;"
       check() { "$interpreter" -c "$probe"; }
       run() { "$interpreter" -m "$script" --smoke; } ;;
  python) check() { "$interpreter" -c "import gi; gi.require_version('Gtk', '4.0')"; }
          run() { "$interpreter" "$script" --smoke; } ;;
  *) echo "run-smoke.sh: unknown kind $kind" >&2; exit 2 ;;
esac
if ! check >/dev/null 2>&1; then
  echo "skip: GTK 4 typelib not found (Debian package gir1.2-gtk-4.0)" >&2
  exit 77
fi
export GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 GTK_A11Y=none
export G_DEBUG=fatal-criticals
# Functions do not cross into xvfb-run: it runs this script again, past the checks.
if [ -z "${RUN_SMOKE_INSIDE:-}" ]; then
  RUN_SMOKE_INSIDE=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
run
