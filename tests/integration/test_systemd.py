"""systemd integration: the notify protocol as systemd sees it (READY, WATCHDOG, RELOADING,
STOPPING) on a real unix datagram socket, and the shipped unit's hardening and validity."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import FLOORWATCHD, ROOT, Daemon

UNIT = os.path.join(ROOT, "systemd", "floorwatchd.service")
ANALYZE = shutil.which("systemd-analyze")
CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: [{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}]
"""


class NotifyProtocol(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="notify-")
        self.path = os.path.join(self.dir, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(5)

    def tearDown(self):
        self.sock.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def next_message(self, wanted, timeout=5):
        """The next message containing `wanted`, skipping watchdog pings unless asked for."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.sock.recv(4096).decode()
            if wanted in msg.split("\n"):
                return msg
            if "WATCHDOG=1" not in msg:
                self.fail(f"expected {wanted}, got {msg!r}")
        self.fail(f"no {wanted} within {timeout}s")

    def test_ready_watchdog_reloading_and_stopping(self):
        daemon = Daemon(CONFIG, env={"NOTIFY_SOCKET": self.path, "WATCHDOG_USEC": "1000000"})
        try:
            ready = self.next_message("READY=1")
            self.assertIn("STATUS=serving on 127.0.0.1:", ready)
            self.assertEqual(daemon.get("/readyz")[0], 200)  # ready means serving
            started = time.time()
            self.next_message("WATCHDOG=1", timeout=2)
            self.next_message("WATCHDOG=1", timeout=2)
            self.assertLess(time.time() - started, 2.0)  # pinged at half the 1 s interval
            daemon.signal(signal.SIGHUP)
            reloading = self.next_message("RELOADING=1")
            self.assertRegex(reloading, r"MONOTONIC_USEC=\d+")
            self.assertIn("STATUS=config reloaded", self.next_message("READY=1"))
            daemon.write_config("windows: [fortnight]\n")  # a bad file: refused, still READY
            daemon.signal(signal.SIGHUP)
            self.next_message("RELOADING=1")
            self.assertIn("reload rejected", self.next_message("READY=1"))
            daemon.signal(signal.SIGTERM)
            self.next_message("STOPPING=1")
            self.assertEqual(daemon.proc.wait(timeout=5), 0)
        finally:
            daemon.stop()

    def test_no_watchdog_pings_meant_for_another_process(self):
        daemon = Daemon(CONFIG, env={"NOTIFY_SOCKET": self.path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"})
        try:
            self.next_message("READY=1")
            self.sock.settimeout(1)
            with self.assertRaises(socket.timeout):
                while True:
                    msg = self.sock.recv(4096).decode()
                    self.assertNotIn("WATCHDOG=1", msg)
        finally:
            self.assertEqual(daemon.stop(), 0)


@unittest.skipUnless(ANALYZE, "systemd-analyze is not installed")
class Unit(unittest.TestCase):
    def test_hardening_exposure_is_at_most_2(self):
        r = subprocess.run([ANALYZE, "security", "--offline=yes", "--no-pager", UNIT], capture_output=True, text=True)
        m = re.search(r"Overall exposure level for floorwatchd\.service: (\d+\.\d+)", r.stdout + r.stderr)
        self.assertTrue(m, r.stdout + r.stderr)
        self.assertLessEqual(float(m.group(1)), 2.0)

    def test_the_unit_verifies(self):
        # verify checks that ExecStart exists: point it at the binary just built.
        with tempfile.TemporaryDirectory() as d:
            unit = os.path.join(d, "floorwatchd.service")
            with open(UNIT) as src, open(unit, "w") as dst:
                dst.write(src.read().replace("/usr/bin/floorwatchd", os.path.abspath(FLOORWATCHD)))
            r = subprocess.run([ANALYZE, "verify", unit], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_the_unit_keeps_the_network_open_for_sources_and_scrapers(self):
        with open(UNIT) as f:
            text = f.read()
        self.assertNotIn("IPAddressDeny", text)
        self.assertIn("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", text)
        for key in ("Type=notify", "WatchdogSec=", "ExecReload=", "StateDirectory=floorwatch", "DynamicUser=yes"):
            self.assertIn(key, text)


if __name__ == "__main__":
    unittest.main()
