"""Test harness: starts the real floorwatchd, publishes from python3-zmq, scrapes over HTTP.

Ports are never fixed: HTTP listens on port 0 and ZeroMQ binds wildcard ports; the real
ports are read from the daemon's log or the publisher's socket.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import zmq

FLOORWATCHD = os.environ.get("FLOORWATCHD", "build/floorwatchd")
ROOT = os.environ.get("FLOORWATCH_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "../..")))

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Prometheus text -> {(name, frozenset(labels.items())): float}."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        assert m, f"unparseable exposition line: {line!r}"
        labels = frozenset(_LABEL.findall(m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


class Metrics:
    def __init__(self, text):
        self.text = text
        self.samples = parse_metrics(text)

    def get(self, name, **labels):
        key = (name, frozenset(labels.items()))
        if key not in self.samples:
            raise KeyError(f"no series {name}{labels}")
        return self.samples[key]

    def series(self, name):
        return {dict(k[1]).__repr__(): v for k, v in self.samples.items() if k[0] == name}

    def total(self, name, **labels):
        want = set(labels.items())
        return sum(v for (n, ls), v in self.samples.items() if n == name and want <= set(ls))


class Daemon:
    """floorwatchd running with a config written to a temp dir."""

    def __init__(self, config_text, env=None):
        self.dir = tempfile.mkdtemp(prefix="floorwatch-test-")
        self.config_path = os.path.join(self.dir, "floorwatch.yaml")
        self.log_path = os.path.join(self.dir, "daemon.log")
        self.write_config(config_text.replace("{dir}", self.dir))
        self.env = env
        self.log = open(self.log_path, "w")
        self._start()

    def _start(self):
        offset = os.path.getsize(self.log_path)
        self.proc = subprocess.Popen([FLOORWATCHD, "--config", self.config_path],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, **(self.env or {})))
        self.port = None
        self.inputs = {}
        deadline = time.time() + 10
        while time.time() < deadline and self.port is None:
            text = self.read_log()[offset:]
            m = re.search(r"http listening on [^\s]+:(\d+)", text)
            if m:
                self.port = int(m.group(1))
                for idx, endpoint in re.findall(r"input (\d+) \w+ bound to (\S+)", text):
                    self.inputs[int(idx)] = endpoint
            elif self.proc.poll() is not None:
                raise RuntimeError(f"floorwatchd exited with {self.proc.returncode}:\n{text}")
            else:
                time.sleep(0.05)
        if self.port is None:
            raise RuntimeError("floorwatchd did not start:\n" + self.read_log())

    def kill(self):
        """SIGKILL: no chance to flush or snapshot."""
        self.proc.kill()
        self.proc.wait()

    def restart(self):
        """Starts floorwatchd again with the same config (and so the same state.dir)."""
        assert self.proc.poll() is not None, "still running"
        self._start()

    def write_config(self, text):
        with open(self.config_path, "w") as f:
            f.write(text)

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path):
        """(status, body) of a GET."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def metrics(self):
        status, body = self.get("/metrics")
        assert status == 200, status
        return Metrics(body)

    def queues(self):
        status, body = self.get("/api/v1/queues")
        assert status == 200, status
        return json.loads(body)

    def wait_for(self, predicate, timeout=15, what="condition"):
        """Scrapes until predicate(metrics) is true; returns the last Metrics."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = self.metrics()
            if predicate(last):
                return last
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; last scrape:\n" +
                             "\n".join(l for l in (last.text if last else "").splitlines()
                                       if l.startswith("floorwatch_events")))

    def wait_received(self, n, timeout=15):
        return self.wait_for(lambda m: m.get("floorwatch_events_received_total") >= n, timeout,
                             f"{n} events received")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if not os.environ.get("FLOORWATCH_KEEP_TEST_DIRS"):
            shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode


class Publisher:
    """An outside event source: a PUSH (or PUB) socket of its own."""

    def __init__(self, kind=zmq.PUSH, connect=None, bind=False):
        self.ctx = zmq.Context()
        self.sock = self.ctx.socket(kind)
        self.sock.setsockopt(zmq.LINGER, 2000)
        self.endpoint = None
        if bind:
            port = self.sock.bind_to_random_port("tcp://127.0.0.1")
            self.endpoint = f"tcp://127.0.0.1:{port}"
        else:
            self.sock.connect(connect)
            self.endpoint = connect

    def send(self, event, topic=None):
        payload = event if isinstance(event, (bytes, bytearray)) else json.dumps(event).encode()
        if topic is None:
            self.sock.send(payload)
        else:
            self.sock.send_multipart([topic.encode(), payload])

    def close(self):
        self.sock.close()
        self.ctx.term()


class DaemonTestCase(unittest.TestCase):
    """Each test gets a daemon started from CONFIG and, when it has inputs, a PUSH publisher
    connected to the first one; both are stopped after the test (the daemon must exit 0)."""

    CONFIG = None

    def setUp(self):
        self.daemon = Daemon(self.CONFIG)
        self.pub = Publisher(zmq.PUSH, connect=self.daemon.inputs[0]) if self.daemon.inputs else None

    def tearDown(self):
        if self.pub is not None:
            self.pub.close()
        self.assertEqual(self.daemon.stop(), 0)


def wait_until(predicate, timeout, what):
    """Calls predicate until it returns something true, and returns that; fails after timeout s."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def check_config(text, path=None):
    """(returncode, stdout + stderr) of floorwatchd --check-config on `text`, written to `path`
    (a temporary file, removed afterwards, when not given)."""
    if path is None:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(text)
        try:
            return check_config(text, f.name)
        finally:
            os.unlink(f.name)
    with open(path, "w") as f:
        f.write(text)
    r = subprocess.run([FLOORWATCHD, "--check-config", path], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def bcrypt_hash(password):
    """A bcrypt hash for a web-config file, from Debian's python3-bcrypt (cost 4: quick)."""
    import bcrypt  # imported here: only the basic-auth tests need it
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


def floorsim(endpoint, *args, **popen):
    """Starts tools/floorsim.py publishing to `endpoint` with `args`; returns the Popen."""
    return subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "floorsim.py"), "--endpoint", endpoint,
                             *args], **popen)


