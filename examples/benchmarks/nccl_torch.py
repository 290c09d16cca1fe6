# SPDX-License-Identifier: LGPL-2.1-or-later
"""nccl_torch: torch.distributed's all-reduce bus bandwidth (NCCL backend),
the peer of nccl-all-reduce.c's rows: the same sizes (8 B to 1 GiB, x8 each
step), in-place float32 all-reduces, bus bandwidth as nccl-tests defines it
(size / time x 2 (n - 1) / n). torch.distributed runs one process per GPU,
started here with torch.multiprocessing on 127.0.0.1; rank 0 prints the rows.

  nccl_torch.py [--quick] [--repeats N]

Exits 77 with the reason without PyTorch or without two GPUs. NVLink
multicast is off (NCCL_NVLS_ENABLE=0, TORCH_SYMM_MEM_DISABLE_MULTICAST=1).
"""
import argparse
import os
import socket
import sys

from benchlib import emit, emit_samples, skip

PROGRAM = "nccl_torch"
# nccl-all-reduce.c compares its rows with this path.
TORCH_PATH = "torch.distributed (NCCL, one process per GPU)"


def worker(rank, world, port, repeats, quick):
    import torch
    import torch.distributed as dist

    torch.cuda.set_device(rank)
    dist.init_process_group("nccl", init_method="tcp://127.0.0.1:%d" % port, rank=rank, world_size=world)
    max_bytes = 1 << 30
    buf = torch.zeros(max_bytes // 4, dtype=torch.float32, device="cuda")
    size = 8
    while size <= max_bytes:
        view = buf[:max(size // 4, 1)]
        n = (20 if quick else 200) if size <= (1 << 20) else (3 if quick else 20)
        samples = []
        for r in range(repeats + 1):
            torch.cuda.synchronize()
            dist.barrier()
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            for _ in range(n):
                dist.all_reduce(view)
            end.record()
            end.synchronize()
            seconds = start.elapsed_time(end) / 1000.0 / n
            if r > 0:  # the first round warms up
                samples.append(size / seconds * 2.0 * (world - 1) / world / 1e9)
        if rank == 0:
            median = emit_samples("nccl-busbw", "%d B, %d GPUs" % (size, world), TORCH_PATH, samples, "GB/s", n,
                                  torch=torch.__version__, nccl=".".join(map(str, torch.cuda.nccl.version())))
            print("  %12d B  %8.2f GB/s" % (size, median), flush=True)
        size *= 8
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 10)
    os.environ.setdefault("NCCL_NVLS_ENABLE", "0")
    os.environ.setdefault("TORCH_SYMM_MEM_DISABLE_MULTICAST", "1")
    try:
        import torch
        import torch.multiprocessing as mp
    except ImportError as e:
        skip(PROGRAM, "no PyTorch: %s" % e)
    if not torch.cuda.is_available() or torch.cuda.device_count() < 2:
        skip(PROGRAM, "bus bandwidth needs two GPUs; this machine has %d" % torch.cuda.device_count())
    world = torch.cuda.device_count()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    emit({"type": "meta", "program": PROGRAM, "torch": torch.__version__, "gpus": world,
          "repeats": repeats, "quick": args.quick})
    print("All-reduce bus bandwidth, torch.distributed over %d GPUs, GB/s" % world, flush=True)
    mp.spawn(worker, args=(world, port, repeats, args.quick), nprocs=world, join=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
