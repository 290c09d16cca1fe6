# SPDX-License-Identifier: LGPL-2.1-or-later
"""The symbol table of GIR files, for gi-docgen links.

Maps C names (types, functions) to gi-docgen link fragments and collects the
set of link targets ("class@CudaObj.Buffer", "property@CudaObj.Buffer:size",
...) that exist, so that links can be written and checked from the GIR alone.
"""

import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
C = '{http://www.gtk.org/introspection/c/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'

TYPE_KINDS = {
    'class': 'class',
    'interface': 'iface',
    'record': 'struct',
    'union': 'union',
    'enumeration': 'enum',
    'bitfield': 'flags',
    'callback': 'callback',
    'alias': 'alias',
}


class Symbols:
    def __init__(self):
        self.types = {}      # C type name -> 'class@NS.Name'
        self.functions = {}  # C identifier -> 'method@NS.Type.name'
        self.targets = set()  # every valid 'kind@NS.path'
        self.namespaces = set()

    def load(self, path):
        root = ET.parse(path).getroot()
        ns = root.find(CORE + 'namespace')
        nsname = ns.get('name')
        self.namespaces.add(nsname)
        for const in ns.findall(CORE + 'constant'):
            self.targets.add('const@%s.%s' % (nsname, const.get('name')))
        for elem in ns:
            tag = elem.tag[len(CORE):]
            if tag not in TYPE_KINDS:
                continue
            kind = TYPE_KINDS[tag]
            if tag == 'enumeration' and elem.get(GLIB + 'error-domain'):
                # gi-docgen files error domains under "error@" and "enum@".
                self.targets.add('error@%s.%s' % (nsname, elem.get('name')))
            full = '%s.%s' % (nsname, elem.get('name'))
            target = '%s@%s' % (kind, full)
            self.targets.add(target)
            ctype = elem.get(C + 'type') or elem.get(GLIB + 'type-name')
            if ctype:
                self.types.setdefault(ctype, target)
            for ctor in elem.findall(CORE + 'constructor'):
                self._function(ctor, 'ctor', full)
            for meth in elem.findall(CORE + 'method'):
                self._function(meth, 'method', full)
            for func in elem.findall(CORE + 'function'):
                self._function(func, 'func', full)
            for vfunc in elem.findall(CORE + 'virtual-method'):
                self.targets.add('vfunc@%s.%s' % (full, vfunc.get('name')))
            for prop in elem.findall(CORE + 'property'):
                self.targets.add('property@%s:%s' % (full, prop.get('name')))
            for sig in elem.findall(GLIB + 'signal'):
                self.targets.add('signal@%s::%s' % (full, sig.get('name')))
            if tag == 'record' and elem.get(GLIB + 'is-gtype-struct-for'):
                # gi-docgen documents class methods under the instance type.
                owner = '%s.%s' % (nsname, elem.get(GLIB + 'is-gtype-struct-for'))
                for meth in elem.findall(CORE + 'method'):
                    self._function(meth, 'class_method', owner)
        # After the types: a function GI also moved into an enum (its first
        # argument) is linked as the enum's function.
        for func in ns.findall(CORE + 'function'):
            self._function(func, 'func', nsname)

    def _function(self, elem, kind, owner):
        target = '%s@%s.%s' % (kind, owner, elem.get('name'))
        self.targets.add(target)
        cid = elem.get(C + 'identifier')
        if cid:
            self.functions.setdefault(cid, target)
