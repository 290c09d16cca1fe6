#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks that every source file of the tree begins with the project's SPDX
line (after a `#!` line or the shellcheck directive that stands in for one).
Prints the files that do not and exits 1. Run from the source root."""
import os
import sys

SPDX = "SPDX-License-Identifier: LGPL-2.1-or-later"
SUFFIXES = (".c", ".h", ".in", ".py", ".js", ".vala", ".cu", ".sh", ".supp", ".doap")
NAMES = ("meson.build", "meson_options.txt", ".clang-format", ".editorconfig", ".gitignore", "run")
SKIP_DIRS = (".git", "subprojects", "corpus", "__pycache__")


def wants_spdx(name):
    # A VAPI's .deps lists packages one a line, with no comment syntax.
    if name.endswith(".deps.in"):
        return False
    return name.endswith(SUFFIXES) or name in NAMES


def has_spdx(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [f.readline() for _ in range(3)]
    first = 1 if lines[0].startswith(("#!", "# shellcheck shell=", "<?xml")) else 0
    return SPDX in lines[first]


def main():
    missing = []
    for root, dirs, files in os.walk("."):
        dirs[:] = sorted(d for d in dirs
                         if d not in SKIP_DIRS and not d.startswith(("build", "_build", "."))
                         or d in (".ci", "build-aux"))
        for name in sorted(files):
            path = os.path.join(root, name)[2:]
            if wants_spdx(name) and not os.path.islink(path) and not has_spdx(path):
                missing.append(path)
    for path in missing:
        print(f"no '{SPDX}' line at the top: {path}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
