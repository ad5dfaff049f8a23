"""floorwatch-bridge in tests: the real bridge process, and what a queue_log file says by itself.

`file_figures` reads a queue_log the way a supervisor would check it by hand: Asterisk's own
holdtime (CONNECT data1) and calltime (COMPLETE* data2, the transfers' next-to-last field)
fields, one call entry at a time. It shares no code with the bridge.
"""

import collections
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request

from harness import ROOT, Metrics

BRIDGE = os.environ.get("FLOORWATCH_BRIDGE", os.path.join(ROOT, "build", "floorwatch-bridge"))
QUEUE_LOG = os.path.join(ROOT, "bridge", "testdata", "asterisk", "queue_log")
SL_SECONDS = 20

DAEMON_CONFIG = f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind{{replay}}}}
defaults: {{service_level: {{threshold_seconds: {SL_SECONDS}}}}}
{{state}}"""


def daemon_config(replay=None, state=False):
    return (DAEMON_CONFIG.replace("{replay}", f', replay: "{replay}", replay_timeout: 3s' if replay else "")
            .replace("{state}", 'state: {dir: "{dir}/state", snapshot_interval: 2s}\n' if state else ""))


def read_lines(path=QUEUE_LOG):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "surrogateescape").splitlines()


COMPLETES = ("COMPLETECALLER", "COMPLETEAGENT")
TRANSFERS = ("BLINDTRANSFER", "ATTENDEDTRANSFER", "TRANSFER")
ABANDONS = {"ABANDON": "customer", "EXITWITHKEY": "key", "EXITWITHTIMEOUT": "timeout", "EXITEMPTY": "no_agents"}


def file_figures(lines):
    """Per queue: offered, answered, answered within SL_SECONDS, abandoned by reason, handled,
    waiting and connected at the end, wait (sum of holdtime), talk (sum of calltime, and sum of
    the line timestamps' differences)."""
    per_queue = collections.defaultdict(lambda: dict(
        offered=0, answered=0, answered_in_sl=0, handled=0, wait_s=0, calltime_s=0, talk_ts_s=0,
        abandoned={r: 0 for r in ABANDONS.values()}))
    entries = collections.Counter()
    calls = {}  # (callid, entry) -> [queue, state, connect ts]
    for line in lines:
        f = line.split("|")
        if len(f) < 5 or not f[0].isdigit():
            continue
        ts, callid, queue, verb, data = int(f[0]), f[1], f[2], f[4], f[5:]
        if verb == "ENTERQUEUE":
            entries[callid] += 1
            calls[(callid, entries[callid])] = [queue, "waiting", None]
            per_queue[queue]["offered"] += 1
            continue
        call = calls.get((callid, entries[callid]))
        if call is None:
            continue
        q = per_queue[call[0]]
        if verb == "CONNECT":
            q["answered"] += 1
            q["wait_s"] += int(data[0])
            q["answered_in_sl"] += int(data[0]) <= SL_SECONDS
            call[1:] = ["connected", ts]
        elif verb in COMPLETES or verb in TRANSFERS:
            q["handled"] += 1
            q["calltime_s"] += int(data[1] if verb in COMPLETES else data[-2])
            q["talk_ts_s"] += ts - call[2]
            call[1] = "over"
        elif verb in ABANDONS:
            q["abandoned"][ABANDONS[verb]] += 1
            call[1] = "over"
    for (queue, state, _) in calls.values():
        per_queue[queue].setdefault("waiting", 0)
        per_queue[queue].setdefault("connected", 0)
        if state == "waiting":
            per_queue[queue]["waiting"] += 1
        elif state == "connected":
            per_queue[queue]["connected"] += 1
    return dict(per_queue)


def verb_counts(lines):
    return collections.Counter(l.split("|")[4] for l in lines if l.count("|") >= 4)


def daemon_differences(m, figures):
    """Where the daemon's /metrics differ from file_figures (talk: the timestamps' sum)."""
    diffs = []
    for queue, want in figures.items():
        labels = dict(queue=queue, channel="voice")
        got = {
            "offered": m.get("floorwatch_queue_offered_total", **labels),
            "answered": m.get("floorwatch_queue_answered_total", **labels),
            "answered_in_sl": m.get("floorwatch_queue_answered_in_sl_total", **labels),
            "handled": m.get("floorwatch_queue_handled_total", **labels),
            "waiting": m.get("floorwatch_queue_waiting_contacts", **labels),
            "connected": m.get("floorwatch_queue_active_contacts", **labels),
            "wait_s": m.get("floorwatch_queue_wait_seconds_sum", **labels),
            "talk_ts_s": m.get("floorwatch_queue_talk_seconds_total", **labels),
        }
        for key, value in got.items():
            if value != want[key]:
                diffs.append(f"{queue} {key}: daemon {value}, file {want[key]}")
        for reason, n in want["abandoned"].items():
            value = m.get("floorwatch_queue_abandoned_by_reason_total", reason=reason, **labels)
            if value != n:
                diffs.append(f"{queue} abandoned {reason}: daemon {value}, file {n}")
    return diffs


class Bridge:
    """floorwatch-bridge with `args`, its log in a temp file; endpoints read from the log."""

    def __init__(self, args, log_dir=None):
        self.args = [BRIDGE] + list(args)
        self.log_path = os.path.join(log_dir or tempfile.mkdtemp(prefix="bridge-test-"), "bridge.log")
        self.log = open(self.log_path, "a")
        self.start()

    def start(self, wait=True):
        self.offset = os.path.getsize(self.log_path)
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT)
        self.metrics_port = self.replay_endpoint = None
        if wait:
            self.wait_log(r"running as source|bridge stopped|cannot start|error", what="start-up")
            text = self.read_log()
            m = re.search(r"metrics listening on \S+:(\d+)", text)
            self.metrics_port = int(m.group(1)) if m else None
            m = re.search(r"replay bound to (\S+)", text)
            self.replay_endpoint = m.group(1) if m else None

    def read_log(self, whole=False):
        with open(self.log_path, errors="replace") as f:
            return f.read() if whole else f.read()[self.offset:]

    def wait_log(self, pattern, timeout=15, what=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.read_log()):
                return
            if self.proc.poll() is not None and not re.search(pattern, self.read_log()):
                raise AssertionError(f"bridge exited {self.proc.returncode}:\n{self.read_log()}")
            time.sleep(0.05)
        raise AssertionError(f"bridge: no {what or pattern} within {timeout}s:\n{self.read_log()}")

    def wait(self, timeout=60):
        return self.proc.wait(timeout=timeout)

    def published(self):
        """Events published, from its last 'bridge stopped' line."""
        return int(re.findall(r"(\d+) published", self.read_log())[-1])

    def metrics(self):
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as r:
            return Metrics(r.read().decode())

    def kill(self):
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def check(*args):
    """(returncode, output) of floorwatch-bridge ... --check."""
    r = subprocess.run([BRIDGE, *args, "--check"], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr
