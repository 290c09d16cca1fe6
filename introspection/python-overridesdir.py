# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints where the PyGObject overrides go for the install prefix given as
the only argument, as two lines: the directory, and "searched" or
"not-searched" (whether the Python running this script loads overrides from
there without PYTHONPATH). Run it with the Python that imports gi: it is the
one whose PyGObject will load the overrides.

PyGObject loads gi.overrides.<Namespace> from its own gi/overrides folder
and from gi/overrides under every sys.path entry. So, in order:
1. gi's own overrides folder when it lies under the prefix (--prefix=/usr
   with the distribution's PyGObject: /usr/lib/python3/dist-packages/...);
2. gi/overrides under the first site folder of sys.path that lies under the
   prefix (/usr/local on Debian: /usr/local/lib/python3.X/dist-packages);
3. otherwise gi's site folder placed under the prefix, the way it lies
   under this Python's own prefix; PYTHONPATH must then name it.
"""
import os
import sys

import gi


def under(path, prefix):
    return path == prefix or path.startswith(prefix.rstrip(os.sep) + os.sep)


def main():
    prefix = os.path.normpath(os.path.abspath(sys.argv[1]))
    gi_dir = os.path.dirname(os.path.abspath(gi.__file__))
    own = getattr(gi, '_overridesdir', os.path.join(gi_dir, 'overrides'))
    if under(own, prefix):
        print(own)
        print('searched')
        return
    for entry in sys.path:
        entry = os.path.abspath(entry) if entry else ''
        if (entry and under(entry, prefix)
                and os.path.basename(entry) in ('site-packages', 'dist-packages')):
            print(os.path.join(entry, 'gi', 'overrides'))
            print('searched')
            return
    site = os.path.dirname(gi_dir)
    base = os.path.normpath(sys.prefix)
    relative = os.path.relpath(site, base) if under(site, base) else os.path.join('lib', 'python3', 'site-packages')
    print(os.path.join(prefix, relative, 'gi', 'overrides'))
    print('not-searched')


if __name__ == '__main__':
    main()
