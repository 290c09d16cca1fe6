#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fails when libcudaobj's classes include each other in a circle that is
not one of the justified ones below.

Each class is a module: cudaobj-NAME.c, cudaobj-NAME.h, cudaobj-NAME-private.h
(and cudaobj-NAME-private.c). Module A depends on module B when one of A's
files has `#include "cudaobj-B[-private].h"`. The umbrella cudaobj.h is left
out: it includes every public header by design, and private headers include
it for the public types. A circle is a strongly connected set of modules.

Usage: include-circles.py SOURCE_DIR [--expect-new=A,B]
  --expect-new=A,B  for the test that this check can fail, over a directory
                    of fixtures: succeed only when the one circle found is
                    {A, B} (the justified list is not used)
"""

import os
import re
import sys

# Circles that are inherent, each with why; every one is also commented at
# its include lines. A listed circle that is gone must leave this list.
JUSTIFIED = {
    frozenset({"buffer", "memory-resource"}):
        "a resource makes Buffers; a Buffer gives its memory back to its resource",
    frozenset({"event", "stream"}):
        "Stream.record makes Events and wait_event orders on one; Event.record orders on a Stream",
    frozenset({"device", "error"}):
        "the CUresult check marks a device lost after a sticky fault; Device reports misuse "
        "with error-private.h",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"cudaobj-([a-z0-9-]+)\.h"')
FILE = re.compile(r"^cudaobj-([a-z0-9-]+)\.(c|h)$")


def module(stem):
    return stem[: -len("-private")] if stem.endswith("-private") else stem


def read_edges(source_dir):
    """{module: {included module: [(file, header), ...]}}"""
    edges = {}
    for name in sorted(os.listdir(source_dir)):
        match = FILE.match(name)
        if match is None:
            continue
        source = module(match.group(1))
        with open(os.path.join(source_dir, name), encoding="utf-8") as f:
            for line in f:
                inc = INCLUDE.match(line)
                if inc is None:
                    continue
                target = module(inc.group(1))
                if target != source:
                    edges.setdefault(source, {}).setdefault(target, []).append(
                        (name, "cudaobj-%s.h" % inc.group(1)))
    return edges


def circles(edges):
    """Strongly connected sets of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    source_dir = argv[1]
    expect_new = None
    for arg in argv[2:]:
        if arg.startswith("--expect-new="):
            expect_new = frozenset(arg[len("--expect-new="):].split(","))
    justified = {} if expect_new is not None else JUSTIFIED
    edges = read_edges(source_dir)
    if not edges:
        print("no cudaobj-*.c or *.h with includes in %s" % source_dir, file=sys.stderr)
        return 2

    found = circles(edges)
    if expect_new is not None:
        ok = found == [expect_new]
        print("%s: found %s, expected {%s}" % ("ok" if ok else "FAILED",
              [sorted(c) for c in found], ", ".join(sorted(expect_new))))
        return 0 if ok else 1
    failed = False
    for component in found:
        names = ", ".join(sorted(component))
        if component in justified:
            print("justified circle {%s}: %s" % (names, justified[component]))
            continue
        failed = True
        print("new include circle {%s}; its includes:" % names)
        for a in sorted(component):
            for b in sorted(edges.get(a, {})):
                if b in component:
                    for f, header in edges[a][b]:
                        print("    %s includes %s" % (f, header))
        print("  break it (a forward declaration, a declaration moved to the header of the file "
              "that defines it) or justify it at the include and in JUSTIFIED of %s"
              % os.path.basename(__file__))
    for component in justified:
        if component not in found:
            failed = True
            print("circle {%s} is gone: remove it from JUSTIFIED of %s and its comments"
                  % (", ".join(sorted(component)), os.path.basename(__file__)))
    if not failed:
        print("no include circle between modules besides the %d justified ones" % len(justified))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
