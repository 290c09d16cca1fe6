#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the reference's cross-references (the "docs" test suite).

1. No gtk-doc sigils are left in the doc comments of the library's sources:
   `#CudaObjBuffer`, `#CudaObjBuffer:size`, `#CudaObjEvent::completed` and
   `cuda_obj_buffer_close()` render as dead text with gi-docgen; write
   `[class@CudaObj.Buffer]`, `[property@...]`, `[signal@...]`,
   `[method@...]` instead. Code blocks and `code spans` are left alone, as
   are `%NULL`-style constants, which gi-docgen renders.
2. Every gi-docgen link in those comments and in the content pages
   (`[method@CudaObj.Buffer.close]`) names a symbol that exists in the GIR
   files given (CudaObj and its dependencies), and every link from a
   content page to another (`[Graphs](graphs.html)`) names one of them.

Usage: check-links.py --gir FILE... --sources FILE... [--pages FILE...]
Prints each problem as FILE:LINE: message; exits 1 if there is any.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from girsymbols import Symbols  # noqa: E402

LINK = re.compile(r'\[([a-z_]+)@([^\]\s]+)\]')
PAGE_LINK = re.compile(r'\]\(([A-Za-z0-9_.-]+)\.html(#[^)]*)?\)')
SLUG = re.compile(r'^Slug:\s*(\S+)\s*$', re.M)
SIGILS = [
    (re.compile(r'#[A-Z][A-Za-z0-9_]+(::?[a-z0-9-]+)?'), 'gtk-doc type sigil'),
    (re.compile(r'(?<![\w.`])[a-z_][a-z0-9_]*\(\)'), 'gtk-doc function sigil'),
]
DOC_COMMENT = re.compile(r'/\*\*(?!\*).*?\*/', re.S)
CODE_SPAN = re.compile(r'`[^`]*`')
# gi-docgen fragments that do not name a GIR symbol
UNCHECKED_KINDS = {'type', 'id'}


def text_lines(lines, first_lineno):
    """(line number, text) of the lines outside code blocks, code spans removed."""
    in_code = False
    for i, line in enumerate(lines):
        stripped = line.strip().lstrip('*').strip()
        if stripped.startswith('```'):
            in_code = not in_code
            continue
        if stripped.startswith('|['):
            in_code = True
            continue
        if stripped.startswith(']|'):
            in_code = False
            continue
        if not in_code:
            yield first_lineno + i, CODE_SPAN.sub('``', line)


def doc_comment_lines(path):
    src = open(path, encoding='utf-8').read()
    for m in DOC_COMMENT.finditer(src):
        first = src.count('\n', 0, m.start()) + 1
        yield from text_lines(m.group(0).split('\n'), first)


def check_link(symbols, kind, target):
    if kind in UNCHECKED_KINDS:
        return None
    ns = target.split('.', 1)[0]
    if ns not in symbols.namespaces:
        return 'link to %s@%s: namespace %s is not known' % (kind, target, ns)
    if '%s@%s' % (kind, target) in symbols.targets:
        return None
    if kind == 'enum' and 'error@%s' % target in symbols.targets:
        return None
    others = sorted(t for t in symbols.targets if t.split('@', 1)[1] == target)
    hint = ' (did you mean [%s]?)' % others[0] if others else ''
    return 'link [%s@%s] does not resolve%s' % (kind, target, hint)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--gir', nargs='+', required=True)
    parser.add_argument('--sources', nargs='+', required=True)
    parser.add_argument('--pages', nargs='*', default=[])
    args = parser.parse_args()

    symbols = Symbols()
    for gir in args.gir:
        symbols.load(gir)

    problems = []
    n_links = 0
    for path in args.sources:
        for lineno, line in doc_comment_lines(path):
            for regex, what in SIGILS:
                for m in regex.finditer(line):
                    problems.append('%s:%d: %s %s' % (path, lineno, what, m.group(0)))
            for m in LINK.finditer(line):
                n_links += 1
                msg = check_link(symbols, m.group(1), m.group(2))
                if msg:
                    problems.append('%s:%d: %s' % (path, lineno, msg))
    # gi-docgen names a content page after its Slug, else after its file
    pages = {}
    for path in args.pages:
        text = open(path, encoding='utf-8').read()
        pages[path] = text
    slugs = {(SLUG.search(t).group(1) if SLUG.search(t) else os.path.splitext(os.path.basename(p))[0])
             for p, t in pages.items()}
    slugs.add('index')
    for path, text in pages.items():
        lines = text.split('\n')
        for lineno, line in text_lines(lines, 1):
            for m in PAGE_LINK.finditer(line):
                n_links += 1
                if m.group(1) not in slugs:
                    problems.append('%s:%d: link to page %s.html: no such content page'
                                    % (path, lineno, m.group(1)))
            for m in LINK.finditer(line):
                n_links += 1
                msg = check_link(symbols, m.group(1), m.group(2))
                if msg:
                    problems.append('%s:%d: %s' % (path, lineno, msg))

    for p in problems:
        print(p)
    print('%d files, %d links checked, %d problems' %
          (len(args.sources) + len(args.pages), n_links, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
