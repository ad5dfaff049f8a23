"""Prediction from the real daemon: a page before the breach. With a `for: 0s` rule on
projected_breaches, the alert is in a real Alertmanager within 1 s of the event that made a
breach projected (an agent going on a break, a contact joining), while the contacts at risk
are still under the 20 s threshold, and it resolves there within 1 s of the event that removed
it (an agent becoming free, the contact answered). The figures are also on /metrics and in
/api/v1/queues. Latencies are printed (the test's own clock, Alertmanager polled every 10 ms)."""

import json
import time
import unittest
import urllib.request

import zmq

from harness import Daemon, Publisher, now_ms, promtool_check
from test_alerts import AM_BINARY, Alertmanager

T = 20  # seconds: the service-level threshold
AHT_MS = 60_000


def config(am_url):
    # resend_interval 1m: what reaches Alertmanager within a second is the transition itself,
    # never a periodic resend.
    return f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}
windows: [15m, today]
defaults:
  service_level: {{threshold_seconds: {T}, target: 0.8}}
  staffing: {{window: 15m}}
queues:
  - {{id: sales}}
alerts:
  - name: BreachAhead
    measure: projected_breaches
    op: ">"
    threshold: 0
    for: 0s
    annotations: {{summary: "{{{{queue}}}} {{{{channel}}}}: {{{{value}}}} contacts will pass the threshold"}}
notify:
  alertmanager: {{urls: ["{am_url}"], resend_interval: 1m}}
