"""The built-in wallboard page in headless Chromium: the numbers it shows are the ones
/api/v1/queues serves (the staffing line too: staffed / required agents, the shortfall in
red, the estimated wait), and a screenshot is saved as a test artifact."""

import os
import shutil
import subprocess
import tempfile
import unittest
from html.parser import HTMLParser

from harness import ROOT, DaemonTestCase, now_ms

CHROMIUM = shutil.which("chromium")
ARTIFACTS = os.environ.get("FLOORWATCH_ARTIFACTS", os.path.join(ROOT, "build", "test-artifacts"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1920,1080", "--virtual-time-budget=5000"]

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: [{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}]
queues:
  - {id: sales-de, labels: {team: retail}, service_level: {threshold_seconds: 30, target: 0.8}}
  - {id: support, labels: {team: care}, channels: {voice: {}, chat: {}}}
alerts:
  - {name: Backlog, measure: waiting_contacts, op: ">", threshold: 2, queues: [support], channels: [chat]}
"""


class Values(HTMLParser):
    """Collects the text (values) and the class (classes) of every element with data-q /
    data-ch / data-f."""

    def __init__(self):
        super().__init__()
        self.values = {}
        self.classes = {}
        self._open = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        key = (a.get("data-q"), a.get("data-ch"), a.get("data-f")) if "data-f" in a else None
        if key:
            self.values.setdefault(key, "")
            self.classes[key] = set((a.get("class") or "").split())
        self._open.append(key)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1]:
            key = self._open[-1]
            self.values[key] = self.values.get(key, "") + data


def mmss(s):
    s = max(0, round(s))
    return f"{s // 60}:{s % 60:02d}"


def pct(r):
    return "–" if r is None else f"{r * 100:.0f}%"


def num(n):
    return "–" if n is None else str(n)


def shown_dom(url):
    """(values, classes, the DOM) of the page at url as headless Chromium renders it."""
    result = chromium("--dump-dom", url)
    parser = Values()
    parser.feed(result.stdout)
    return parser.values, parser.classes, result.stdout + result.stderr[-2000:]


def chromium(*args):
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@unittest.skipUnless(CHROMIUM, "chromium is not installed")
class Wallboard(DaemonTestCase):
    CONFIG = CONFIG

    def setUp(self):
        super().setUp()
        t = now_ms()
        events = [
            {"type": "agent.login", "ts": t, "agent": "a1", "queues": ["sales-de", "support"]},
            {"type": "agent.state", "ts": t, "agent": "a1", "state": "available"},
            {"type": "agent.login", "ts": t, "agent": "a2", "queues": ["support"]},
        ]
        # sales-de: 4 answered (3 within 30 s), 1 abandoned after 40 s; 2 still waiting.
        for i, wait in enumerate([5, 10, 20, 45]):
            events += [{"type": "contact.queued", "ts": t - 300_000, "contact": f"s{i}", "queue": "sales-de"},
                       {"type": "contact.answered", "ts": t - 300_000 + wait * 1000, "contact": f"s{i}", "agent": "a1"}]
        events += [{"type": "contact.queued", "ts": t - 200_000, "contact": "sx", "queue": "sales-de"},
                   {"type": "contact.abandoned", "ts": t - 160_000, "contact": "sx"}]
        events += [{"type": "contact.queued", "ts": t - 95_000, "contact": "w1", "queue": "sales-de"},
                   {"type": "contact.queued", "ts": t - 30_000, "contact": "w2", "queue": "sales-de"}]
        # support chat: 3 waiting, so the Backlog alert fires.
        events += [{"type": "contact.queued", "ts": t - 10_000, "contact": f"c{i}", "queue": "support", "channel": "chat"}
                   for i in range(3)]
        for e in events:
            self.pub.send(e)
        self.daemon.wait_received(len(events))
        self.daemon.wait_for(lambda m: m.get("floorwatch_alerts_firing", alertname="Backlog", severity="warning") == 1,
                             what="alert firing")

    def test_the_page_shows_what_the_api_serves(self):
        result = chromium("--dump-dom", self.daemon.url("/"))
        api = self.daemon.queues()
        parser = Values()
        parser.feed(result.stdout)
        shown = parser.values
        self.assertTrue(shown, "the page rendered no figures:\n" + result.stdout[:2000] + result.stderr[-2000:])
        self.assertEqual({(q, ch) for q, ch, _ in shown}, {(q["queue"], q["channel"]) for q in api["queues"]})
        for q in api["queues"]:
            key = lambda f: (q["queue"], q["channel"], f)
            w15, today, w1h = q["windows"]["15m"], q["windows"]["today"], q["windows"]["1h"]
            with self.subTest(queue=q["queue"], channel=q["channel"]):
                self.assertEqual(shown[key("waiting_contacts")], str(q["waiting_contacts"]))
                # The oldest wait ages between the page's fetch and ours: allow 3 s.
                m, s = shown[key("oldest_wait_seconds")].split(":")
                self.assertAlmostEqual(int(m) * 60 + int(s), q["oldest_wait_seconds"], delta=3)
                self.assertEqual(shown[key("sl_15m")], pct(w15["service_level_ratio"]))
                self.assertEqual(shown[key("sl_today")], pct(today["service_level_ratio"]))
                self.assertEqual(shown[key("abandon_1h")], pct(w1h["abandon_ratio"]))
                expected_asa = "–" if w15["asa_seconds"] is None else mmss(w15["asa_seconds"])
                self.assertEqual(shown[key("asa_15m")], expected_asa)
                for state in ("available", "on_contact", "acw", "not_ready"):
                    self.assertEqual(shown[key(state)], str(q["agents"][state]))
                staffing = q["staffing"]
                self.assertEqual(shown[key("staffed_agents")], num(staffing["staffed_agents"]))
                self.assertEqual(shown[key("required_agents")], num(staffing["required_agents"]))
                wait = staffing["estimated_wait_seconds"]
                self.assertEqual(shown[key("estimated_wait_seconds")], "–" if wait is None else mmss(wait))
                prediction = q["prediction"]
                self.assertEqual(shown[key("projected_breaches")], num(prediction["projected_breaches"]))
                self.assertEqual(shown[key("projected_service_level")], pct(prediction["projected_service_level"]))
        # Known values, so the comparison above is not comparing two empty things.
        self.assertEqual(shown[("sales-de", "voice", "waiting_contacts")], "2")
        self.assertEqual(shown[("sales-de", "voice", "sl_15m")], "60%")  # 3 / (4 + 1)
        self.assertEqual(shown[("sales-de", "voice", "available")], "1")
        self.assertEqual(shown[("support", "chat", "alerts")].strip(), "▲ Backlog (warning)")
        self.assertIn('class="tile bad', result.stdout)  # 60% against a target of 80%
        # sales-de: a1 staffed; demand but nothing ended yet (no AHT): no required agents,
        # and with a1's one slot taken no estimated wait either.
        self.assertEqual(shown[("sales-de", "voice", "staffed_agents")], "1")
        self.assertEqual(shown[("sales-de", "voice", "required_agents")], "–")
        self.assertEqual(shown[("sales-de", "voice", "staffing_gap_agents")], "")
        self.assertEqual(shown[("sales-de", "voice", "estimated_wait_seconds")], "–")
        # sales-de's two callers are past 20 s already: lost to the SL, not ahead. support chat
        # has a staffed agent but no AHT yet to project its 3 chats with: no figure.
        self.assertEqual(shown[("sales-de", "voice", "projected_breaches")], "0")
        self.assertEqual(shown[("sales-de", "voice", "seconds_to_breach")], "")
        self.assertEqual(shown[("support", "chat", "projected_breaches")], "–")

    def test_cols_forces_the_column_count_and_filters_out_no_queue(self):
        result = chromium("--dump-dom", self.daemon.url("/?cols=1"))
        parser = Values()
        parser.feed(result.stdout)
        self.assertEqual({(q, ch) for q, ch, _ in parser.values},
                         {("sales-de", "voice"), ("support", "voice"), ("support", "chat")})
        self.assertIn('style="--cols: 1;', result.stdout)

    def test_a_screenshot_is_saved_as_an_artifact(self):
        os.makedirs(ARTIFACTS, exist_ok=True)
        path = os.path.join(ARTIFACTS, "wallboard.png")
        if os.path.exists(path):
            os.unlink(path)
        result = chromium(f"--screenshot={path}", self.daemon.url("/"))
        self.assertTrue(os.path.exists(path), result.stderr[-2000:])
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(path), 20_000)  # a rendered board, not a blank page
        print(f"\nwallboard screenshot: {path}")


STAFFING_CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: [{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}]
windows: [15m, 1h, today]
defaults:
  service_level: {threshold_seconds: 20, target: 0.8}
  staffing: {window: 15m, max_occupancy: 0.85}
queues: [{id: sales}, {id: calm}]
"""


def worked_example(agents=12):
    """The worked example of docs/staffing.md on sales voice: 50 contacts over the last 15
    minutes, the first 10 handled in 3 minutes each (10 Erlangs: 14 agents needed for 80% in
    20 s); `agents` agents on a call each, 23 more contacts connected to an agent not logged
    in, 5 waiting (estimated wait (5 - 0 + 1) x 180 / 12 = 90 s). One agent available on calm,
    which has no demand (0 needed)."""
    start, now = now_ms() - 890_000, now_ms()
    events = []
    for i in range(50):
        ts = start + i * 16_000
        events.append({"type": "contact.queued", "ts": ts, "contact": f"v{i}", "queue": "sales"})
        if i < 10:
            events += [{"type": "contact.answered", "ts": ts, "contact": f"v{i}", "agent": "gone"},
                       {"type": "contact.ended", "ts": ts + 180_000, "contact": f"v{i}"}]
    for a in range(agents):
        events += [{"type": "agent.login", "ts": now, "agent": f"a{a}", "queues": ["sales"]},
                   {"type": "agent.state", "ts": now, "agent": f"a{a}", "state": "on_contact"},
                   {"type": "contact.answered", "ts": now, "contact": f"v{10 + a}", "agent": f"a{a}"}]
    events += [{"type": "contact.answered", "ts": now, "contact": f"v{i}", "agent": "gone"}
               for i in range(10 + agents, 45)]
    events += [{"type": "agent.login", "ts": now, "agent": "calm1", "queues": ["calm"]},
               {"type": "agent.state", "ts": now, "agent": "calm1", "state": "available"}]
    return sorted(events, key=lambda e: e["ts"])


@unittest.skipUnless(CHROMIUM, "chromium is not installed")
class WallboardStaffing(DaemonTestCase):
    CONFIG = STAFFING_CONFIG

    def show(self, events):
        for e in events:
            self.pub.send(e)
        self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= len(events), what="events applied")
        return shown_dom(self.daemon.url("/"))

    def test_contacts_that_will_breach_show_in_red_with_the_time_to_the_first(self):
        # Nobody staffs "lonely": both callers (5 s and 2 s old) will pass 20 s, the first in 0:15.
        t = now_ms()
        shown, classes, dom = self.show([
            {"type": "contact.queued", "ts": t - 5_000, "contact": "l1", "queue": "lonely"},
            {"type": "contact.queued", "ts": t - 2_000, "contact": "l2", "queue": "lonely"}])
        lonely = next(q for q in self.daemon.queues()["queues"] if q["queue"] == "lonely")
        self.assertEqual(lonely["prediction"]["projected_breaches"], 2, lonely["prediction"])
        key = lambda f: ("lonely", "voice", f)
        self.assertEqual(shown[key("projected_breaches")], "2", dom[:3000])
        self.assertIn("bad", classes[key("projected_breaches")])
        self.assertRegex(shown[key("seconds_to_breach")], r"^ in 0:1[1-5]$")
        self.assertEqual(shown[key("projected_service_level")], "–")  # no demand with an AHT yet

    def test_a_queue_short_of_agents_shows_staffed_need_the_shortfall_in_red_and_the_wait(self):
        shown, classes, dom = self.show(worked_example())
        sales = next(q for q in self.daemon.queues()["queues"] if q["queue"] == "sales")
        self.assertEqual(sales["staffing"]["staffing_gap_agents"], 2, sales["staffing"])  # the daemon's side
        key = lambda f: ("sales", "voice", f)
        self.assertEqual((shown[key("staffed_agents")], shown[key("required_agents")]), ("12", "14"), dom[:3000])
        self.assertEqual(shown[key("staffing_gap_agents")], "−2")
        self.assertIn("bad", classes[key("staffed_agents")])
        self.assertIn("bad", classes[key("staffing_gap_agents")])
        self.assertNotIn("bad", classes[key("required_agents")])
        self.assertEqual(shown[key("estimated_wait_seconds")], "1:30")
        self.assertIn("bad", classes[key("estimated_wait_seconds")])  # 90 s: past twice the 20 s threshold

    def test_a_queue_with_enough_agents_shows_no_shortfall_and_no_wait(self):
        shown, classes, dom = self.show(worked_example())
        key = lambda f: ("calm", "voice", f)
        self.assertEqual((shown[key("staffed_agents")], shown[key("required_agents")]), ("1", "0"), dom[:3000])
        self.assertEqual(shown[key("staffing_gap_agents")], "")
        self.assertNotIn("bad", classes[key("staffed_agents")])
        self.assertEqual(shown[key("estimated_wait_seconds")], "0:00")
        self.assertEqual(classes[key("estimated_wait_seconds")], {"v"})

    def test_enough_people_logging_in_clears_the_shortfall(self):
        # 14 agents on a call: exactly the need; the line is no longer red.
        shown, classes, _ = self.show(worked_example(agents=14))
        key = lambda f: ("sales", "voice", f)
        self.assertEqual((shown[key("staffed_agents")], shown[key("required_agents")]), ("14", "14"))
        self.assertEqual(shown[key("staffing_gap_agents")], "")
        self.assertNotIn("bad", classes[key("staffed_agents")])


if __name__ == "__main__":
    unittest.main()
