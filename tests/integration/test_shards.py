"""Queue shards as docs/scaling.md lays them out, with real processes: the simulator publishes
on one PUB socket; three floorwatchd shards each SUBscribe to their queues' contact topics
(`contact.<queue>`) and every agent event (`agent.`), list their queues with
`unknown_queues: reject`; one Prometheus scrapes the three (each with a `shard` label). An
unsharded daemon on the same feed, scraped by a second Prometheus with the same shipped
rules, is the reference, in the same run.

What is checked is what a user sees: the centre-wide recording rules (waiting, SL, AHT,
CSAT, required and staffed agents) give the same figures on the shards as on the one
daemon; every query of every Grafana board returns the same series on both (and the same
values, where a query does not depend on when its Prometheus scraped); and what the shards
cannot see: each counts every agent, so floorwatch_agents summed over the shards is three
times the centre's, and each counts the other shards' events as lost (seq gaps). The figures
are written to $FLOORWATCH_ARTIFACTS/shards.json.

A fourth daemon shards the other way: the whole feed, `queues: [{id: "sales-*"}]` and
`unknown_queues: reject`; it must see no gap, refuse the other queues' events, and count
its queues as the unsharded daemon does.

The simulator runs 25 s with transfers off (a transfer between two shards' queues is
lost, docs/scaling.md); overflows stay within a shard. The module takes about 32 s."""

import json
import math
import os
import subprocess
import time
import unittest

import yaml

from harness import Daemon, demo_config, floorsim, free_port, wait_until
from test_dashboards import (DASHBOARDS, PROMETHEUS, Prometheus, load, panels, resolve_variables, substitute)

SHARDS = {"a": ["sales-de", "sales-fr"], "b": ["billing", "vip"], "c": ["support-en", "tech-us"]}
SIMULATOR = ["--socket", "pub", "--bind", "--rate", "3000", "--agent-scale", "1.5", "--time-scale", "0.02",
             "--day-seconds", "60", "--start-hour", "9", "--seed", "11", "--duration", "25", "--transfer-share", "0",
             "--pub-settle", "2"]
CENTRE_RULES = ["channel:floorwatch_queue_waiting_contacts:sum", "channel_window:floorwatch_queue_service_level:ratio",
                "channel_window:floorwatch_queue_aht_seconds:mean", "window:floorwatch_queue_csat:ratio",
                "channel:floorwatch_queue_required_agents:sum", "channel:floorwatch_queue_staffed_agents:sum",
                "channel_outcome_window:floorwatch_queue_window_contacts:sum", "market_window:floorwatch_queue_csat:ratio",
                "vendor_market_window:floorwatch_team_aht_seconds:mean"]
# Queries whose value depends on the instant its Prometheus scraped at (rates, and ages such
# as the oldest open escalation's, which grow by the second): compared by series only.
TIME_DEPENDENT = ("rate(", "increase(", "oldest", "scrape_duration", "process_", "render_seconds", "event_lag")


def scale_thresholds(node):
    """The SL thresholds cut 20-fold (20 s -> 1 s) for the simulator's 50-fold faster run, so
    that some contacts miss them."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "threshold_seconds":
                node[key] = max(1, value // 20)
            else:
                scale_thresholds(value)
    elif isinstance(node, list):
        for item in node:
            scale_thresholds(item)


def daemon_config(feed, queues=None):
    """config/demo.yaml on a SUB input, its SL thresholds and short abandons scaled to the
    run; with `queues`, a shard: only those queues, the rest refused."""
    config = yaml.safe_load(demo_config())
    scale_thresholds(config)
    config["defaults"]["short_abandon_seconds"] = 1
    subscribe = [""]
    if queues is not None:
        config["queues"] = [q for q in config["queues"] if q["id"] in queues]
        config["unknown_queues"] = "reject"
        subscribe = [f"contact.{q}" for q in queues] + ["agent."]
    config["inputs"] = [{"endpoint": feed, "socket": "sub", "mode": "connect", "subscribe": subscribe}]
    return yaml.safe_dump(config, sort_keys=False)


def pattern_shard_config(feed):
    """The other way to shard (docs/scaling.md): the whole feed, the queues named by a
    pattern (`sales-*`), every other queue's events refused as unknown_queue."""
    config = yaml.safe_load(daemon_config(feed))
    config["queues"] = [{"id": "sales-*", "labels": {"team": "retail"}}]
    config["unknown_queues"] = "reject"
    return yaml.safe_dump(config, sort_keys=False)


