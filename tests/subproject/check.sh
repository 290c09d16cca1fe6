#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds a small parent project (this folder's meson.build and parent.c) that
# uses libcudaobj as a Meson subproject, runs the parent's tests, and checks
# that they are the parent's only: libcudaobj adds no tests, examples or docs
# to a parent. Extra arguments go to the parent's `meson setup`.
#
#   tests/subproject/check.sh [MESON_SETUP_ARGS...]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

parent="$work/parent"
mkdir -p "$parent/subprojects"
cp "$here/meson.build" "$here/parent.c" "$parent/"
ln -s "$root" "$parent/subprojects/libcudaobj"

# forcefallback: the subproject even where a cudaobj-1.0 is installed.
# Introspection and the VAPI stay on where their tools are, as a GTK or Vala
# parent has them.
meson setup "$parent/build" "$parent" --wrap-mode=forcefallback "$@"
meson compile -C "$parent/build"

tests=$(meson test -C "$parent/build" --no-rebuild --list 2>/dev/null)
echo "The parent's tests:"
echo "$tests"
if [ "$(echo "$tests" | grep -c .)" -ne 1 ] || ! echo "$tests" | grep -q 'parent-runs$'; then
  echo "FAIL: the parent should have exactly one test, parent-runs; libcudaobj's leaked in" >&2
  exit 1
fi
meson test -C "$parent/build" --print-errorlogs
if find "$parent/build/subprojects/libcudaobj" -path '*/tests/*' -name 'test-*' -type f | grep -q .; then
  echo "FAIL: libcudaobj's test programs were built in the parent" >&2
  exit 1
fi
echo "OK: libcudaobj builds and links as a subproject, and adds no tests to the parent"
