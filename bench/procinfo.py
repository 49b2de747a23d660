"""Process facts from /proc for the benchmarks: resident memory, children, process groups."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def rss_mib(pids: Iterable[int]) -> float:
    """Resident memory of these processes together, in MiB (processes gone meanwhile count 0)."""
    kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kib += int(line.split()[1])
        except OSError:
            pass
    return kib / 1024


def children(pid: int) -> list[int]:
    """Direct children of a process (claimgraph's query workers of a server), whichever thread
    started them (/proc/PID/task/PID/children lists only the main thread's)."""
    return _matching(1, pid)  # field 4 of stat, ppid


def group(pgid: int) -> list[int]:
    """Every process in a process group (a server started with start_new_session and its workers)."""
    return _matching(2, pgid)  # field 5 of stat, pgrp


def _matching(field: int, value: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[field]) == value:
                out.append(int(d.name))
    return out
