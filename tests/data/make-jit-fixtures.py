#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Device code NVRTC cannot make, for the linker tests: a fatbin, a host
object and a static library holding `__device__ float helper(float)` for
sm_90, built with nvcc. Writes empty files where nvcc is missing or fails
(no host compiler, say): the tests that need them then skip."""
import os
import subprocess
import sys
import tempfile

SOURCE = "__device__ float helper(float v) { return v * 3.0f; }\n"


def main():
    nvcc, fatbin, obj, lib = sys.argv[1:5]
    outputs = {fatbin: ["-fatbin"], obj: ["-c"], lib: ["-lib"]}
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "helper.cu")
        with open(source, "w") as f:
            f.write(SOURCE)
        for output, mode in outputs.items():
            command = [nvcc, *mode, "-rdc=true", "-arch=sm_90", source, "-o", output]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=300)
                ok = result.returncode == 0
                why = result.stderr.strip()
            except (OSError, subprocess.SubprocessError) as e:
                ok, why = False, str(e)
            if not ok:
                print(f"could not make {output}: {why}", file=sys.stderr)
                open(output, "wb").close()


if __name__ == "__main__":
    main()