def demo_config(forecast=None):
    """config/demo.yaml (queues, windows, alert rules) with its input swapped for a bound PULL,
    its HTTP port for port 0, and no durable state; its forecast file is `forecast` (a path,
    e.g. written by floorsim --write-forecast), or without one no forecast at all."""
    with open(os.path.join(ROOT, "config", "demo.yaml")) as f:
        text = f.read()
    text = re.sub(r"(?ms)^inputs:.*?^(?=windows:)",
                  'inputs:\n  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}\n', text)
    if forecast is None:
        text, n = re.subn(r"(?m)^forecast:\n(?:  .*\n)+", "", text)
    else:
        text, n = re.subn(r"(?m)^  file: .*$", f"  file: {json.dumps(forecast)}", text)
    assert n == 1, "config/demo.yaml: expected one forecast: section with a file"
    return text.replace('listen: "127.0.0.1:9464"', 'listen: "127.0.0.1:0"')


def free_port():
    """A TCP port free right now, for servers that cannot bind port 0 and report it."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http_ready(url, proc, timeout, what):
    """Polls url until it answers 200; fails early if proc exits."""
    deadline = time.time() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            raise RuntimeError(f"{what} did not become ready")
        time.sleep(0.1)


def now_ms():
    return int(time.time() * 1000)


def promtool_check(text):
    """(returncode, output) of promtool check metrics on an exposition."""
    r = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True)
    return r.returncode, (r.stdout + r.stderr).decode()


GROUND_TRUTH_COUNTERS = {  # floorsim ground-truth key -> (metric, scale)
    "offered": ("floorwatch_queue_offered_total", 1),
    "answered": ("floorwatch_queue_answered_total", 1),
    "answered_in_sl": ("floorwatch_queue_answered_in_sl_total", 1),
    "abandoned": ("floorwatch_queue_abandoned_total", 1),
    "transferred_out": ("floorwatch_queue_transferred_out_total", 1),
    "handled": ("floorwatch_queue_handled_total", 1),
    "talk_ms": ("floorwatch_queue_talk_seconds_total", 1000),
    "acw_ms": ("floorwatch_queue_acw_seconds_total", 1000),
    "wait_ms": ("floorwatch_queue_wait_seconds_sum", 1000),
}


def ground_truth_differences(m, truth):
    """Where the daemon's figures differ from floorsim's tally: every counter and gauge of every
    queue/channel, and the agents by state. Empty when they all agree."""
    diffs = []
    for key, t in truth["per_queue_channel"].items():
        labels = dict(queue=t["queue"], channel=t["channel"])
        for field, (metric, scale) in GROUND_TRUTH_COUNTERS.items():
            got = m.get(metric, **labels) * scale
            if abs(got - t[field]) > 1e-6 * scale:
                diffs.append(f"{key} {field}: daemon {got}, truth {t[field]}")
        for field, metric in (("waiting", "floorwatch_queue_waiting_contacts"),
                              ("active", "floorwatch_queue_active_contacts")):
            got, want = m.get(metric, **labels), truth[field].get(key, 0)
            if got != want:
                diffs.append(f"{key} {field}: daemon {got}, truth {want}")
    for state, n in truth["agents"].items():
        if m.get("floorwatch_agents", state=state) != n:
            diffs.append(f"agents {state}: daemon {m.get('floorwatch_agents', state=state)}, truth {n}")
    return diffs


def assert_matches_ground_truth(test, m, truth):
    test.assertEqual(ground_truth_differences(m, truth), [])
