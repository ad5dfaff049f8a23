"""Staffing figures from the real daemon: the worked example of docs/staffing.md as a
dashboard and an alert rule see it (Erlang C required agents, staffed agents, the gap, slots
and the estimated wait), a "short of agents" rule that fires and resolves, agents'
capacities kept across a restart, and bad staffing settings refused by --check-config."""

import json
import math
import signal
import unittest

import zmq

from harness import DaemonTestCase, Publisher, check_config, now_ms, promtool_check, wait_until

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
windows: [15m, 1h, today]
defaults:
  service_level: {threshold_seconds: 20, target: 0.8}
  staffing: {window: 15m, max_occupancy: 0.85}
queues:
  - id: sales
    channels: {voice: {}, chat: {staffing: {concurrency: 3}}}
alerts:
  - name: ShortOfAgents
    measure: staffing_gap_agents
    op: ">"
    threshold: 0
    for: 1s
    min_contacts: 10
    annotations: {summary: "{{queue}} {{channel}}: short of {{value}} agents"}
"""


class StaffingThroughTheDaemon(DaemonTestCase):
    CONFIG = CONFIG

    def feed_worked_example(self, channel="voice", agents=12):
        """50 contacts over the last 15 minutes, the first 10 handled in 3 minutes each; 12
        agents on a call each, 23 more contacts connected to an agent who is not logged in,
        5 waiting."""
        start = now_ms() - 890_000
        events = []
        for i in range(50):
            ts = start + i * 16_000
            c = f"{channel}{i}"
            events.append({"type": "contact.queued", "ts": ts, "contact": c, "queue": "sales", "channel": channel})
            if i < 10:
                events.append({"type": "contact.answered", "ts": ts, "contact": c, "agent": "gone"})
                events.append({"type": "contact.ended", "ts": ts + 180_000, "contact": c})
        now = now_ms()
        for a in range(agents):
            events.append({"type": "agent.login", "ts": now, "agent": f"{channel}-a{a}", "queues": ["sales"],
                           "capacity": {channel: 1}})
            events.append({"type": "agent.state", "ts": now, "agent": f"{channel}-a{a}", "state": "on_contact"})
            events.append({"type": "contact.answered", "ts": now, "contact": f"{channel}{10 + a}",
                           "agent": f"{channel}-a{a}"})
        for i in range(10 + agents, 45):
            events.append({"type": "contact.answered", "ts": now, "contact": f"{channel}{i}", "agent": "gone"})
        for e in sorted(events, key=lambda e: e["ts"]):
            self.pub.send(e)
        return len(events)

    def test_the_worked_example_as_metrics_and_json(self):
        n = self.feed_worked_example()
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= n, what="events applied")
        q = dict(queue="sales", channel="voice")
        self.assertEqual(m.get("floorwatch_queue_required_agents", **q), 14)
        self.assertEqual(m.get("floorwatch_queue_staffed_agents", **q), 12)
        self.assertEqual(m.get("floorwatch_queue_staffing_gap_agents", **q), 2)
        self.assertEqual(m.get("floorwatch_queue_estimated_wait_seconds", **q), 90)
        self.assertEqual(m.get("floorwatch_queue_agent_slots", state="total", **q), 12)
        self.assertEqual(m.get("floorwatch_queue_agent_slots", state="used", **q), 12)
        # The chat channel has no demand (0 required) and, with capacity maps naming only
        # voice, no staffed agent: nobody waits there, yet a newcomer would find no slot.
        chat = dict(queue="sales", channel="chat")
        self.assertEqual(m.get("floorwatch_queue_required_agents", **chat), 0)
        self.assertEqual(m.get("floorwatch_queue_staffed_agents", **chat), 0)
        self.assertTrue(math.isnan(m.get("floorwatch_queue_estimated_wait_seconds", **chat)))
        rc, out = promtool_check(m.text)
        self.assertEqual(rc, 0, out)
        voice = next(o for o in self.daemon.queues()["queues"] if o["channel"] == "voice")
        self.assertEqual(voice["staffing"], {"required_agents": 14, "staffed_agents": 12, "staffing_gap_agents": 2,
                                             "estimated_wait_seconds": 90,
                                             "agent_slots": {"total": 12, "used": 12}})
        chat_json = next(o for o in self.daemon.queues()["queues"] if o["channel"] == "chat")
        self.assertIsNone(chat_json["staffing"]["estimated_wait_seconds"])

    def test_concurrency_3_on_chat_needs_5_agents_for_the_same_demand(self):
        n = self.feed_worked_example(channel="chat", agents=5)
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= n, what="events applied")
        chat = dict(queue="sales", channel="chat")
        self.assertEqual(m.get("floorwatch_queue_required_agents", **chat), 5)
        # The capacity maps give each agent 1 chat slot, not the channel's 3.
        self.assertEqual(m.get("floorwatch_queue_agent_slots", state="total", **chat), 5)

    def test_short_of_agents_fires_and_resolves_when_people_log_in(self):
        n = self.feed_worked_example()
        self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= n, what="events applied")

        def firing():
            alerts = json.loads(self.daemon.get("/api/v1/alerts")[1])
            return [a for a in alerts if a["alertname"] == "ShortOfAgents" and a["state"] == "firing"]

        alert = wait_until(firing, 10, "ShortOfAgents firing")[0]
        self.assertEqual((alert["queue"], alert["channel"]), ("sales", "voice"))
        self.assertEqual(alert["annotations"]["summary"], "sales voice: short of 2 agents")
        now = now_ms()
        for a in ("extra1", "extra2"):
            self.pub.send({"type": "agent.login", "ts": now, "agent": a, "queues": ["sales"]})
            self.pub.send({"type": "agent.state", "ts": now, "agent": a, "state": "available"})
        wait_until(lambda: not firing(), 10, "ShortOfAgents resolved")
        self.assertEqual(self.daemon.metrics().get("floorwatch_queue_staffing_gap_agents", queue="sales",
                                                   channel="voice"), 0)


class CapacityAcrossARestart(DaemonTestCase):
    CONFIG = CONFIG + 'state: {dir: "{dir}/state"}\n'

    def test_an_agents_capacity_map_survives_a_restart_from_the_snapshot(self):
        now = now_ms()
        self.pub.send({"type": "agent.login", "ts": now, "agent": "a1", "queues": ["sales"], "capacity": {"chat": 2}})
        self.pub.send({"type": "agent.state", "ts": now, "agent": "a1", "state": "available"})
        self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= 2, what="events applied")
        self.pub.close()
        self.daemon.signal(signal.SIGTERM)  # writes a snapshot; the restart reads it back
        self.assertEqual(self.daemon.proc.wait(timeout=10), 0)
        self.daemon.restart()
        self.pub = Publisher(zmq.PUSH, connect=self.daemon.inputs[0])
        # Nothing was re-applied from the journal: the capacity came from the snapshot.
        self.assertRegex(self.daemon.read_log(), r"state restored from .*: 0 journal records after the snapshot, "
                                                 r"0 contacts, 1 agents")
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_queue_agent_slots", queue="sales", channel="chat", state="total"), 2)
        self.assertEqual(m.get("floorwatch_queue_staffed_agents", queue="sales", channel="chat"), 1)
        # The map leaves voice out: no slots, not staffed there.
        self.assertEqual(m.get("floorwatch_queue_staffed_agents", queue="sales", channel="voice"), 0)


class BadStaffingSettings(unittest.TestCase):
    def test_check_config_refuses_bad_staffing_values_naming_key_and_line(self):
        cases = [
            ("defaults:\n  staffing: {max_occupancy: 1.5}\n", "defaults.staffing.max_occupancy (line 2)"),
            ("queues:\n  - id: web\n    channels: {chat: {staffing: {concurrency: 0}}}\n",
             "queues[0].channels.chat.staffing.concurrency (line 3)"),
            ("windows: [15m, today]\ndefaults: {staffing: {window: 1h}}\n", "defaults.staffing.window (line 2)"),
        ]
        for text, where in cases:
            with self.subTest(where=where):
                rc, out = check_config(text)
                self.assertNotEqual(rc, 0)
                self.assertIn(where, out)


if __name__ == "__main__":
    unittest.main()
