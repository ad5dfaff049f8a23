"""The whole table of bench/run.py: one row per figure of docs/performance.md, each with the
peer it is compared with in the same run (or the target it is held to, where the figure has
no process to compare with), the ratio value / peer, the target and whether it is met; the
machine it ran on; and the smoke check (every figure well-formed and positive).

A row is a plain dict (figure, value, unit, peer, peer_value, peer_unit, ratio, target, met,
source), so the JSON output is the rows as they are; `met` is None where there is no target.
"""

import datetime
import math
import os
import platform


def _first(path, prefix):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def machine():
    """What the figures ran on; the load average is read again at the end (`finish`)."""
    mem_kib = _first("/proc/meminfo", "MemTotal")
    return {"cpu": _first("/proc/cpuinfo", "model name"), "cores": os.cpu_count(),
            "ram_gib": round(int(mem_kib.split()[0]) / 2**20, 1) if mem_kib != "?" else None,
            "kernel": platform.release(), "os": _os_name(), "started": datetime.datetime.now().isoformat(timespec="seconds"),
            "load_average_start": list(os.getloadavg())}


def _os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "?"


def finish(info):
    info["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    info["load_average_end"] = list(os.getloadavg())


def row(figure, value, unit, peer, peer_value, peer_unit, target=None, met=None, source=""):
    """One figure against its peer; `met(value, ratio)` decides the target, if there is one."""
    ratio = value / peer_value if _number(value) and _number(peer_value) and peer_value else None
    ok = None
    if met is not None and _number(value):
        ok = bool(met(value, ratio))
    return {"figure": figure, "value": value, "unit": unit, "peer": peer, "peer_value": peer_value,
            "peer_unit": peer_unit, "ratio": ratio, "target": target, "met": ok, "source": source}


def _number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def malformed(r):
    """Why a row is not a well-formed positive figure (None if it is): value, peer and ratio
    finite and above 0; only a row whose peer is "none: ..." has no peer value."""
    if r["peer_value"] is None and not r["peer"].startswith("none"):
        return f"no figure for its peer ({r['peer']})"
    for key in ("value", "peer_value", "ratio"):
        if key != "value" and r["peer_value"] is None:
            continue
        if not _number(r[key]) or r[key] <= 0:
            return f"{key} is {r[key]!r}"
    return None


def fmt(x):
    if not _number(x):
        return "-" if x is None else str(x)
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:.2f} M"
    if a >= 1e4:
        return f"{x / 1e3:.0f} k"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 0.01:
        return f"{x:.3g}"
    return f"{x:.2g}"


def _cells(r):
    met = {True: "met", False: "not met", None: "-"}[r["met"]]
    peer = r["peer"]
    if r["peer_value"] is not None:
        peer += f": {fmt(r['peer_value'])} {r['peer_unit']}".rstrip()
    return [r["figure"], f"{fmt(r['value'])} {r['unit']}".rstrip(), peer, fmt(r["ratio"]), r["target"] or "-", met]


HEADER = ["figure", "value", "same-run peer / baseline", "ratio", "target", "met"]


def machine_line(info):
    la = lambda v: " / ".join(f"{x:.2f}" for x in v)  # noqa: E731
    return (f"{info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, {info['os']}, kernel "
            f"{info['kernel']}; load average (1/5/15 min) {la(info['load_average_start'])} at start "
            f"({info['started']}), {la(info.get('load_average_end', [0, 0, 0]))} at end "
            f"({info.get('finished', '?')})")


def text(rows, info):
    cells = [HEADER] + [_cells(r) for r in rows]
    widths = [min(60, max(len(c[i]) for c in cells)) for i in range(len(HEADER))]
    lines = ["  ".join(c[i].ljust(widths[i]) for i in range(len(HEADER))).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines + ["", "machine: " + machine_line(info)])


def markdown(rows, info, command):
    out = [f"Machine: {machine_line(info)}.", "", f"Command: `{command}`", "",
           "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in _cells(r)) + " |")
    return "\n".join(out) + "\n"
