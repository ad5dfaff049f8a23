"""The installed package under a real systemd: this machine has no systemd as PID 1, so the
test boots one in a container (systemd-nspawn, from systemd-container) on this machine's own
/usr, with the package's /etc/floorwatch, the enable links of /etc/systemd/system and the
system user bound in read-only, and a fresh /var. The container shares this machine's
network, so the daemon's input and /metrics are reached from here.

What it shows, that starting the daemon by hand (test_package.Running) cannot: the enabled
unit starts at boot, under its whole sandbox (seccomp filter, address families, read-only
system), reaches READY (Type=notify), reloads and stops cleanly. It found that the shipped
sandbox aborted the daemon in libzmq (sched_setscheduler and netlink were refused).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.request

import yaml
import zmq

from harness import Metrics, wait_until

NSPAWN = shutil.which("systemd-nspawn")
CONFIG = "/etc/floorwatch/floorwatch.yaml"


def get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read().decode()


def children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def comm(pid):
    with open(f"/proc/{pid}/comm") as f:
        return f.read().strip()


class Container:
    """systemd booted by systemd-nspawn; run() executes a command in it (nsenter)."""

    def __init__(self, log_path):
        self.log = open(log_path, "w")
        binds = ["/etc/floorwatch", "/etc/systemd/system", "/etc/passwd", "/etc/group"]
        self.proc = subprocess.Popen(
            [NSPAWN, "-D", "/", "--volatile=yes", "--register=no", "--keep-unit", "-M", "floorwatch-test"]
            + [f"--bind-ro={b}" for b in binds] + ["--boot", "systemd.firstboot=off"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        self.pid1 = wait_until(self.find_init, 30, "systemd to start in the container")

    def find_init(self):
        """The container's PID 1: the first `systemd` below systemd-nspawn."""
        todo = [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                if pid != self.proc.pid and comm(pid) == "systemd":
                    return pid
                todo += children(pid)
            except OSError:
                continue
        return None

    def run(self, *cmd):
        return subprocess.run(["nsenter", "-t", str(self.pid1), "-m", "-u", "-i", "-p", *cmd],
                              capture_output=True, text=True, timeout=60)

    def systemctl(self, *args):
        return self.run("systemctl", *args).stdout.strip()

    def stop(self):
        self.proc.terminate()  # systemd-nspawn shuts the container down on SIGTERM
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class UnderSystemd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CONFIG):  # checked when the class runs: the install comes first
            raise unittest.SkipTest("the package is not installed")
        if NSPAWN is None:
            raise AssertionError("systemd-nspawn is missing: tools/package.sh --deps installs systemd-container")
        config = yaml.safe_load(open(CONFIG))
        cls.http = "http://" + config["http"]["listen"]
        cls.endpoint = [i for i in config["inputs"] if i.get("socket") == "pull"][0]["endpoint"]
        cls.dir = tempfile.mkdtemp(prefix="floorwatch-nspawn-")
        cls.box = Container(os.path.join(cls.dir, "container.log"))
        # Until the container's systemd answers on its bus, and has finished booting (it
        # says running, or degraded when some unit of this machine's own failed there).
        wait_until(lambda: cls.box.systemctl("is-system-running", "--wait") in ("running", "degraded"), 60,
                   "the container's systemd booted")

    @classmethod
    def tearDownClass(cls):
        cls.box.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def metrics(self):
        return Metrics(get(self.http + "/metrics")[1])

    def test_1_the_enabled_unit_started_at_boot_and_serves(self):
        self.assertEqual(self.box.systemctl("is-enabled", "floorwatchd"), "enabled")
        state = wait_until(lambda: (lambda s: s if s in ("active", "failed") else None)(
            self.box.systemctl("is-active", "floorwatchd")), 30, "floorwatchd active or failed")
        self.assertEqual(state, "active", self.box.run("journalctl", "-u", "floorwatchd", "--no-pager").stdout)
        self.assertEqual(get(self.http + "/healthz")[0], 200)

    def test_2_it_runs_in_its_sandbox_as_the_system_user(self):
        pid = self.box.systemctl("show", "-p", "MainPID", "--value", "floorwatchd")
        status = self.box.run("cat", f"/proc/{pid}/status").stdout
        self.assertRegex(status, r"\nSeccomp:\t2\n")  # the SystemCallFilter= is on
        self.assertRegex(status, r"\nNoNewPrivs:\t1\n")
        self.assertEqual(self.box.systemctl("show", "-p", "User", "--value", "floorwatchd"), "_floorwatch")

    def test_3_events_pushed_to_its_input_show_in_metrics(self):
        t = int(time.time() * 1000) - 10_000
        ctx = zmq.Context()
        push = ctx.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 2000)
        push.connect(self.endpoint)
        for i in range(3):
            push.send(json.dumps({"type": "contact.queued", "ts": t + i, "contact": f"n{i}",
                                  "queue": "support-en", "channel": "chat"}).encode())
        push.close()
        ctx.term()
        m = wait_until(lambda: (lambda m: m if m.get("floorwatch_events_applied_total") >= 3 else None)(
            self.metrics()), 15, "the events applied")
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="support-en", channel="chat"), 3)

    def test_4_systemctl_reload_reloads_and_stop_exits_0(self):
        loaded = "floorwatch_config_last_reload_success_timestamp_seconds"
        before = self.metrics().get(loaded)
        time.sleep(1.1)  # the timestamp has whole seconds
        self.assertEqual(self.box.run("systemctl", "reload", "floorwatchd").returncode, 0)
        wait_until(lambda: self.metrics().get(loaded) > before, 10, "the config reloaded")
        self.assertEqual(self.metrics().get("floorwatch_config_last_reload_successful"), 1)
        self.assertEqual(self.box.systemctl("is-active", "floorwatchd"), "active")
        self.assertEqual(self.box.run("systemctl", "stop", "floorwatchd").returncode, 0)
        self.assertEqual(self.box.systemctl("show", "-p", "ExecMainStatus", "--value", "floorwatchd"), "0")
        self.assertEqual(self.box.systemctl("is-active", "floorwatchd"), "inactive")
