#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Prints the CUDA toolkit root to build against, or nothing when none is found.

Order: CUDA_PATH, CUDA_HOME, the directory above nvcc on PATH, /usr/local/cuda.
A root counts when it has include/cuda.h.
"""
import os
import shutil


def candidates():
    for var in ("CUDA_PATH", "CUDA_HOME"):
        if os.environ.get(var):
            yield os.environ[var]
    nvcc = shutil.which("nvcc")
    if nvcc:
        yield os.path.dirname(os.path.dirname(os.path.realpath(nvcc)))
    yield "/usr/local/cuda"


for root in candidates():
    if os.path.isfile(os.path.join(root, "include", "cuda.h")):
        print(root)
        break
