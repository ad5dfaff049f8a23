"""Test helpers for the simulator's forecast file (tools/floorsim.py --write-forecast): the
arguments tools/demo.sh runs the simulator with, writing a forecast with them or with a
test's own, reading one back, and a copy of config/demo.yaml beside the forecast it names."""

import csv
import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zoneinfo

import yaml

from harness import ROOT

FLOORSIM = os.path.join(ROOT, "tools", "floorsim.py")


def demo_simulator_args():
    """The simulator's arguments in tools/demo.sh, its ${VAR:-default}s at their defaults."""
    with open(os.path.join(ROOT, "tools", "demo.sh")) as f:
        text = f.read().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if "tools/floorsim.py" in line and not line.lstrip().startswith("#"))
    line = re.sub(r'"?\$\{\w+:-([^}]*)\}"?', r"\1", line.split("tools/floorsim.py", 1)[1])
    return shlex.split(line.split("&")[0])


def option(args, name):
    return args[args.index(name) + 1]


def write_forecast(path, args):
    """Runs floorsim --forecast-only with `args` (any --write-forecast in them replaced by path)."""
    args = list(args)
    if "--write-forecast" in args:
        del args[args.index("--write-forecast"):args.index("--write-forecast") + 2]
    r = subprocess.run([sys.executable, FLOORSIM, *args, "--write-forecast", path, "--forecast-only"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stderr


def read_forecast(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def demo_yaml():
    with open(os.path.join(ROOT, "config", "demo.yaml")) as f:
        return yaml.safe_load(f)


def demo_tree():
    """A temporary copy of config/demo.yaml, as shipped, with the forecast tools/demo.sh would
    write at the place its forecast.file names (relative to the config's directory): the
    copy's path, for floorwatchd --check-config. The caller removes dirname(dirname(path))."""
    top = tempfile.mkdtemp(prefix="floorwatch-demo-")
    config_dir = os.path.join(top, "config")
    os.makedirs(config_dir)
    shutil.copy(os.path.join(ROOT, "config", "demo.yaml"), config_dir)
    forecast = os.path.normpath(os.path.join(config_dir, demo_yaml()["forecast"]["file"]))
    os.makedirs(os.path.dirname(forecast), exist_ok=True)
    write_forecast(forecast, demo_simulator_args())
    return os.path.join(config_dir, "demo.yaml")


def current_rows(rows, timezones, now, length):
    """{(queue, channel): row} of the rows whose interval [start, start + length s) holds
    `now` (UTC seconds), each queue's interval_start read in its time zone (timezones:
    queue -> zone name)."""
    out = {}
    for row in rows:
        zone = zoneinfo.ZoneInfo(timezones[row["queue"]])
        start = datetime.datetime.strptime(row["interval_start"], "%Y-%m-%dT%H:%M").replace(tzinfo=zone).timestamp()
        if start <= now < start + length:
            out[(row["queue"], row["channel"])] = row
    return out


def demo_timezones():
    """queue -> time zone, as config/demo.yaml sets them."""
    config = demo_yaml()
    default = config["defaults"]["timezone"]
    return {q["id"]: q.get("timezone", default) for q in config["queues"]}
