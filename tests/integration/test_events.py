"""The real daemon fed by an outside python3-zmq publisher: figures as a dashboard sees them."""

import json
import math
import time
import unittest

import zmq

from harness import Daemon, DaemonTestCase, Publisher, now_ms, promtool_check, wait_until

PULL_CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
queues:
  - id: sales-de
    labels: {site: berlin, market: de, team: retail}
    timezone: Europe/Berlin
    service_level: {threshold_seconds: 30}
    channels:
      voice: {}
      chat: {service_level: {threshold_seconds: 60, target: 0.9}}
"""


class EventsThroughTheDaemon(DaemonTestCase):
    CONFIG = PULL_CONFIG

    def test_configured_queue_series_exist_before_any_event(self):
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="sales-de", channel="voice"), 0)
        self.assertEqual(m.get("floorwatch_queue_service_level_threshold_seconds", queue="sales-de", channel="chat"), 60)
        self.assertEqual(m.get("floorwatch_queue_service_level_target", queue="sales-de", channel="chat"), 0.9)
        self.assertEqual(m.get("floorwatch_queue_info", queue="sales-de", site="berlin", market="de", team="retail"), 1)
        self.assertEqual(m.get("floorwatch_config_last_reload_successful"), 1)
        self.assertTrue(math.isnan(m.get("floorwatch_queue_service_level_ratio", queue="sales-de", channel="voice", window="15m")))

    def test_a_contact_lifecycle_moves_every_figure(self):
        t = now_ms() - 120_000
        events = [
            {"type": "agent.login", "ts": t, "agent": "a1", "queues": ["sales-de"]},
            {"type": "agent.state", "ts": t, "agent": "a1", "state": "available"},
            {"type": "contact.queued", "ts": t, "contact": "c1", "queue": "sales-de"},
            {"type": "contact.queued", "ts": t + 1000, "contact": "c2", "queue": "sales-de"},
            {"type": "contact.queued", "ts": "%s" % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((t + 2000) / 1000)),
             "contact": "c3", "queue": "sales-de", "channel": "chat"},
            {"type": "contact.answered", "ts": t + 10_000, "contact": "c1", "agent": "a1"},
            {"type": "agent.state", "ts": t + 10_000, "agent": "a1", "state": "on_contact"},
            {"type": "contact.abandoned", "ts": t + 61_000, "contact": "c2"},
            {"type": "contact.ended", "ts": t + 70_000, "contact": "c1"},
            {"type": "contact.wrapped", "ts": t + 85_000, "contact": "c1"},
            {"type": "contact.queued", "ts": t + 90_000, "contact": "c4", "queue": "sales-de"},
            {"type": "contact.transferred", "ts": t + 95_000, "contact": "c4", "queue": "billing"},
        ]
        for e in events:
            self.pub.send(e, topic="contact.x")
        m = self.daemon.wait_received(len(events))
        q = dict(queue="sales-de", channel="voice")
        self.assertEqual(m.get("floorwatch_events_applied_total"), len(events))
        expected = {"offered_total": 3, "answered_total": 1, "answered_in_sl_total": 1, "abandoned_total": 1,
                    "short_abandoned_total": 0, "transferred_out_total": 1, "handled_total": 1,
                    "talk_seconds_total": 60, "acw_seconds_total": 15, "waiting_contacts": 0, "active_contacts": 0,
                    "wait_seconds_count": 1, "wait_seconds_sum": 10}
        self.assertEqual({k: m.get("floorwatch_queue_" + k, **q) for k in expected}, expected)
        self.assertEqual(m.get("floorwatch_queue_wait_seconds_bucket", le="10", **q), 1)
        self.assertEqual(m.get("floorwatch_queue_wait_seconds_bucket", le="5", **q), 0)
        # Windows: A=1 (in SL), B=1 (60 s wait, not short) -> SL 0.5, abandon 0.5.
        w = dict(window="15m", **q)
        self.assertEqual(m.get("floorwatch_queue_window_contacts", outcome="offered", **w), 3)
        self.assertEqual(m.get("floorwatch_queue_window_contacts", outcome="handled", **w), 1)
        expected = {"service_level_ratio": 0.5, "abandon_ratio": 0.5, "asa_seconds": 10, "aht_seconds": 75}
        self.assertEqual({k: m.get("floorwatch_queue_" + k, **w) for k in expected}, expected)
        # The chat contact still waits, ~118 s old; the transferred one waits in billing.
        chat = dict(queue="sales-de", channel="chat")
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", **chat), 1)
        self.assertAlmostEqual(m.get("floorwatch_queue_oldest_wait_seconds", **chat), 118, delta=3)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="billing", channel="voice"), 1)
        self.assertEqual(m.get("floorwatch_queue_offered_total", queue="billing", channel="voice"), 1)
        self.assertEqual(m.get("floorwatch_queue_agents", queue="sales-de", state="on_contact"), 1)
        self.assertEqual(m.get("floorwatch_agents", state="on_contact"), 1)
        self.assertEqual(m.get("floorwatch_queue_info", queue="billing"), 1)

    def test_queues_api_agrees_with_metrics(self):
        t = now_ms() - 30_000
        for i in range(5):
            self.pub.send({"type": "contact.queued", "ts": t + i, "contact": f"c{i}", "queue": "sales-de"})
        self.pub.send({"type": "contact.answered", "ts": t + 5000, "contact": "c0", "agent": "a"})
        m = self.daemon.wait_received(6)
        api = self.daemon.queues()
        voice = [q for q in api["queues"] if q["queue"] == "sales-de" and q["channel"] == "voice"][0]
        self.assertEqual(voice["labels"], {"site": "berlin", "market": "de", "team": "retail"})
        self.assertEqual(voice["waiting_contacts"],
                         m.get("floorwatch_queue_waiting_contacts", queue="sales-de", channel="voice"))
        self.assertEqual(voice["totals"]["offered"], 5)
        self.assertEqual(voice["windows"]["15m"]["answered"], 1)
        self.assertEqual(voice["windows"]["today"]["offered"], 5)
        self.assertEqual(voice["service_level_threshold_seconds"], 30)
        self.assertGreater(voice["oldest_wait_seconds"], 25)

    def test_duplicates_and_gaps_are_counted(self):
        t = now_ms()
        base = {"type": "contact.queued", "ts": t, "queue": "sales-de", "source": "acd-1"}
        self.pub.send(dict(base, contact="c1", seq=1, id="e1"))
        self.pub.send(dict(base, contact="c1", seq=2, id="e1"))   # same id
        self.pub.send(dict(base, contact="c2", seq=2, id="e2"))   # same seq
        self.pub.send(dict(base, contact="c3", seq=10, id="e3"))  # 3..9 missing
        m = self.daemon.wait_received(4)
        self.assertEqual(m.get("floorwatch_events_duplicate_total"), 2)
        self.assertEqual(m.get("floorwatch_events_gap_total", source="acd-1"), 7)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="sales-de", channel="voice"), 2)

    def test_health_and_readiness(self):
        self.assertEqual(self.daemon.get("/healthz")[0], 200)
        self.assertEqual(self.daemon.get("/readyz")[0], 200)
        self.assertEqual(self.daemon.get("/nope")[0], 404)
        status, body = self.daemon.get("/api/v1/alerts")
        self.assertEqual((status, json.loads(body)), (200, []))

    def test_promtool_finds_nothing_on_a_busy_daemon(self):
        t = now_ms() - 600_000
        for i in range(400):
            q = f"q{i % 40}"
            ch = ["voice", "chat", "email"][i % 3]
            self.pub.send({"type": "contact.queued", "ts": t + i * 100, "contact": f"c{i}", "queue": q, "channel": ch})
            if i % 2:
                self.pub.send({"type": "contact.answered", "ts": t + i * 100 + 5000, "contact": f"c{i}", "agent": "a"})
            if i % 4 == 1:
                self.pub.send({"type": "contact.ended", "ts": t + i * 100 + 9000, "contact": f"c{i}"})
            if i % 5 == 0:
                self.pub.send({"type": "agent.login", "ts": t, "agent": f"a{i}", "queues": [q, "sales-de"]})
        self.pub.send({"type": "contact.queued", "ts": t, "contact": "weird", "queue": 'q"with\\odd\nchars',
                       "source": 'src "x"', "seq": 1})
        self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= 400 + 200 + 100 + 80 + 1,
                             what="busy feed applied")
        text = self.daemon.metrics().text
        rc, out = promtool_check(text)
        self.assertEqual((rc, out), (0, ""))
        self.assertGreater(len(text.splitlines()), 5000)


class SubInput(unittest.TestCase):
    def test_sub_input_receives_only_subscribed_topics_and_one_frame_messages(self):
        pub = Publisher(zmq.PUB, bind=True)
        daemon = Daemon(f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "{pub.endpoint}", socket: sub, mode: connect, subscribe: ["contact.", "{{"]}}
""")
        try:
            t = now_ms()
            # SUB joins asynchronously: publish probes until one arrives.
            def probe():
                pub.send({"type": "contact.queued", "ts": t, "contact": "probe", "queue": "p"}, topic="contact.p")
                time.sleep(0.05)
                return daemon.metrics().get("floorwatch_events_received_total") > 0

            wait_until(probe, 10, "the subscriber to connect")
            before = daemon.metrics().get("floorwatch_events_received_total")
            pub.send({"type": "contact.queued", "ts": t, "contact": "c1", "queue": "q"}, topic="contact.q")
            pub.send({"type": "agent.login", "ts": t, "agent": "a1"}, topic="agent.a1")  # not subscribed
            pub.send({"type": "contact.queued", "ts": t, "contact": "c2", "queue": "q"})  # one frame, '{' prefix
            m = daemon.wait_received(before + 2)
            time.sleep(0.3)
            m = daemon.metrics()
            self.assertEqual(m.get("floorwatch_events_received_total"), before + 2)
            self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 2)
            self.assertEqual(m.total("floorwatch_agents"), 0)
        finally:
            pub.close()
            self.assertEqual(daemon.stop(), 0)


if __name__ == "__main__":
    unittest.main()
