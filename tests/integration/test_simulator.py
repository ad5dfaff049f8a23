"""The simulator (tools/floorsim.py) feeds the real daemon; at the end every counter and gauge
the daemon shows equals the simulator's own ground-truth tally."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from harness import ROOT, Daemon, assert_matches_ground_truth, promtool_check

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
defaults: {service_level: {threshold_seconds: 20}}
"""

class SimulatorGroundTruth(unittest.TestCase):
    def test_daemon_figures_equal_the_simulators_ground_truth(self):
        daemon = Daemon(CONFIG)
        tally_path = tempfile.mktemp(suffix=".json")
        sim = subprocess.Popen([sys.executable, os.path.join(ROOT, "tools", "floorsim.py"),
                                "--endpoint", daemon.inputs[0], "--socket", "push",
                                "--rate", "3000", "--agent-scale", "3", "--time-scale", "0.02", "--day-seconds", "60",
                                "--start-hour", "9", "--transfer-share", "0.05", "--seed", "7",
                                "--duration", "20", "--tally-file", tally_path],
                               stderr=subprocess.PIPE, text=True)
        try:
            # While it runs, a busy daemon's exposition must pass promtool.
            time.sleep(8)
            rc, out = promtool_check(daemon.metrics().text)
            self.assertEqual((rc, out), (0, ""))
            sim.wait(timeout=60)
            sim_log = sim.stderr.read()
            sim.stderr.close()
            self.assertEqual(sim.returncode, 0, sim_log)
            with open(tally_path) as f:
                truth = json.load(f)
            self.assertGreater(truth["events_sent"], 3000)
            m = daemon.wait_received(truth["events_sent"], timeout=30)
            self.assertEqual(m.get("floorwatch_events_received_total"), truth["events_sent"])
            self.assertEqual(m.total("floorwatch_events_rejected_total"), 0, daemon.read_log()[-2000:])
            self.assertEqual(m.get("floorwatch_events_gap_total", source="floorsim"), 0)
            assert_matches_ground_truth(self, m, truth)
        finally:
            if sim.poll() is None:
                sim.send_signal(signal.SIGTERM)
                sim.wait()
            self.assertEqual(daemon.stop(), 0)
            if os.path.exists(tally_path):
                os.unlink(tally_path)


if __name__ == "__main__":
    unittest.main()
