"""Customer outcomes through the real daemon: a scripted stretch of a day, then the figures a
manager reads on /metrics and /api/v1/queues, and the same after a kill -9 and restart."""

import math

from harness import DaemonTestCase, now_ms, promtool_check

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
state: {dir: "{dir}/state"}
outcomes: {repeat_window: 24h, closed_contact_memory: 7d, escalation_reasons: [refund, legal]}
queues:
  - id: care
    channels: {voice: {}, chat: {}}
"""


def q(channel="voice", **labels):
    return dict(queue="care", channel=channel, **labels)


class ADayOfOutcomes(DaemonTestCase):
    CONFIG = CONFIG

    def send_day(self):
        t = now_ms() - 600_000
        send = lambda type_, at, **f: self.pub.send(dict(type=type_, ts=t + at, **f))
        # Two contacts of one customer (the second a repeat), one of another.
        send("contact.queued", 0, contact="v1", queue="care", customer="cu-1")
        send("contact.answered", 10_000, contact="v1", agent="a1")
        send("contact.escalated", 20_000, contact="v1", reason="refund", team="desk")
        send("contact.escalated", 30_000, contact="v1", tier=3, reason="legal")
        send("contact.ended", 140_000, contact="v1")  # escalation resolved after 120 s
        send("contact.wrapped", 150_000, contact="v1")
        send("contact.queued", 200_000, contact="v2", queue="care", customer="cu-1")
        send("contact.abandoned", 230_000, contact="v2", reason="timeout")
        # A chat with one reply 30 s after the customer's message, then left awaiting.
        send("contact.queued", 300_000, contact="ch1", queue="care", channel="chat", customer="cu-2")
        send("contact.answered", 310_000, contact="ch1", agent="a2")
        send("contact.message", 320_000, contact="ch1", **{"from": "customer"})
        send("contact.message", 350_000, contact="ch1", **{"from": "agent"})
        send("contact.message", 360_000, contact="ch1", **{"from": "customer"})
        # Feedback on the closed v1 (remembered), and a quality evaluation on the queue.
        send("contact.survey", 400_000, contact="v1", csat=5, nps=10, resolved=True)
        send("contact.evaluated", 410_000, queue="care", score=72)
        send("contact.survey", 420_000, contact="nobody", csat=1)  # unknown_contact
        self.daemon.wait_received(16)

    def check_figures(self, m):
        self.assertEqual(m.get("floorwatch_queue_repeat_contacts_total", **q()), 1)
        self.assertEqual(m.get("floorwatch_queue_window_contacts", **q(window="1h", outcome="repeat")), 1)
        self.assertEqual(m.get("floorwatch_queue_escalations_total", **q(tier="2", reason="refund")), 1)
        self.assertEqual(m.get("floorwatch_queue_escalations_total", **q(tier="3", reason="legal")), 1)
        self.assertEqual(m.get("floorwatch_queue_escalation_resolution_seconds", **q(window="1h")), 120)
        self.assertEqual(m.get("floorwatch_queue_abandoned_by_reason_total", **q(reason="timeout")), 1)
        self.assertEqual(m.get("floorwatch_queue_resolution_seconds", **q(window="1h")), 140)
        self.assertEqual(m.get("floorwatch_queue_awaiting_reply_contacts", **q("chat")), 1)
        self.assertEqual(m.get("floorwatch_queue_reply_seconds", **q("chat", window="1h")), 30)
        self.assertEqual(m.get("floorwatch_queue_csat_ratio", **q(window="1h")), 1)
        self.assertEqual(m.get("floorwatch_queue_nps", **q(window="1h")), 100)
        self.assertEqual(m.get("floorwatch_queue_quality_score", **q(window="1h")), 72)
        self.assertEqual(m.get("floorwatch_queue_quality_pass_ratio", **q(window="1h")), 0)
        self.assertEqual(m.get("floorwatch_events_rejected_total", reason="unknown_contact"), 1)
        self.assertEqual(m.get("floorwatch_outcomes_forgotten_total", kind="customer"), 0)

    def test_the_figures_of_a_scripted_day(self):
        self.send_day()
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_received_total") >= 16)
        self.check_figures(m)
        self.assertTrue(math.isnan(m.get("floorwatch_queue_escalation_ratio", **q("chat", window="1h"))))
        chat = next(x for x in self.daemon.queues()["queues"] if x["channel"] == "chat")
        self.assertEqual(chat["awaiting_reply_contacts"], 1)
        self.assertEqual(chat["windows"]["1h"]["replied"], 1)
        self.assertEqual(promtool_check(m.text), (0, ""))  # nothing for promtool to say

    def test_every_figure_is_the_same_after_kill_9_and_restart(self):
        self.send_day()
        self.daemon.wait_for(lambda m: m.get("floorwatch_state_journal_records_total") >= 16)
        self.daemon.kill()  # nothing to flush: every applied event is journaled
        self.daemon.restart()
        self.check_figures(self.daemon.metrics())
