"""The simulator (tools/floorsim.py) feeds the real daemon; at the end every counter and gauge
the daemon shows equals the simulator's own ground-truth tally, the customer outcomes
(repeats, escalations, abandon reasons, surveys, evaluations) included. The demo's surge
schedule makes the demo's alert rules (config/demo.yaml) fire on the surged queue, BreachAhead
before ServiceLevelLow, and
config/demo.yaml lists every team the simulator's agents log in with. --no-outcomes leaves
the outcome events and fields out."""

import json
import os
import signal
import subprocess
import tempfile
import time
import unittest

import zmq

from harness import Daemon, assert_matches_ground_truth, demo_config, floorsim, promtool_check, wait_until

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
defaults: {service_level: {threshold_seconds: 20}}
"""


# The events floorsim sent before it had customer outcomes (--no-outcomes sends only these).
CORE_TYPES = {"contact.queued", "contact.answered", "contact.abandoned", "contact.transferred", "contact.ended",
              "contact.wrapped", "agent.login", "agent.state"}
OUTCOME_FIELDS = {"contact.queued": "customer", "contact.abandoned": "reason"}


def outcome_differences(m, truth):
    """Where the daemon's outcome counters differ from floorsim's tally, per queue/channel:
    repeat contacts, escalations (first and raised), repeat escalations (in the 15m window:
    the run is shorter), abandons by reason, and surveys and evaluations when the daemon
    counts them (its feedback model)."""
    diffs = []
    feedback = any(name == "floorwatch_queue_surveys_total" for name, _ in m.samples)
    for key, t in truth["outcomes"].items():
        queue, channel = key.split("/")
        labels = dict(queue=queue, channel=channel)
        pairs = [("repeat", m.get("floorwatch_queue_repeat_contacts_total", **labels), t["repeat"]),
                 ("escalations", m.total("floorwatch_queue_escalations_total", **labels),
                  t["escalated"] + t["raised"]),
                 ("repeat escalations", m.get("floorwatch_queue_window_contacts", outcome="repeat_escalated",
                                              window="15m", **labels), t["repeat_escalated"])]
        for reason, n in t["abandoned_by_reason"].items():
            pairs.append((f"abandoned {reason}",
                          m.get("floorwatch_queue_abandoned_by_reason_total", reason=reason, **labels), n))
        if feedback:
            pairs += [("surveys", m.total("floorwatch_queue_surveys_total", **labels), t["surveys"]),
                      ("evaluations", m.total("floorwatch_queue_evaluations_total", **labels), t["evaluations"])]
        diffs += [f"{key} {what}: daemon {got}, truth {want}" for what, got, want in pairs if got != want]
    return diffs


def outcome_totals(truth):
    totals = {}
    for t in truth["outcomes"].values():
        for field, n in t.items():
            if isinstance(n, dict):
                for reason, k in n.items():
                    totals[f"abandoned_{reason}"] = totals.get(f"abandoned_{reason}", 0) + k
            else:
                totals[field] = totals.get(field, 0) + n
    return totals


def stop(sim):
    if sim.poll() is None:
        sim.send_signal(signal.SIGTERM)
        sim.wait()


class SimulatorGroundTruth(unittest.TestCase):
    def test_daemon_figures_equal_the_simulators_ground_truth(self):
        daemon = Daemon(CONFIG)
        tally_path = tempfile.mktemp(suffix=".json")
        sim = floorsim(daemon.inputs[0], "--socket", "push",
                       "--rate", "3000", "--agent-scale", "3", "--time-scale", "0.02", "--day-seconds", "60",
                       "--start-hour", "9", "--transfer-share", "0.05", "--seed", "7",
                       "--duration", "20", "--tally-file", tally_path, stderr=subprocess.PIPE, text=True)
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
            self.assertEqual(outcome_differences(m, truth), [])
            totals = outcome_totals(truth)
            for field in ("repeat", "escalated", "messages", "surveys", "abandoned_customer"):
                self.assertGreater(totals[field], 0, totals)
            print(f"\noutcomes: {totals}", flush=True)
        finally:
            stop(sim)
            self.assertEqual(daemon.stop(), 0)
            if os.path.exists(tally_path):
                os.unlink(tally_path)


class DemoSurge(unittest.TestCase):
    """tools/demo.sh's surge (sales-de's arrivals x6), run 2x faster than the demo
    (--time-scale 0.125 instead of 0.25, with 2x the arrivals and a 3-hour daily curve, the
    surge 8 s in for 60 s): the demo's BreachAhead rule pages on sales-de before its
    ServiceLevelLow does, as /api/v1/alerts shows them. Not faster: the service-level
    threshold (20 s) does not scale, and at 5x the callers' patience (5.5 s on average) is so
    far below it that they hang up before any breach is projected. Takes about 65 s (the
    QueueBacklog-only version took 22 s)."""

    def firing(self, daemon):
        status, body = daemon.get("/api/v1/alerts")
        self.assertEqual(status, 200)
        return [a for a in json.loads(body) if a["state"] == "firing" and a["queue"] == "sales-de"]

    def test_the_demo_surge_pages_breach_ahead_before_service_level_low(self):
        # unknown_teams: reject: an agent.login naming a team config/demo.yaml lacks is rejected.
        daemon = Daemon(demo_config() + "unknown_teams: reject\n")
        sim = floorsim(daemon.inputs[0], "--socket", "push", "--rate", "120", "--time-scale", "0.125",
                       "--day-seconds", "10800", "--start-hour", "9.5", "--seed", "5", "--duration", "120",
                       "--surge-at", "8", "--surge-seconds", "60", "--surge-factor", "6", "--surge-queues", "sales-de",
                       stderr=subprocess.PIPE, text=True)
        first = {}  # alertname -> (seconds after the start it was first seen firing, the alert)
        try:
            started = time.time()
            self.assertEqual(self.firing(daemon), [])

            def service_level_low():
                for a in self.firing(daemon):
                    first.setdefault(a["alertname"], (time.time() - started, a))
                return "ServiceLevelLow" in first

            wait_until(service_level_low, 110, "ServiceLevelLow firing on sales-de")
            self.assertIn("BreachAhead", first, sorted(first))
            ahead_seen, ahead = first["BreachAhead"]
            low_seen, low = first["ServiceLevelLow"]
            # The daemon's own times (one clock, ms resolution), and what a poller saw.
            self.assertLess(ahead["firingSince"], low["firingSince"], (ahead, low))
            self.assertLess(ahead_seen, low_seen)
            self.assertGreater(ahead["value"], 0)
            self.assertRegex(ahead["annotations"]["summary"],
                             r"^sales-de (voice|chat): \d+ waiting contacts will pass the service-level threshold$")
            m = daemon.metrics()
            self.assertGreaterEqual(m.get("floorwatch_alerts_firing", alertname="ServiceLevelLow", severity="warning"),
                                    1)
            self.assertEqual(m.total("floorwatch_events_rejected_total"), 0, daemon.read_log()[-2000:])
            print(f"\nsurge: BreachAhead firing on sales-de {ahead['channel']} since {ahead['firingSince']} "
                  f"(seen {ahead_seen:.1f} s after the start), ServiceLevelLow {low['channel']} since "
                  f"{low['firingSince']} (seen {low_seen:.1f} s)", flush=True)
        finally:
            stop(sim)
            sim_log = sim.stderr.read()
            sim.stderr.close()
            self.assertEqual(daemon.stop(), 0)
        self.assertIn("surge x6 on sales-de from 8 s for 60 s", sim_log)


class NoOutcomes(unittest.TestCase):
    def test_no_outcomes_sends_only_the_core_events_and_fields(self):
        ctx = zmq.Context()
        pull = ctx.socket(zmq.PULL)
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        sim = floorsim(f"tcp://127.0.0.1:{port}", "--socket", "push", "--rate", "3000", "--time-scale", "0.02",
                       "--day-seconds", "60", "--start-hour", "9", "--seed", "7", "--duration", "4",
                       "--no-outcomes", stderr=subprocess.DEVNULL)
        events = []
        try:
            while sim.poll() is None or pull.poll(200):
                if pull.poll(100):
                    events.append(json.loads(pull.recv_multipart()[-1]))
        finally:
            stop(sim)
            pull.close(linger=0)
            ctx.term()
        self.assertEqual(sim.returncode, 0)
        self.assertGreater(len(events), 300)
        self.assertLessEqual({e["type"] for e in events}, CORE_TYPES)
        self.assertIn("contact.abandoned", {e["type"] for e in events})
        self.assertEqual([e for e in events if OUTCOME_FIELDS.get(e["type"]) in e], [])


if __name__ == "__main__":
    unittest.main()