def by_labels(result):
    return {tuple(sorted(s["metric"].items())): float(s["value"][1]) for s in result}


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@unittest.skipUnless(PROMETHEUS, "prometheus is not installed")
class ThreeShardsAgainstOneDaemon(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        port = free_port()
        feed = f"tcp://127.0.0.1:{port}"
        cls.shards = {name: Daemon(daemon_config(feed, queues)) for name, queues in SHARDS.items()}
        cls.whole = Daemon(daemon_config(feed))
        cls.pattern_shard = Daemon(pattern_shard_config(feed))
        cls.prom_shards = Prometheus([(f"127.0.0.1:{d.port}", {"shard": n}) for n, d in cls.shards.items()])
        cls.prom_whole = Prometheus(f"127.0.0.1:{cls.whole.port}")
        tally = os.path.join(cls.whole.dir, "tally.json")
        sim = floorsim(feed, *SIMULATOR, "--tally-file", tally, stderr=subprocess.DEVNULL)
        sim.wait(timeout=60)
        with open(tally) as f:
            cls.events = json.load(f)["events_sent"]
        # Every daemon has taken in the whole run, then both Prometheus scrape and evaluate it.
        wait_until(lambda: cls.received(cls.whole) == cls.events, 20, "the unsharded daemon received every event")
        wait_until(cls.shards_settled, 20, "the shards received their last events")
        wait_until(lambda: cls.received(cls.pattern_shard) == cls.events, 20, "the pattern shard received every event")
        time.sleep(4)

    @classmethod
    def tearDownClass(cls):
        cls.prom_shards.stop()
        cls.prom_whole.stop()
        for d in list(cls.shards.values()) + [cls.whole, cls.pattern_shard]:
            d.stop()

    @classmethod
    def shards_settled(cls):
        """True once no shard's count of received events moves for half a second."""
        before = [cls.received(d) for d in cls.shards.values()]
        time.sleep(0.5)
        return before == [cls.received(d) for d in cls.shards.values()]

    @staticmethod
    def received(daemon):
        return daemon.metrics().get("floorwatch_events_received_total")

    def query(self, prom, expr):
        r = prom.query(expr)
        self.assertEqual(r.get("status"), "success", f"{expr}: {r.get('error')}")
        return by_labels(r["data"]["result"])

    def test_each_shard_takes_in_only_its_queues_events_and_rejects_none(self):
        for name, d in self.shards.items():
            m = d.metrics()
            self.assertEqual(m.total("floorwatch_events_rejected_total"), 0, name)
            self.assertEqual({dict(k[1])["queue"] for k in m.samples if k[0] == "floorwatch_queue_info"},
                             set(SHARDS[name]))
        self.assertLess(max(self.received(d) for d in self.shards.values()), self.events)

    def test_each_shard_counts_the_events_its_subscription_filtered_out_as_lost(self):
        # `seq` runs per source over the whole feed, so a shard sees a jump wherever another
        # shard's events were (docs/scaling.md); all but those published before its first one.
        for name, d in self.shards.items():
            m = d.metrics()
            self.assertAlmostEqual(m.total("floorwatch_events_gap_total"), self.events - self.received(d), delta=10,
                                   msg=name)

    def test_a_pattern_shard_on_the_whole_feed_owns_its_queues_loses_nothing_and_refuses_the_rest(self):
        m, whole = self.pattern_shard.metrics(), self.whole.metrics()
        queues = {dict(k[1])["queue"] for k in m.samples if k[0] == "floorwatch_queue_info"}
        self.assertEqual(queues, {"sales-de", "sales-fr"})
        self.assertEqual(m.get("floorwatch_queue_info", queue="sales-de", team="retail"), 1)
        self.assertEqual(m.total("floorwatch_events_gap_total"), 0)  # it sees every seq
        self.assertGreater(m.total("floorwatch_events_rejected_total", reason="unknown_queue"), 0)
        for name in ("floorwatch_queue_offered_total", "floorwatch_queue_answered_total"):
            for queue in sorted(queues):
                with self.subTest(name=name, queue=queue):
                    self.assertGreater(whole.total(name, queue=queue), 0)
                    self.assertEqual(m.total(name, queue=queue), whole.total(name, queue=queue))

    def test_the_centre_wide_figures_on_three_shards_equal_those_of_one_daemon(self):
        figures = {}
        for rule in CENTRE_RULES:
            with self.subTest(rule=rule):
                sharded, whole = self.query(self.prom_shards, rule), self.query(self.prom_whole, rule)
                self.assertTrue(whole, f"{rule}: no data")
                self.assertEqual(sorted(sharded), sorted(whole))
                for labels, value in whole.items():
                    self.assertTrue(same(sharded[labels], value), f"{rule}{dict(labels)}: {sharded[labels]} vs {value}")
                figures[rule] = [[dict(k), whole[k], sharded[k]] for k in sorted(whole)]
        mean = "avg by (channel, window) (floorwatch_queue_service_level_ratio)"  # what not to do
        write_artifact({"events": self.events, "received": {n: self.received(d) for n, d in self.shards.items()},
                        "figures": figures, "agents": self.agents(),
                        "mean_of_queue_sl_ratios": [[dict(k), v] for k, v in self.query(self.prom_whole, mean).items()]})

    def agents(self):
        expr = "sum by (state) (floorwatch_agents)"
        return {name: {dict(k)["state"]: v for k, v in self.query(prom, expr).items()}
                for name, prom in (("shards_summed", self.prom_shards), ("whole", self.prom_whole))}

    def test_each_shard_counts_every_agent_so_agent_totals_triple(self):
        shards = self.query(self.prom_shards, "sum(floorwatch_agents)")[()]
        whole = self.query(self.prom_whole, "sum(floorwatch_agents)")[()]
        self.assertGreater(whole, 0)
        self.assertEqual(shards, 3 * whole)

    def test_every_board_query_gives_the_same_series_on_three_shards_as_on_one_daemon(self):
        checked = 0
        for path in DASHBOARDS:
            d = load(path)
            if d["uid"] == "floorwatch-health":  # one series per daemon by design
                continue
            values = resolve_variables(self.prom_whole, d)
            for p in panels(d):
                for t in p.get("targets", []):
                    expr = substitute(t["expr"], values)
                    with self.subTest(dashboard=d["uid"], panel=p["title"], ref=t["refId"]):
                        self.compare(expr)
                        checked += 1
        self.assertGreater(checked, 80)

    def compare(self, expr):
        sharded, whole = self.query(self.prom_shards, expr), self.query(self.prom_whole, expr)
        self.assertEqual(sorted(sharded), sorted(whole), expr)
        if any(s in expr for s in TIME_DEPENDENT):
            return
        for labels, value in whole.items():
            self.assertTrue(same(sharded[labels], value), f"{expr} {dict(labels)}: {sharded[labels]} vs {value}")


def write_artifact(doc):
    folder = os.environ.get("FLOORWATCH_ARTIFACTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "shards.json"), "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    unittest.main()
