#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""GIR-driven misuse walker.

For every class, interface, method, constructor, static function, settable
property and namespace-level function in CudaObj-1.0.gir, call the API the
way a careless binding user can: on objects made with plain g_object_new and
never initialized, with zero, NULL, empty, negative and huge arguments. Each
call runs in a forked child with fatal criticals; a child killed by a signal
(a crash, an abort on a CRITICAL or warning, a hang) fails the test. Python
exceptions (GLib.Error, TypeError, ValueError, OverflowError) are the
expected outcome. A throwing method that succeeds on an uninitialized
instance of a GInitable class fails too: it must say NOT_INITIALIZED.

Usage: misuse-walker.py PATH/TO/CudaObj-1.0.gir [--driver-library=PATH]
                        [-j JOBS]
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

# Criticals (and warnings: the test environment makes them fatal too) abort
# the child; set before GLib is loaded.
_debug = [f for f in os.environ.get("G_DEBUG", "").split(",") if f]
if "fatal-criticals" not in _debug:
    _debug.append("fatal-criticals")
os.environ["G_DEBUG"] = ",".join(_debug)

# A driver library to load instead of the system's (the meson test runs
# once with one that does not exist); read before GLib is loaded.
for i, arg in enumerate(sys.argv):
    if arg.startswith("--driver-library="):
        os.environ["CUDA_OBJ_DRIVER_LIBRARY"] = arg.split("=", 1)[1]
        del sys.argv[i]
        break

import gi  # noqa: E402

gi.require_version("CudaObj", "1.0")
gi.require_version("Gio", "2.0")
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import GLib, GObject, Gio  # noqa: E402

# The C API as introspected, without the Python overrides.
C = get_introspection_module("CudaObj")

NS = {
    "core": "http://www.gtk.org/introspection/core/1.0",
    "c": "http://www.gtk.org/introspection/c/1.0",
    "glib": "http://www.gtk.org/introspection/glib/1.0",
}
CORE = "{%s}" % NS["core"]

OK_EXCEPTIONS = (GLib.Error, TypeError, ValueError, OverflowError)

# Child exit codes.
EXIT_RAISED = 0
EXIT_RETURNED = 1
EXIT_UNINIT_SUCCESS = 3
EXIT_OTHER_EXCEPTION = 4
CHILD_TIMEOUT_S = 20

# A tiny valid PTX kernel: object code that needs no driver to be made.
PTX = (
    b".version 8.0\n.target sm_90\n.address_size 64\n"
    b".visible .entry misuse_walker_kernel()\n{\n\tret;\n}\n"
)

# Valid, initialized instances of the classes that can be made without a
# GPU, so that their methods also meet bad arguments with a real self. Each
# is built inside the child that uses it.
RECIPES = {
    "KernelArgs": lambda: C.KernelArgs.new(2),
    "LaunchConfig": lambda: C.LaunchConfig.new(2, 32),
    "ObjectCode": lambda: C.ObjectCode.new_from_ptx(GLib.Bytes.new(PTX)),
    "ProgramOptions": lambda: C.ProgramOptions.new(),
    "LinkerOptions": lambda: C.LinkerOptions.new(),
}

# Methods that may succeed on an uninitialized object.
IDEMPOTENT = {"close", "abort"}

INT_RANGES = {
    "gint8": (-(2**7), 2**7 - 1),
    "guint8": (0, 2**8 - 1),
    "gint16": (-(2**15), 2**15 - 1),
    "guint16": (0, 2**16 - 1),
    "gint32": (-(2**31), 2**31 - 1),
    "guint32": (0, 2**32 - 1),
    "gint": (-(2**31), 2**31 - 1),
    "guint": (0, 2**32 - 1),
    "gint64": (-(2**63), 2**63 - 1),
    "guint64": (0, 2**64 - 1),
    "glong": (-(2**63), 2**63 - 1),
    "gulong": (0, 2**64 - 1),
    "gssize": (-(2**63), 2**63 - 1),
    "gsize": (0, 2**64 - 1),
    "gchar": (-(2**7), 2**7 - 1),
    "guchar": (0, 2**8 - 1),
    "gunichar": (0, 2**32 - 1),
    "GLib.Quark": (0, 2**32 - 1),
    "GType": (0, 2**64 - 1),
}


class Walker:
    def __init__(self, gir_path, jobs):
        self.root = ET.parse(gir_path).getroot()
        self.ns = self.root.find("core:namespace", NS)
        self.classes = {}  # name -> element
        self.interfaces = {}
        self.enums = {}  # name -> list of values
        self.initable = set()
        self.implementers = {}  # interface name -> [class names]
        for el in self.ns:
            tag = el.tag.replace(CORE, "")
            name = el.get("name")
            if tag == "class":
                self.classes[name] = el
                for impl in el.findall("core:implements", NS):
                    iname = impl.get("name")
                    if iname == "Gio.Initable":
                        self.initable.add(name)
                    self.implementers.setdefault(iname, []).append(name)
            elif tag == "interface":
                self.interfaces[name] = el
            elif tag in ("enumeration", "bitfield"):
                vals = [int(m.get("value")) for m in el.findall("core:member", NS)]
                self.enums[name] = (tag, vals)
        self.cases = 0
        self.outcomes = {}
        self.failures = []
        self.jobs = jobs
        self.running = {}  # pid -> (what, label, log slot)
        self.logs = []
        for _ in range(jobs):
            tmp = tempfile.NamedTemporaryFile(prefix="misuse-walker-", delete=False)
            tmp.close()
            self.logs.append(tmp.name)
        self.free_slots = list(range(jobs))

    # -- instances ---------------------------------------------------------

    def uninit(self, cname):
        """An instance of a class of the namespace made by plain g_object_new."""
        return getattr(C, cname)()

    def compatible_classes(self, tname):
        """Classes of the namespace whose instances a parameter of type
        @tname accepts."""
        if tname in self.classes:
            return [tname]
        if tname in self.interfaces:
            return list(self.implementers.get(tname, []))
        if tname == "GObject.Object":
            return sorted(self.classes)
        return []

    # -- argument values ---------------------------------------------------

    def values_for(self, param):
        """A dict kind -> list of thunks making a value for @param."""
        t = param.find("core:type", NS)
        arr = param.find("core:array", NS)
        cb = param.find("core:callback", NS)
        if arr is not None:
            et = arr.find("core:type", NS)
            etn = et.get("name") if et is not None else None
            if etn in ("utf8", "filename"):
                return {
                    "null": [lambda: None],
                    "empty": [lambda: []],
                    "zero": [lambda: [""]],
                    "huge": [lambda: ["x" * 65536] * 64],
                    "negative": [lambda: ["-1", None]],
                }
            if etn in INT_RANGES or etn == "gboolean":
                lo, hi = INT_RANGES.get(etn, (0, 1))
                return {
                    "null": [lambda: None],
                    "empty": [lambda: []],
                    "zero": [lambda: [0] * 8],
                    "huge": [lambda: [hi] * (1 << 16)],
                    "negative": [lambda: [lo] * 3],
                }
            return {"null": [lambda: None], "empty": [lambda: []]}
        if cb is not None:
            return {"null": [lambda: None], "zero": [lambda: (lambda *a: None)]}
        if t is None:
            return {"null": [lambda: None]}
        tn = t.get("name")
        if tn == "gboolean":
            return {"zero": [lambda: False], "huge": [lambda: True]}
        if tn in INT_RANGES:
            lo, hi = INT_RANGES[tn]
            v = {
                "zero": [lambda: 0],
                "one": [lambda: 1],
                "huge": [lambda hi=hi: hi] + ([lambda: 70000] if hi > 70000 else []),
            }
            if lo < 0:
                v["negative"] = [lambda lo=lo: lo, lambda: -1]
            return v
        if tn in ("gfloat", "gdouble"):
            return {
                "zero": [lambda: 0.0],
                "negative": [lambda: -1.0, lambda: float("-inf")],
                "huge": [lambda: 1e300 if tn == "gdouble" else 3e38, lambda: float("nan")],
            }
        if tn in ("utf8", "filename"):
            return {
                "null": [lambda: None],
                "empty": [lambda: ""],
                "zero": [lambda: "x"],
                "huge": [lambda: "y" * (1 << 20)],
                "negative": [lambda: "/nonexistent-dir/nonexistent-file\x7f"],
            }
        if tn == "GLib.Bytes":
            return {
                "null": [lambda: None],
                "empty": [lambda: GLib.Bytes.new(b"")],
                "zero": [lambda: GLib.Bytes.new(b"\0" * 16)],
                "huge": [lambda: GLib.Bytes.new(b"\xff" * (1 << 20))],
            }
        if tn in self.enums and param.tag == CORE + "property":
            # GObject itself checks an enum property's value and warns
            # before the class sees it: only members can be tested.
            kind, vals = self.enums[tn]
            return {"zero": [lambda vals=vals: vals[0]], "huge": [lambda vals=vals: max(vals)]}
        if tn in self.enums:
            kind, vals = self.enums[tn]
            v = {"zero": [lambda: 0], "one": [lambda vals=vals: vals[0]]}
            v["huge"] = [lambda vals=vals: max(vals), lambda vals=vals: max(vals) + 1]
            v["negative"] = [lambda: -1] if kind == "enumeration" else [lambda: 0xFFFFFFFF]
            return v
        if tn == "Gio.Cancellable":
            return {"null": [lambda: None], "zero": [lambda: Gio.Cancellable()]}
        if tn == "Gio.AsyncResult":
            return {
                "null": [lambda: None],
                "zero": [lambda: Gio.Task.new(None, None, None, None)],
            }
        if tn == "gpointer":
            return {"null": [lambda: None]}
        if tn == "GObject.ObjectClass" or tn == "GObject.TypeInterface":
            return {}
        classes = self.compatible_classes(tn)
        if classes or tn.startswith("GObject.") or tn.startswith("Gio."):
            v = {"null": [lambda: None]}
            v["object"] = [lambda c=c: self.uninit(c) for c in classes]
            return v
        # A type this walker does not know: NULL is all it can pass.
        return {"null": [lambda: None]}

    def in_params(self, fn):
        """The parameters a Python caller passes, with their value kinds."""
        params = fn.find("core:parameters", NS)
        if params is None:
            return []
        plist = [p for p in params.findall("core:parameter", NS)]
        hidden = set()
        for p in plist:
            for attr in ("closure", "destroy"):
                if p.get(attr) is not None:
                    hidden.add(int(p.get(attr)))
            arr = p.find("core:array", NS)
            if arr is not None and arr.get("length") is not None:
                hidden.add(int(arr.get("length")))
        # A return value's array length is an out parameter too.
        rv = fn.find("core:return-value", NS)
        if rv is not None:
            arr = rv.find("core:array", NS)
            if arr is not None and arr.get("length") is not None:
                hidden.add(int(arr.get("length")))
        out = []
        wraps_handle = fn.get("name", "").endswith("from_handle")
        for i, p in enumerate(plist):
            if i in hidden or p.get("direction") == "out":
                continue
            if wraps_handle and p.get("name") == "handle":
                # A foreign CUstream is a pointer the driver dereferences;
                # no library can check one (nor can cuda.core's
                # Stream.from_handle): only the special handles 0
                # (legacy default), 1 (CU_STREAM_LEGACY) and 2
                # (CU_STREAM_PER_THREAD) are values a binding can invent.
                out.append((p.get("name"), {"zero": [lambda: 0], "one": [lambda: 1], "huge": [lambda: 2]}))
                continue
            out.append((p.get("name"), self.values_for(p)))
        return out

    def arg_sets(self, params):
        """Argument lists: every parameter at one kind at a time, then each
        value of each parameter with the others at their first value; the
        same list is made once."""
        if not params:
            return [("()", [])]
        order = ("zero", "null", "one", "empty", "object", "huge", "negative")
        sets = []
        seen = set()

        def first(vals):
            for k in order:
                if vals.get(k):
                    return (k, 0)
            return None

        def thunk(vals, pick):
            return None if pick is None else vals[pick[0]][pick[1]]

        def add(label, picks):
            key = tuple(picks)
            if key in seen:
                return
            seen.add(key)
            sets.append((label, [thunk(v, pk) for (_, v), pk in zip(params, picks)]))

        for kind in ("zero", "null", "empty", "negative", "huge", "one"):
            add("all-" + kind, [(kind, 0) if vals.get(kind) else first(vals) for _, vals in params])
        for i, (pname, vals) in enumerate(params):
            for kind, lst in vals.items():
                for j in range(len(lst)):
                    picks = [first(v) for _, v in params]
                    picks[i] = (kind, j)
                    add("%s=%s#%d" % (pname, kind, j), picks)
        return sets

    # -- running -----------------------------------------------------------

    def run_case(self, what, label, call, uninit_initable=False, is_async=False):
        """Run @call in a forked child; its outcome is recorded when it is reaped."""
        self.cases += 1
        while len(self.running) >= self.jobs:
            self.reap_one()
        slot = self.free_slots.pop()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = EXIT_OTHER_EXCEPTION
            try:
                fd = os.open(self.logs[slot], os.O_WRONLY | os.O_TRUNC)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                signal.alarm(CHILD_TIMEOUT_S)
                try:
                    done = []
                    call(done)
                    if is_async:
                        ctx = GLib.MainContext.default()
                        end = time.monotonic() + 2
                        while not done and time.monotonic() < end:
                            ctx.iteration(False) or time.sleep(0.001)
                    code = EXIT_UNINIT_SUCCESS if uninit_initable else EXIT_RETURNED
                    if done and isinstance(done[0], BaseException):
                        raise done[0]
                    if done and done[0] == "raised":
                        code = EXIT_RAISED
                except OK_EXCEPTIONS:
                    code = EXIT_RAISED
                except BaseException as e:  # noqa: BLE001
                    sys.stderr.write("exception: %s: %s\n" % (type(e).__name__, e))
                    code = EXIT_OTHER_EXCEPTION
                # Finalize what the call left behind, inside the child.
                import gc

                gc.collect()
            except BaseException:  # noqa: BLE001
                pass
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.running[pid] = (what, label, slot)

    def reap_one(self):
        pid, status = os.wait()
        what, label, slot = self.running.pop(pid)
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            outcome = "signal " + signal.Signals(sig).name
        else:
            rc = os.WEXITSTATUS(status)
            outcome = {
                EXIT_RAISED: "raised",
                EXIT_RETURNED: "returned",
                EXIT_UNINIT_SUCCESS: "succeeded on an uninitialized object",
                EXIT_OTHER_EXCEPTION: "unexpected exception",
            }.get(rc, "exit %d" % rc)
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if outcome not in ("raised", "returned"):
            with open(self.logs[slot], errors="replace") as f:
                log = f.read().strip().splitlines()
            tail = " | ".join(line for line in log[-3:])
            self.failures.append("%s [%s]: %s%s" % (what, label, outcome, (": " + tail) if tail else ""))
        self.free_slots.append(slot)

    def drain(self):
        while self.running:
            self.reap_one()

    def call_function(self, what, fn, get_callable, selves, throws, is_async):
        """One case per (self, argument set)."""
        params = self.in_params(fn)
        if is_async:
            # The Python callback finishes the operation, so that the finish
            # function runs on the result too.
            params = [(n, v) for n, v in params]
        for self_label, make_self, self_uninit_initable in selves:
            for label, thunks in self.arg_sets(params):

                def call(done, make_self=make_self, thunks=thunks):
                    args = [th() if th is not None else None for th in thunks]
                    func = get_callable()
                    if make_self is not None:
                        args.insert(0, make_self())
                    if is_async:
                        finish = self.finish_for(fn)

                        def cb(src, res, *rest):
                            try:
                                finish(src, res) if src is not None else finish(res)
                                done.append("returned")
                            except OK_EXCEPTIONS:
                                done.append("raised")
                            except BaseException as e:  # noqa: BLE001
                                done.append(e)

                        # Replace the callback (the last callback value) by ours.
                        args = [cb if callable(a) and not isinstance(a, GObject.Object) else a for a in args]
                    func(*args)

                full = what if self_label is None else "%s (%s)" % (what, self_label)
                self.run_case(
                    full,
                    label,
                    call,
                    uninit_initable=throws and self_uninit_initable,
                    is_async=is_async,
                )

    def finish_for(self, fn):
        fin = fn.get("{%s}finish-func" % NS["glib"])
        parent_name = self.parent_of[fn]
        owner = getattr(C, parent_name) if parent_name else C
        return getattr(owner, fin)

    def walk_callables(self, owner_name, owner_el, selves_for_methods):
        owner = getattr(C, owner_name)
        for fn in owner_el:
            tag = fn.tag.replace(CORE, "")
            if tag not in ("method", "constructor", "function"):
                continue
            if fn.get("introspectable") == "0" or fn.get("moved-to") is not None:
                continue
            name = fn.get("name")
            throws = fn.get("throws") == "1"
            is_async = fn.get("{%s}finish-func" % NS["glib"]) is not None
            self.parent_of[fn] = owner_name
            what = "%s.%s" % (owner_name, name)
            selves = selves_for_methods if tag == "method" else [(None, None, False)]
            if name in IDEMPOTENT:
                # Closing what holds nothing may succeed, as closing twice does.
                selves = [(label, make, False) for label, make, _ in selves]
            self.call_function(
                what,
                fn,
                lambda owner=owner, name=name: getattr(owner, name),
                selves,
                throws,
                is_async,
            )

    def walk_properties(self, cname, cel):
        cls = getattr(C, cname)

        def get_all(done):
            # Getters cannot fail: on an uninitialized object they give
            # neutral values, without a CRITICAL.
            obj = self.uninit(cname)
            for p in obj.list_properties():
                if p.flags & GObject.ParamFlags.READABLE:
                    obj.get_property(p.name)

        self.run_case("%s: every property get" % cname, "uninitialized", get_all)
        for prop in cel.findall("core:property", NS):
            pname = prop.get("name")
            writable = prop.get("writable") == "1"
            construct = prop.get("construct") == "1"
            construct_only = prop.get("construct-only") == "1"
            if not (writable or construct_only):
                continue
            vals = self.values_for(prop)
            for kind, lst in vals.items():
                for j, th in enumerate(lst):
                    label = "%s#%d" % (kind, j)
                    if construct_only or construct:

                        def construct(done, pname=pname, th=th):
                            obj = GObject.new(cls, **{pname.replace("-", "_"): th()})
                            # Reading every property of the result must be safe.
                            for p in obj.list_properties():
                                if p.flags & GObject.ParamFlags.READABLE:
                                    obj.get_property(p.name)

                        self.run_case("%s:%s construct" % (cname, pname), label, construct)
                    if writable and not construct_only:

                        def setp(done, pname=pname, th=th):
                            self.uninit(cname).set_property(pname, th())

                        self.run_case("%s:%s set" % (cname, pname), label, setp)

    def walk(self):
        self.parent_of = {}
        for cname, cel in sorted(self.classes.items()):
            abstract = cel.get("abstract") == "1"
            selves = []
            if not abstract:
                selves.append(("uninitialized", lambda cname=cname: self.uninit(cname), cname in self.initable))
            if cname in RECIPES:
                selves.append(("constructed", RECIPES[cname], False))

                def plain(done, cname=cname):
                    self.uninit(cname)

                self.run_case("%s()" % cname, "g_object_new", plain)
            self.walk_callables(cname, cel, selves)
            self.walk_properties(cname, cel)
        for iname, iel in sorted(self.interfaces.items()):
            selves = [
                ("uninitialized " + c, lambda c=c: self.uninit(c), c in self.initable)
                for c in self.implementers.get(iname, [])
            ]
            selves += [
                ("constructed " + c, RECIPES[c], False)
                for c in self.implementers.get(iname, [])
                if c in RECIPES
            ]
            self.walk_callables(iname, iel, selves)
        # Namespace-level functions (CudaObj.launch, cuda_obj_* free functions).
        for fn in self.ns.findall("core:function", NS):
            if fn.get("introspectable") == "0" or fn.get("moved-to") is not None:
                continue
            name = fn.get("name")
            self.parent_of[fn] = None
            is_async = fn.get("{%s}finish-func" % NS["glib"]) is not None
            self.call_function(
                "CudaObj.%s" % name,
                fn,
                lambda name=name: getattr(C, name),
                [(None, None, False)],
                fn.get("throws") == "1",
                is_async,
            )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gir")
    ap.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=min(8, os.cpu_count() or 1),
        help="children run at once",
    )
    opts = ap.parse_args()
    opts.gir = os.path.abspath(opts.gir)
    # Load the libraries once here, so that children do not search for them
    # again; loading does not initialize the driver (fork-safe).
    for lib in (C.Library.DRIVER, C.Library.NVRTC, C.Library.NVJITLINK, C.Library.NVVM):
        try:
            C.library_load(lib)
        except GLib.Error:
            pass
    w = Walker(opts.gir, max(1, opts.jobs))
    # Calls that write files (ObjectCode.save to "x") write them here.
    workdir = tempfile.mkdtemp(prefix="misuse-walker-")
    os.chdir(workdir)
    start = time.monotonic()
    try:
        w.walk()
        w.drain()
    finally:
        for name in w.logs:
            os.unlink(name)
        shutil.rmtree(workdir, ignore_errors=True)
    took = time.monotonic() - start
    print(
        "# %d (class, method, argument set) cases in %.1f s, driver library: %s"
        % (w.cases, took, os.environ.get("CUDA_OBJ_DRIVER_LIBRARY", "default search"))
        + ", %d at once" % w.jobs
    )
    for outcome, n in sorted(w.outcomes.items()):
        print("#   %-40s %d" % (outcome, n))
    for f in w.failures:
        print("FAIL " + f)
    print("# %d failures" % len(w.failures))

    return 1 if w.failures else 0


if __name__ == "__main__":
    sys.exit(main())
