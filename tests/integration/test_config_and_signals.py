"""--check-config, SIGHUP reload (good and bad) without losing state, SIGTERM."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from demo_forecast import demo_tree
from harness import FLOORWATCHD, ROOT, DaemonTestCase, check_config, now_ms, wait_until

BASE = """
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}
queues:
  - id: q
    service_level: {{threshold_seconds: {threshold}}}
"""


class CheckConfig(unittest.TestCase):
    def test_a_good_file_exits_0(self):
        self.assertEqual(check_config(BASE.format(threshold=20))[0], 0)

    def test_the_shipped_configs_are_valid(self):
        # demo.yaml names the forecast tools/demo.sh has the simulator write: checked in a
        # copy beside one (the file itself is not in the repository).
        demo = demo_tree()
        try:
            for path in (demo, os.path.join(ROOT, "config", "floorwatch.yaml"), os.path.join(ROOT, "config", "alerts.yaml")):
                r = subprocess.run([FLOORWATCHD, "--check-config", path])
                self.assertEqual(r.returncode, 0, path)
        finally:
            shutil.rmtree(os.path.dirname(os.path.dirname(demo)))

    def test_a_bad_value_exits_non_zero_naming_key_and_line(self):
        rc, out = check_config("http:\n  listen: \"127.0.0.1:0\"\ndefaults:\n  service_level:\n    target: 2\n")
        self.assertNotEqual(rc, 0)
        self.assertIn("defaults.service_level.target", out)
        self.assertIn("line 5", out)

    def test_an_unknown_key_exits_non_zero(self):
        rc, out = check_config("limits:\n  max_contact: 5\n")
        self.assertNotEqual(rc, 0)
        self.assertIn("limits.max_contact", out)

    def test_start_up_with_a_bad_config_fails_with_the_error(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("windows: [fortnight]\n")
        r = subprocess.run([FLOORWATCHD, "--config", f.name], capture_output=True, text=True, timeout=10)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("windows[0]", r.stderr)


class Reload(DaemonTestCase):
    CONFIG = BASE.format(threshold=20)

    def setUp(self):
        super().setUp()
        t = now_ms() - 60_000
        self.pub.send({"type": "contact.queued", "ts": t, "contact": "c1", "queue": "q"})
        self.pub.send({"type": "contact.queued", "ts": t, "contact": "c2", "queue": "q"})
        self.pub.send({"type": "contact.answered", "ts": t + 25_000, "contact": "c1", "agent": "a"})
        self.daemon.wait_received(3)

    def wait_reload_logged(self, marker):
        wait_until(lambda: marker in self.daemon.read_log(), 5, f"'{marker}' in the log")

    def test_a_good_reload_applies_the_new_config_and_keeps_state(self):
        # The bound wildcard port stays as it is: same inputs, so no re-bind.
        self.daemon.write_config(BASE.format(threshold=40))
        self.daemon.signal(signal.SIGHUP)
        self.wait_reload_logged("config reloaded")
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_queue_service_level_threshold_seconds", queue="q", channel="voice"), 40)
        self.assertEqual(m.get("floorwatch_config_last_reload_successful"), 1)
        self.assertEqual(m.get("floorwatch_queue_answered_total", queue="q", channel="voice"), 1)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 1)
        self.assertGreater(m.get("floorwatch_queue_oldest_wait_seconds", queue="q", channel="voice"), 55)

    def test_a_bad_reload_is_rejected_whole_and_the_old_config_stays(self):
        self.daemon.write_config(BASE.format(threshold=40) + "limits: {max_contacts: -1}\n")
        self.daemon.signal(signal.SIGHUP)
        self.wait_reload_logged("reload rejected")
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_config_last_reload_successful"), 0)
        self.assertEqual(m.get("floorwatch_queue_service_level_threshold_seconds", queue="q", channel="voice"), 20)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 1)
        self.assertIn("limits.max_contacts", self.daemon.read_log())
        # Events still flow.
        self.pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "c3", "queue": "q"})
        m = self.daemon.wait_received(4)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 2)

    def test_sigterm_stops_cleanly_with_exit_0(self):
        start = time.time()
        self.daemon.signal(signal.SIGTERM)
        self.assertEqual(self.daemon.proc.wait(timeout=5), 0)
        self.assertLess(time.time() - start, 5)


if __name__ == "__main__":
    unittest.main()
