#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""report: turns the benchmarks' JSON lines into the markdown tables of
docs/benchmarks.md, with device, driver and date, and the verdict on every
target.

  report.py [--output FILE] RESULTS.jsonl...   the report ('-': stdin)
  report.py --convert-compile-cache < TEXT     compile-cache.c's text output
                                               as JSON lines

Input lines that are not JSON objects are ignored, so a benchmark's whole
output can be fed in. Objects:
  {"type": "meta", ...}    what ran where: device, driver, date, ...
  {"type": "result", "suite", "case", "path", "median", "min", "max",
   "unit", "repeats", "iterations", "baseline",
   "target": {"max_ratio": R}           value / baseline's value <= R
   "targets": [{"vs": PATH, "max_ratio": R} | {"vs": PATH, "min_ratio": R}
               | {"max_value": V}, ...]}   (min_ratio: for throughputs)
   (a "vs" target may name another suite of the same run with "suite":
   GJS against the C benchmark's raw driver rows, for instance)
  {"type": "note", "suite", "text"}   what was not measured, and why
  {"type": "skip", "program", "reason"} / {"type": "failure", ...}
Exit status: 0, or 1 when a result line is malformed.
"""
import argparse
import json
import re
import sys

SUITES = [
    ("launch", "Kernel launch, C API", "µs per launch"),
    ("launch-python", "Kernel launch from Python, in one interpreter", "µs per launch"),
    ("launch-gjs", "Kernel launch from GJS", "µs per launch"),
    ("launch-threads", "Kernel launch from 8 threads, each with its own stream", "millions of launches per second"),
    ("copies", "Copies (each including the stream synchronize)", "µs per copy"),
    ("allocation", "Stream-ordered allocate + free, C API", "µs per pair"),
    ("allocation-python", "Stream-ordered allocate + free from Python", "µs per pair"),
    ("vmm-grow", "Growing a 1 GiB buffer by 1 GiB", "ms per grow"),
    ("pinned-allocation", "Pinned host memory: pool next to legacy, C API", "µs per pair"),
    ("copy-batch", "Batched copies next to single copies, C API", "µs per 1,000 copies"),
    ("compile", "Compile and compile cache, C API", "ms per compile"),
    ("compile-python", "Compile cache from Python, next to CuPy", "ms"),
    ("signal", "Completion notice in a GLib main loop", "µs launch to notice"),
    ("conditional", "A loop the GPU ends: while node vs host loop", "µs per iteration"),
    ("green-context", "Small kernel on a busy device, with and without a green context", "µs launch to completion"),
    ("nccl", "NCCL all-reduce call, C API, one rank", "µs per call"),
    ("nccl-busbw", "NCCL all-reduce bus bandwidth, next to torch.distributed", "GB/s"),
    ("ipc", "Sharing a buffer with another process, C API", "µs per buffer"),
    ("graph", "A 20-kernel graph, explicit next to captured, C API", "µs"),
    ("file-io", "File into device memory: cuFile next to read() and a copy", "ms per read"),
]
TITLES = {s: (t, u) for s, t, u in SUITES}

COMPILE_CASE = "saxpy<float>, saxpy<double> to CUBIN"
COMPILE_COLD = "NVRTC cold (cache off)"


def convert_compile_cache(text):
    """compile-cache.c prints medians in milliseconds; each becomes a row."""
    head = re.search(r"to CUBIN for (\S+), median of (\d+) runs", text)
    values = dict(re.findall(r"^\s+(cold|miss|hit)\s.*?([0-9.]+) ms\s*$", text, re.M))
    if not head or set(values) != {"cold", "miss", "hit"}:
        return [{"type": "failure", "program": "compile-cache",
                 "reason": "its output did not have the expected cold/miss/hit lines"}]
    arch, runs = head.group(1), int(head.group(2))
    case = "%s (%s)" % (COMPILE_CASE, arch)

    def row(path, key, baseline=None, targets=None):
        r = {"type": "result", "suite": "compile", "case": case, "path": path, "median": float(values[key]),
             "unit": "ms", "repeats": runs, "iterations": 1, "baseline": baseline}
        if targets:
            r["targets"] = targets
        return r
    # The targets: a hit under 1 ms and at least 10x faster than a cold compile.
    return [{"type": "meta", "program": "compile-cache", "arch": arch, "repeats": runs},
            row(COMPILE_COLD, "cold"),
            row("cache miss (compile + store)", "miss", COMPILE_COLD),
            row("cache hit (file read)", "hit", COMPILE_COLD,
                [{"vs": COMPILE_COLD, "max_ratio": 0.1}, {"max_value": 1.0}])]


def read_lines(paths):
    objects = []
    for path in paths:
        f = sys.stdin if path == "-" else open(path, encoding="utf-8")
        with f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if isinstance(obj, dict) and "type" in obj:
                    objects.append(obj)
    return objects


def check_result(row):
    for key in ("suite", "case", "path", "median", "unit"):
        if key not in row:
            raise ValueError("result without %r: %s" % (key, json.dumps(row)))


def fmt(value):
    if value is None:
        return "-"
    if value == 0:
        return "0"
    if abs(value) < 10:
        return "%.3f" % value
    if abs(value) < 1000:
        return "%.2f" % value
    return "%.1f" % value


def targets_of(row):
    targets = list(row.get("targets") or [])
    if row.get("target") and row.get("baseline"):
        targets.append(dict(row["target"], vs=row["baseline"]))
    return targets


def evaluate(row, index):
    """[(description, measured, verdict)] for each target of ``row``."""
    out = []
    for t in targets_of(row):
        if "vs" in t:
            base = index.get((t.get("suite", row["suite"]), row["case"], t["vs"]))
            if "min_ratio" in t:
                what = "%s ≥ %g × %s" % (row["path"], t["min_ratio"], t["vs"])
            else:
                what = "%s ≤ %g × %s" % (row["path"], t["max_ratio"], t["vs"])
            if base is None or not base["median"]:
                out.append((what, "%s not measured" % t["vs"], "n/a"))
                continue
            ratio = row["median"] / base["median"]
            met = ratio >= t["min_ratio"] if "min_ratio" in t else ratio <= t["max_ratio"]
            out.append((what, "%s× (%s vs %s %s)" % (fmt(ratio), fmt(row["median"]), fmt(base["median"]),
                                                    row["unit"]),
                        "PASS" if met else "MISS"))
        elif "max_value" in t:
            what = "%s < %g %s" % (row["path"], t["max_value"], row["unit"])
            out.append((what, "%s %s" % (fmt(row["median"]), row["unit"]),
                        "PASS" if row["median"] < t["max_value"] else "MISS"))
    return out


def merged_meta(metas):
    """One description of the run from every program's meta line."""
    keys = ("device", "compute_capability", "driver", "cuda_driver_api", "date", "host", "library", "python",
            "pygobject", "gjs", "cuda_core", "cupy", "build")
    out = {}
    for m in metas:
        for k in keys:
            if k in m and m[k] not in (None, "") and k not in out:
                out[k] = m[k]
    return out


def report(objects):
    lines = []
    metas = [o for o in objects if o["type"] == "meta"]
    results = [o for o in objects if o["type"] == "result"]
    notes = [o for o in objects if o["type"] == "note"]
    skips = [o for o in objects if o["type"] in ("skip", "failure")]
    for r in results:
        check_result(r)
    index = {(r["suite"], r["case"], r["path"]): r for r in results}
    meta = merged_meta(metas)

    lines.append("**Device:** %s (compute capability %s) · **driver:** %s (CUDA driver API %s) · **date:** %s"
                 % (meta.get("device", "?"), meta.get("compute_capability", "?"), meta.get("driver", "?"),
                    meta.get("cuda_driver_api", "?"), meta.get("date", "?")))
    extra = ["%s %s" % (k, meta[k]) for k in ("host", "library", "python", "pygobject", "cuda_core", "cupy", "gjs")
             if k in meta]
    if extra:
        lines.append("")
        lines.append("Also: " + " · ".join(extra) + ".")
    if any(m.get("quick") for m in metas):
        lines.append("")
        lines.append("**Quick (smoke) run: fewer iterations; not a measurement to quote.**")

    verdicts = []
    suites = [s for s, _, _ in SUITES] + sorted({r["suite"] for r in results} - set(TITLES))
    for suite in suites:
        rows = [r for r in results if r["suite"] == suite]
        suite_notes = [n for n in notes if n.get("suite") == suite]
        if not rows and not suite_notes:
            continue
        title, unit = TITLES.get(suite, (suite, ""))
        lines += ["", "### %s (%s)" % (title, unit), ""]
        if rows:
            lines.append("| case | path | median | min – max | ratio | target |")
            lines.append("| --- | --- | ---: | ---: | ---: | --- |")
            for r in rows:
                base = index.get((suite, r["case"], r.get("baseline"))) if r.get("baseline") else None
                ratio = "%s× %s" % (fmt(r["median"] / base["median"]), r["baseline"]) \
                    if base and base["median"] else ("baseline" if any(
                        x.get("baseline") == r["path"] for x in rows if x["case"] == r["case"]) else "")
                evaluated = evaluate(r, index)
                target = "; ".join("%s %s" % (v, what) for what, _, v in evaluated)
                for what, measured, v in evaluated:
                    verdicts.append((suite, r["case"], what, measured, v))
                spread = "%s – %s" % (fmt(r["min"]), fmt(r["max"])) if "min" in r and "max" in r else ""
                lines.append("| %s | %s | %s | %s | %s | %s |" % (r["case"], r["path"], fmt(r["median"]), spread,
                                                                   ratio, target))
        for n in suite_notes:
            lines.append("")
            lines.append("- Not measured: %s" % n["text"])

    lines += ["", "### Targets", ""]
    if verdicts:
        lines.append("| suite | case | target | measured | verdict |")
        lines.append("| --- | --- | --- | --- | --- |")
        for suite, case, what, measured, v in verdicts:
            lines.append("| %s | %s | %s | %s | **%s** |" % (suite, case, what, measured, v))
        n_pass = sum(1 for v in verdicts if v[4] == "PASS")
        n_miss = sum(1 for v in verdicts if v[4] == "MISS")
        lines.append("")
        lines.append("%d of %d targets met; %d missed; %d not measurable."
                     % (n_pass, len(verdicts), n_miss, len(verdicts) - n_pass - n_miss))
    else:
        lines.append("No target was measured.")
    if skips:
        lines += ["", "### Not run", ""]
        for s in skips:
            program, reason = s.get("program", "?"), s.get("reason", "")
            if reason.startswith(program + ": "):
                reason = reason[len(program) + 2:]
            lines.append("- %s: %s%s" % (program, "" if s["type"] == "skip" else "FAILED: ", reason))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="*", help="files of JSON lines ('-' for stdin)")
    parser.add_argument("--output", help="write the report here as well as to stdout")
    parser.add_argument("--convert-compile-cache", action="store_true",
                        help="read compile-cache.c's output on stdin, print JSON lines")
    opts = parser.parse_args()
    if opts.convert_compile_cache:
        for obj in convert_compile_cache(sys.stdin.read()):
            print(json.dumps(obj))
        return 0
    try:
        text = report(read_lines(opts.inputs or ["-"]))
    except ValueError as e:
        print("report: %s" % e, file=sys.stderr)
        return 1
    sys.stdout.write(text)
    if opts.output:
        with open(opts.output, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
