"""Grafana dashboards proven against a real Prometheus loaded with the shipped recording
rules, scraping a daemon fed by the simulator (with the forecast it writes): every query of
every panel of every dashboard, with its variables set to real values, runs without error
and returns data (a finite value), and a table's queries return exactly the labels its rows
are merged on. Also checks the JSON: unique panel ids,
datasource by variable, units set, no queue names."""

import glob
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

from demo_forecast import write_forecast
from harness import ROOT, Daemon, demo_config, floorsim, free_port, wait_http_ready

PROMETHEUS = shutil.which("prometheus")
DASHBOARDS = sorted(glob.glob(os.path.join(ROOT, "dashboards", "grafana", "*.json")))
RULES = os.path.join(ROOT, "dashboards", "prometheus-rules.yml")
DEMO_QUEUES = ["sales-de", "sales-fr", "support-en", "billing", "vip", "tech-us"]


def load(path):
    with open(path) as f:
        return json.load(f)


def panels(dashboard):
    for p in dashboard["panels"]:
        yield p
        yield from p.get("panels", [])


class DashboardJson(unittest.TestCase):
    def test_the_committed_dashboards_are_the_generators_output(self):
        r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_dashboards.py"), "--check"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_there_are_six_dashboards(self):
        self.assertEqual({load(p)["uid"] for p in DASHBOARDS},
                         {"floorwatch-wallboard", "floorwatch-supervisor", "floorwatch-health",
                          "floorwatch-escalations", "floorwatch-teams", "floorwatch-staffing"})

    def test_panel_ids_are_unique(self):
        for path in DASHBOARDS:
            ids = [p["id"] for p in panels(load(path))]
            self.assertEqual(len(ids), len(set(ids)), path)

    def test_every_panel_and_query_uses_the_datasource_variable(self):
        for path in DASHBOARDS:
            d = load(path)
            names = [v["name"] for v in d["templating"]["list"]]
            self.assertIn("datasource", names)
            for p in panels(d):
                self.assertEqual(p["datasource"], {"type": "prometheus", "uid": "${datasource}"}, p["title"])
                for t in p.get("targets", []):
                    self.assertEqual(t["datasource"]["uid"], "${datasource}", p["title"])
            self.assertNotRegex(json.dumps(d), r'"uid": "(?!\$\{datasource\}|floorwatch-)[^"]+"')

    def test_every_panel_has_a_unit(self):
        for path in DASHBOARDS:
            for p in panels(load(path)):
                self.assertTrue(p["fieldConfig"]["defaults"].get("unit"), f"{path}: {p['title']}")

    def test_no_query_names_a_queue(self):
        for path in DASHBOARDS:
            text = json.dumps(load(path))
            for q in DEMO_QUEUES:
                self.assertNotIn(q, text)
            for p in panels(load(path)):
                for t in p.get("targets", []):
                    for m in re.finditer(r'queue=~?"([^"]*)"', t["expr"]):
                        self.assertEqual(m.group(1), "$queue", t["expr"])

    def test_the_wallboard_refreshes_itself_and_has_the_queue_variables(self):
        d = load(os.path.join(ROOT, "dashboards", "grafana", "floorwatch-wallboard.json"))
        self.assertTrue(d["refresh"])
        self.assertEqual([v["name"] for v in d["templating"]["list"]], ["datasource", "site", "market", "team", "queue"])

    def test_the_staffing_board_chooses_queue_and_channel_and_every_queue_panel_follows_both(self):
        d = load(os.path.join(ROOT, "dashboards", "grafana", "floorwatch-staffing.json"))
        self.assertEqual([v["name"] for v in d["templating"]["list"]],
                         ["datasource", "site", "market", "team", "queue", "channel"])
        for p in panels(d):
            for t in p["targets"]:
                if not t["expr"].startswith("channel:"):  # those are the centre-wide recording rules
                    self.assertIn('channel=~"$channel"', t["expr"], p["title"])