"""


@unittest.skipUnless(AM_BINARY, "prometheus-alertmanager is not installed")
class PageBeforeTheBreach(unittest.TestCase):
    def setUp(self):
        self.am = Alertmanager()
        self.daemon = Daemon(config(self.am.url))
        self.pub = Publisher(zmq.PUSH, connect=self.daemon.inputs[0])
        self.sent = 0
        self.feed_floor()

    def tearDown(self):
        self.pub.close()
        self.assertEqual(self.daemon.stop(), 0)
        self.am.stop()

    def send(self, type_, ts=None, **fields):
        self.pub.send(dict(type=type_, ts=now_ms() if ts is None else ts, **fields))
        self.sent += 1

    def feed_floor(self):
        """Ten calls handled in the last 15 minutes at 60 s each (AHT 60 s); agent a1
        available, a2 on a call: S = 2 slots, F = 1 free, 30 s per place in line beyond it."""
        start = now_ms() - 800_000
        for i in range(10):
            ts = start + i * 60_000
            self.send("contact.queued", ts, contact=f"h{i}", queue="sales")
            self.send("contact.answered", ts, contact=f"h{i}", agent="gone")
            self.send("contact.ended", ts + AHT_MS, contact=f"h{i}")
        for agent, state in (("a1", "available"), ("a2", "on_contact")):
            self.send("agent.login", agent=agent, queues=["sales"])
            self.send("agent.state", agent=agent, state=state)
        self.send("contact.queued", contact="busy", queue="sales")
        self.send("contact.answered", contact="busy", agent="a2")
        self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= self.sent, what="floor applied")

    def in_alertmanager(self):
        with urllib.request.urlopen(f"{self.am.url}/api/v2/alerts", timeout=2) as r:
            return [a for a in json.loads(r.read()) if a["labels"].get("alertname") == "BreachAhead"]

    def latency(self, event, predicate, what, timeout=5):
        """Sends `event` (the fields of one event), then returns (seconds until predicate()
        held, time.time() then), polling every 10 ms."""
        start = time.time()
        self.send(**event)
        while not predicate():
            if time.time() - start > timeout:
                self.fail(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.01)
        end = time.time()
        return end - start, end

    def prediction(self):
        return next(q["prediction"] for q in self.daemon.queues()["queues"]
                    if (q["queue"], q["channel"]) == ("sales", "voice"))

    def test_an_agent_going_on_a_break_pages_before_the_breach_and_one_becoming_free_resolves_it(self):
        queued = now_ms() - 3_000  # a caller waiting 3 s: the free agent a1 takes it
        self.send("contact.queued", queued, contact="c1", queue="sales")
        self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= self.sent, what="c1 applied")
        time.sleep(0.5)  # two evaluations
        self.assertEqual(self.prediction()["projected_breaches"], 0)
        self.assertEqual(self.in_alertmanager(), [])
        # The event: a1 goes on a break. S = 1, F = 0: c1 waits 3 + 60 s > 20 s.
        fired, at = self.latency(dict(type_="agent.state", agent="a1", state="not_ready", reason="break"),
                                 self.in_alertmanager, "BreachAhead in Alertmanager")
        age = at - queued / 1000
        print(f"\nBreachAhead firing in Alertmanager {1000 * fired:.0f} ms after the agent's break; "
              f"the contact at risk was {age:.1f} s old (T = {T} s)")
        self.assertLess(fired, 1.0)
        self.assertLess(age, T)
        alert = self.in_alertmanager()[0]
        self.assertEqual(alert["labels"]["queue"], "sales")
        self.assertEqual(alert["annotations"]["summary"], "sales voice: 1 contacts will pass the threshold")
        p = self.prediction()
        self.assertEqual(p["projected_breaches"], 1)
        self.assertGreater(p["seconds_to_breach"], 0)
        self.assertLessEqual(p["seconds_to_breach"], T - 3)
        # The agent is back: F = 1 again, c1 is answered at once.
        resolved, _ = self.latency(dict(type_="agent.state", agent="a1", state="available"),
                                   lambda: not self.in_alertmanager(), "BreachAhead resolved in Alertmanager")
        print(f"BreachAhead resolved in Alertmanager {1000 * resolved:.0f} ms after the agent became available")
        self.assertLess(resolved, 1.0)

    def test_a_contact_joining_pages_before_the_breach_and_its_answer_resolves_it(self):
        # c1 takes a1's free slot; c2 joins behind it: 0 + 30 s > 20 s.
        self.send("contact.queued", contact="c1", queue="sales")
        joined = now_ms()
        fired, at = self.latency(dict(type_="contact.queued", ts=joined, contact="c2", queue="sales"),
                                 self.in_alertmanager, "BreachAhead in Alertmanager")
        age = at - joined / 1000
        print(f"\nBreachAhead firing in Alertmanager {1000 * fired:.0f} ms after the contact joined; "
              f"it was {age:.1f} s old (T = {T} s)")
        self.assertLess(fired, 1.0)
        self.assertLess(age, T)
        m = self.daemon.metrics()
        q = dict(queue="sales", channel="voice")
        self.assertEqual(m.get("floorwatch_queue_projected_breaches", **q), 1)
        self.assertLessEqual(m.get("floorwatch_queue_seconds_to_breach", **q), T)
        self.assertGreater(m.get("floorwatch_queue_seconds_to_breach", **q), T - 2)
        # λ = 13 contacts / 900 s, AHT 60 s: 0.87 Erlangs on 2 slots.
        self.assertGreater(m.get("floorwatch_queue_projected_service_level", **q), 0.5)
        self.assertLess(m.get("floorwatch_queue_projected_service_level", **q), 1)
        rc, out = promtool_check(m.text)
        self.assertEqual(rc, 0, out)
        # A supervisor (no member of the queue) picks c2 up; c1 still has a1's free slot.
        resolved, _ = self.latency(dict(type_="contact.answered", contact="c2", agent="supervisor"),
                                   lambda: not self.in_alertmanager(), "BreachAhead resolved in Alertmanager")
        print(f"BreachAhead resolved in Alertmanager {1000 * resolved:.0f} ms after the contact was answered")
        self.assertLess(resolved, 1.0)
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_queue_projected_breaches", **q), 0)
        with self.assertRaises(KeyError):  # no breach: no sample
            m.get("floorwatch_queue_seconds_to_breach", **q)


if __name__ == "__main__":
    unittest.main()
