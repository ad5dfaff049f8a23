"""The forecast file through the real daemon: its figures in /metrics and /api/v1/queues, a
volume-above-forecast alert, a SIGHUP reload with a bad file refused whole (the running
forecast stays) and with a good one applied, and --check-config naming line and column."""

import json
import os
import signal
import tempfile
import time
import unittest

import zmq

from harness import Daemon, Publisher, check_config, now_ms, wait_until

INTERVAL_MS = 30 * 60_000
HEADER = "queue,channel,interval_start,offered,aht_seconds,scheduled_agents\n"


def interval_start_ms(t_ms):
    return t_ms - t_ms % INTERVAL_MS


def local_minute(t_ms):
    return time.strftime("%Y-%m-%dT%H:%M", time.gmtime(t_ms / 1000))


def rows(offered, start_ms):
    """This interval and the next, for queue q voice (UTC, the default time zone)."""
    return HEADER + "".join(f"q,voice,{local_minute(s)},{offered},180,14\n"
                            for s in (start_ms, start_ms + INTERVAL_MS))


CONFIG = """
http: {{listen: "127.0.0.1:0"}}
inputs: [{{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}]
queues: [{{id: q}}]
forecast: {{file: "{csv}", interval: 30m}}
alerts:
  - {{name: VolumeAboveForecast, measure: forecast_deviation_ratio, op: ">", threshold: 0.3, for: 0s, min_contacts: 5}}
"""


class Forecast(unittest.TestCase):
    def setUp(self):
        # Not within a minute of an interval's end: the test's contacts share one interval.
        left = INTERVAL_MS - now_ms() % INTERVAL_MS
        if left < 60_000:
            time.sleep(left / 1000 + 1)
        self.start = interval_start_ms(now_ms())
        self.csv = os.path.join(tempfile.mkdtemp(prefix="floorwatch-forecast-"), "forecast.csv")
        self.write(rows(100, self.start))
        self.daemon = Daemon(CONFIG.format(csv=self.csv))
        self.pub = Publisher(zmq.PUSH, connect=self.daemon.inputs[0])

    def tearDown(self):
        self.pub.close()
        self.assertEqual(self.daemon.stop(), 0)

    def write(self, text):
        with open(self.csv, "w") as f:
            f.write(text)

    def offer(self, n, first=0):
        t = now_ms()
        for i in range(first, first + n):
            self.pub.send({"type": "contact.queued", "ts": t, "contact": f"c{i}", "queue": "q"})

    def test_the_interval_s_forecast_schedule_and_pace_are_shown(self):
        self.offer(8)
        m = self.daemon.wait_received(8)
        q = dict(queue="q", channel="voice")
        self.assertEqual(m.get("floorwatch_queue_forecast_offered", **q), 100)
        self.assertEqual(m.get("floorwatch_queue_forecast_aht_seconds", **q), 180)
        self.assertEqual(m.get("floorwatch_queue_forecast_required_agents", **q), 14)  # 10 Erlangs
        self.assertEqual(m.get("floorwatch_queue_scheduled_agents", **q), 14)
        self.assertEqual(m.get("floorwatch_queue_schedule_gap_agents", **q), 14)  # nobody staffed
        self.assertEqual(m.get("floorwatch_queue_interval_offered", **q), 8)
        elapsed = (now_ms() - self.start) / INTERVAL_MS
        expected = 8 / (100 * elapsed) - 1
        self.assertAlmostEqual(m.get("floorwatch_queue_forecast_deviation_ratio", **q), expected,
                               delta=abs(expected) * 0.05 + 0.01)
        forecast = self.daemon.queues()["queues"][0]["forecast"]
        self.assertEqual(forecast["forecast_offered"], 100)
        self.assertEqual(forecast["interval_offered"], 8)

    def test_volume_above_forecast_raises_the_alert(self):
        # 100 forecast over 30 minutes: far more than the pace allows so far.
        elapsed = (now_ms() - self.start) / INTERVAL_MS
        n = max(5, int(100 * elapsed * 1.3) + 5)
        self.offer(n)
        self.daemon.wait_received(n)
        alerts = wait_until(lambda: [a for a in json.loads(self.daemon.get("/api/v1/alerts")[1])
                                     if a["alertname"] == "VolumeAboveForecast"
                                     and a["state"] == "firing"], 5, "VolumeAboveForecast firing")
        self.assertEqual(alerts[0]["queue"], "q")
        self.assertGreater(alerts[0]["value"], 0.3)

    def test_a_bad_file_on_reload_is_refused_and_the_running_forecast_stays(self):
        self.write(rows(100, self.start).replace(",100,180,14\n", ",lots,180,14\n", 1))
        self.daemon.signal(signal.SIGHUP)
        wait_until(lambda: "reload rejected" in self.daemon.read_log(), 5, "reload rejected")
        self.assertIn("line 2, column 4: (offered) must be a number >= 0, got 'lots'",
                      self.daemon.read_log())
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_config_last_reload_successful"), 0)
        self.assertEqual(m.get("floorwatch_queue_forecast_offered", queue="q", channel="voice"), 100)

    def test_a_good_file_on_reload_replaces_the_forecast(self):
        self.offer(3)
        self.daemon.wait_received(3)
        self.write(rows(250, self.start))
        self.daemon.signal(signal.SIGHUP)
        wait_until(lambda: "config reloaded" in self.daemon.read_log(), 5, "config reloaded")
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_queue_forecast_offered", queue="q", channel="voice"), 250)
        self.assertEqual(m.get("floorwatch_queue_interval_offered", queue="q", channel="voice"), 3)


class CheckConfig(unittest.TestCase):
    def test_a_bad_forecast_file_fails_the_check_naming_line_and_column(self):
        d = tempfile.mkdtemp(prefix="floorwatch-forecast-")
        with open(os.path.join(d, "forecast.csv"), "w") as f:
            f.write(HEADER + "q,voice,2026-12-01T09:00,10,180,3\nq,voice,2026-12-01T09:10,10,180,3\n")
        code, out = check_config("forecast: {file: forecast.csv}\n", os.path.join(d, "floorwatch.yaml"))
        self.assertNotEqual(code, 0)
        self.assertIn("forecast.csv line 3, column 3: (interval_start) must start an interval of 30 minutes",
                      out)


if __name__ == "__main__":
    unittest.main()