class Prometheus:
    """The Debian prometheus server scraping `target` (an address, or a list of (address,
    target labels) for several daemons in the job), with the shipped recording and alert rules."""

    def __init__(self, target, interval="1s"):
        targets = [(target, {})] if isinstance(target, str) else target
        static = ", ".join(f'{{targets: ["{address}"], labels: {json.dumps(labels)}}}' for address, labels in targets)
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="prom-test-")
        cfg = os.path.join(self.dir, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write(f"""global: {{scrape_interval: {interval}, evaluation_interval: {interval}}}
rule_files: ["{RULES}"]
scrape_configs:
  - job_name: floorwatch
    scrape_timeout: {interval}
    static_configs: [{static}]
""")
        self.log = open(os.path.join(self.dir, "prometheus.log"), "w")
        self.proc = subprocess.Popen([PROMETHEUS, f"--config.file={cfg}", f"--storage.tsdb.path={self.dir}/data",
                                      f"--web.listen-address=127.0.0.1:{self.port}"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_http_ready(f"{self.url}/-/ready", self.proc, 30, "prometheus")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, path, **params):
        query = urllib.parse.urlencode(params, doseq=True)
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            return json.loads(e.read())

    def query(self, expr):
        return self.api("query", query=expr)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# The simulator's run: five times the demo's agents, 50 times faster, with arrivals to keep
# them busy (about 400 events/s).
SIMULATOR = ["--rate", "4000", "--agent-scale", "5", "--time-scale", "0.02", "--day-seconds", "60",
             "--start-hour", "9", "--seed", "3", "--duration", "40", "--forecast-interval", "15m"]


def resolve_variables(prom, dashboard):
    """Sets each query variable to the first real value its query returns, in order."""
    values = {"__rate_interval": "20s", "__interval": "1s", "__range": "1m"}
    for var in dashboard["templating"]["list"]:
        if var["type"] != "query":
            continue
        m = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", var["query"]["query"])
        assert m, var["query"]["query"]
        selector = substitute(m.group(1), values)
        series = prom.api("series", **{"match[]": selector, "start": time.time() - 600})
        found = sorted({s[m.group(2)] for s in series.get("data", []) if m.group(2) in s})
        assert found, f"variable {var['name']}: {selector} found no {m.group(2)}"
        values[var["name"]] = prometheus_regex_escape(found[0])
    return values


def prometheus_regex_escape(value):
    """As Grafana's Prometheus datasource escapes a variable's value for =~ matchers."""
    return re.sub(r"([$^*{}\[\]'+?.()|])", r"\\\\\1", value.replace("\\", "\\\\\\\\"))


def table_keys(panel):
    """The labels a table panel merges its queries' rows on (None for other panels)."""
    if panel["type"] != "table":
        return None
    organize = next(t["options"] for t in panel["transformations"] if t["id"] == "organize")
    return set(organize["indexByName"]) - set(organize["renameByName"].values())


def substitute(expr, values):
    for name in sorted(values, key=len, reverse=True):
        expr = expr.replace("${" + name + "}", values[name]).replace("$" + name, values[name])
    return expr


@unittest.skipUnless(PROMETHEUS, "prometheus is not installed")
class DashboardsAgainstPrometheus(unittest.TestCase):
    def test_every_panel_query_returns_data(self):
        # The demo's queues, settings and alert rules (its input and durable state swapped for
        # a bound PULL and memory only), with the forecast the simulator writes for its run.
        forecast = os.path.join(tempfile.mkdtemp(prefix="floorwatch-forecast-"), "forecast.csv")
        write_forecast(forecast, SIMULATOR)
        daemon = Daemon(demo_config(forecast=forecast))
        # The first queue and team (the variables' first values) see escalations (resolved
        # ones too), surveys and evaluations within the half minute (tech-us: 8 to 14
        # escalations; inhouse-berlin-de: 4 to 7 evaluations, in runs by hand).
        sim = floorsim(daemon.inputs[0], "--socket", "push", *SIMULATOR, stderr=subprocess.DEVNULL)
        prom = Prometheus(f"127.0.0.1:{daemon.port}")
        try:
            # Enough scrapes for rate() over the $__rate_interval (20 s) and traffic in every queue.
            deadline = time.time() + 60
            while True:
                r = prom.query('count_over_time(up{job="floorwatch"}[1m])')
                if r["data"]["result"] and float(r["data"]["result"][0]["value"][1]) >= 25:
                    break
                self.assertLess(time.time(), deadline, "Prometheus did not collect 25 scrapes")
                time.sleep(1)
            checked = 0
            for path in DASHBOARDS:
                d = load(path)
                values = resolve_variables(prom, d)
                for p in panels(d):
                    for t in p.get("targets", []):
                        expr = substitute(t["expr"], values)
                        with self.subTest(dashboard=d["uid"], panel=p["title"], ref=t["refId"]):
                            self.check_query(prom, expr, table_keys(p))
                            checked += 1
            self.assertGreater(checked, 90)
        finally:
            sim.terminate()
            sim.wait()
            prom.stop()
            self.assertEqual(daemon.stop(), 0)
            shutil.rmtree(os.path.dirname(forecast), ignore_errors=True)

    def check_query(self, prom, expr, keys):
        r = prom.query(expr)
        self.assertEqual(r.get("status"), "success", f"{expr}: {r.get('error')}")
        result = r["data"]["result"]
        self.assertTrue(result, f"no data: {expr}")
        values = [float(s["value"][1]) for s in result]
        self.assertTrue([v for v in values if not math.isnan(v)], f"only NaN: {expr}")
        if keys is not None:
            self.assertEqual([set(s["metric"]) for s in result], [keys] * len(result), expr)


if __name__ == "__main__":
    unittest.main()
