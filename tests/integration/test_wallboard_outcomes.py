"""The wallboard's escalation desk (/?view=escalations) and team view (/?view=teams) in
headless Chromium, against the real daemon fed with teams, escalations, handled contacts,
surveys and evaluations: what the page shows is what /api/v1/escalations and /api/v1/teams
serve, and what this test's own events make it (CSAT 2 of 3 satisfied: 67%). Screenshots of
both views are saved as test artifacts."""

import http.client
import json
import os
import unittest
from html.parser import HTMLParser

from harness import DaemonTestCase, now_ms
from test_wallboard import ARTIFACTS, CHROMIUM, chromium, mmss, pct

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: [{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}]
outcomes: {repeat_window: 24h}
teams:
  - {id: va-de, labels: {vendor: vendor-a, market: de}}
  - {id: va-fr, labels: {vendor: vendor-a, market: fr}}
  - {id: ih-de, labels: {vendor: inhouse, market: de}}
queues:
  - {id: care, channels: {voice: {}, chat: {}}}
  - {id: sales}
"""

MIN = 60_000
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source"}


class Shown(HTMLParser):
    """Every element with a data-* attribute, in document order: (tag, attributes, text)."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        record = (tag, a, []) if any(k.startswith("data-") for k in a) else None
        if record:
            self.elements.append(record)
        self._open.append(record)

    def handle_endtag(self, tag):
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        for record in self._open:
            if record:
                record[2].append(data)

    def figures(self, *owner):
        """{(owner values..., field): (text, class)} of the elements with data-f and the
        data-* attributes named in `owner` (e.g. "data-team")."""
        out = {}
        for _, a, text in self.elements:
            if "data-f" in a and all(o in a for o in owner):
                out[tuple(a[o] for o in owner) + (a["data-f"],)] = ("".join(text), a.get("class") or "")
        return out


def hmm(s):
    m = int(max(0, s) // 60)
    return f"{m // 60}:{m % 60:02d}"


def page(daemon, query):
    result = chromium("--dump-dom", daemon.url("/" + query))
    shown = Shown()
    shown.feed(result.stdout)
    return shown, result


def desk_events(t):
    """Open escalations of three escalation teams in three queue/channels, one raised, one a
    customer's repeat (cu-1 escalated 2 h before)."""
    ev = lambda type_, at, contact, **f: dict(type="contact." + type_, ts=t + at, contact=contact, **f)
    return [
        ev("queued", -132 * MIN, "e1", queue="care", customer="cu-1"),
        ev("escalated", -130 * MIN - 30_000, "e1", team="desk-t2"),
        ev("queued", -70 * MIN, "e2", queue="care"),
        ev("escalated", -65 * MIN - 30_000, "e2", team="desk-t2"),
        ev("escalated", -30 * MIN, "e2", team="legal", tier=3),  # raised: keeps desk-t2
        ev("queued", -77 * MIN, "e3", queue="sales"),
        ev("escalated", -75 * MIN - 30_000, "e3", team="legal"),
        ev("queued", -12 * MIN, "e4", queue="care", channel="chat"),
        ev("escalated", -10 * MIN - 30_000, "e4"),
        ev("queued", -15 * MIN, "r1", queue="care", customer="cu-1"),
        ev("escalated", -14 * MIN - 30_000, "r1"),
    ]


def team_events(t):
    """Six contacts handled by five agents of four teams in care/voice, one escalated while
    connected (resolved 250 s later), then surveys and evaluations of them."""
    agents = [("a1", "va-de", "available"), ("a2", "va-de", "on_contact"), ("a3", "va-fr", "acw"),
              ("a4", "ih-de", "available"), ("a5", "pool", "on_contact")]
    events = []
    for agent, team, state in agents:
        events += [dict(type="agent.login", ts=t, agent=agent, team=team, queues=["care"]),
                   dict(type="agent.state", ts=t, agent=agent, state=state)]
    for contact, agent, start, talk in [("h1", "a1", -40, 100), ("h2", "a1", -35, 200), ("h3", "a2", -30, 300),
                                        ("h4", "a3", -25, 120), ("h5", "a4", -20, 60), ("h6", "a5", -18, 30)]:
        at = t + start * MIN
        events += [dict(type="contact.queued", ts=at, contact=contact, queue="care"),
                   dict(type="contact.answered", ts=at + 10_000, contact=contact, agent=agent)]
        if contact == "h3":
            events.append(dict(type="contact.escalated", ts=at + 60_000, contact=contact, team="desk-t2"))
        events += [dict(type="contact.ended", ts=at + 10_000 + talk * 1000, contact=contact),
                   dict(type="contact.wrapped", ts=at + 20_000 + talk * 1000, contact=contact, agent=agent)]
    for contact, csat, nps in [("h1", 5, 10), ("h2", 4, 9), ("h3", 2, 3), ("h4", 1, None), ("h5", 5, 10)]:
        survey = dict(type="contact.survey", ts=t, contact=contact, csat=csat)
        events.append(survey if nps is None else dict(survey, nps=nps))
    for contact, score in [("h1", 90), ("h2", 60), ("h5", 85)]:
        events.append(dict(type="contact.evaluated", ts=t, contact=contact, score=score))
    return events


@unittest.skipUnless(CHROMIUM, "chromium is not installed")
class WallboardOutcomeViews(DaemonTestCase):
    CONFIG = CONFIG

    def setUp(self):
        super().setUp()
        t = now_ms()
        events = team_events(t) + desk_events(t)
        for e in events:
            self.pub.send(e)
        m = self.daemon.wait_received(len(events))
        self.assertEqual(m.get("floorwatch_events_applied_total"), len(events))

    def api(self, path):
        status, body = self.daemon.get(path)
        self.assertEqual(status, 200)
        return json.loads(body)

    def test_the_desk_shows_what_the_api_serves(self):
        shown, result = page(self.daemon, "?view=escalations&window=1h")
        api = self.api("/api/v1/escalations")
        teams = shown.figures("data-eteam")
        queues = shown.figures("data-q", "data-ch")
        self.assertTrue(teams and queues, "no figures:\n" + result.stdout[:2000] + result.stderr[-2000:])
        self.assertEqual({k[0] for k in teams}, {t["team"] for t in api["teams"]})
        for t in api["teams"]:
            with self.subTest(team=t["team"]):
                self.assertEqual(teams[(t["team"], "open")][0], str(sum(t["escalations_open"].values())))
                for tier, n in t["escalations_open"].items():
                    self.assertEqual(teams[(t["team"], "tier_" + tier)][0], str(n))
                self.assert_age(teams[(t["team"], "oldest")][0], t["oldest_escalation_seconds"])
        self.assertEqual({k[:2] for k in queues}, {(q["queue"], q["channel"]) for q in api["queues"]})
        for q in api["queues"]:
            w, key = q["windows"]["1h"], lambda f: (q["queue"], q["channel"], f)
            with self.subTest(queue=q["queue"], channel=q["channel"]):
                self.assertEqual(queues[key("open")][0], str(sum(q["escalations_open"].values())))
                self.assert_age(queues[key("oldest")][0], q["oldest_escalation_seconds"])
                self.assertEqual(queues[key("escalation_ratio")][0], pct(w["escalation_ratio"]))
                for f in ("repeat_escalated", "escalated", "escalation_resolved"):
                    self.assertEqual(queues[key(f)][0], str(w[f]))
                seconds = w["escalation_resolution_seconds"]
                self.assertEqual(queues[key("resolution")][0], "–" if seconds is None else hmm(seconds))
        self.assertIn("window 1h", result.stdout)

    def assert_age(self, text, seconds):
        """h:mm as shown; the page's fetch and ours are seconds apart, and no age here is
        within 30 s of a minute's turn."""
        self.assertEqual(text, hmm(seconds))

    def test_the_desk_shows_the_escalations_this_test_opened(self):
        shown, _ = page(self.daemon, "?view=escalations&window=1h")
        teams, queues = shown.figures("data-eteam"), shown.figures("data-q", "data-ch")
        text = lambda figures, *key: figures[key][0]
        self.assertEqual(text(teams, "desk-t2", "open"), "2")  # h3's was resolved
        self.assertEqual((text(teams, "desk-t2", "tier_2"), text(teams, "desk-t2", "tier_3")), ("1", "1"))
        self.assertEqual(teams[("desk-t2", "oldest")], ("2:10", "v bad"))  # past 2 h: red
        self.assertEqual(teams[("legal", "oldest")], ("1:15", "v warn"))  # past 1 h: amber
        self.assertEqual(teams[("none", "oldest")], ("0:14", "v "))
        self.assertEqual(text(teams, "none", "open"), "2")
        care = lambda f: queues[("care", "voice", f)][0]
        self.assertEqual([care(f) for f in ("open", "oldest", "escalated", "repeat_escalated",
                                            "escalation_resolved", "escalation_ratio", "resolution")],
                         ["3", "2:10", "2", "1", "1", "33%", "0:04"])  # 2 escalated / 6 handled
        self.assertEqual(queues[("sales", "voice", "oldest")], ("1:15", "warn"))
        self.assertEqual(queues[("sales", "voice", "escalation_ratio")][0], "–")  # nothing handled
        self.assertEqual(queues[("care", "chat", "open")][0], "1")
        rows = [(a["data-q"], a["data-ch"]) for tag, a, _ in shown.elements if tag == "tr"]
        self.assertEqual(rows, [("care", "voice"), ("sales", "voice"), ("care", "chat")])  # most open first

    def test_the_team_view_shows_what_the_api_serves(self):
        shown, result = page(self.daemon, "?view=teams&window=1h")
        api = {t["team"]: t for t in self.api("/api/v1/teams")["teams"]}
        figures = shown.figures("data-team")
        self.assertTrue(figures, "no figures:\n" + result.stdout[:2000] + result.stderr[-2000:])
        self.assertEqual({k[0] for k in figures}, set(api))
        for team, t in api.items():
            w, key = t["windows"]["1h"], lambda f: (team, f)
            with self.subTest(team=team):
                self.assertEqual(figures[key("csat")][0], pct(w["csat_ratio"]))
                self.assertEqual(figures[key("nps")][0], "–" if w["nps"] is None else f"{w['nps']:.0f}")
                self.assertEqual(figures[key("quality")][0],
                                 "–" if w["quality_score"] is None else f"{w['quality_score']:.0f}")
                self.assertEqual(figures[key("aht")][0], "–" if w["aht_seconds"] is None else mmss(w["aht_seconds"]))
                self.assertEqual(figures[key("handled")][0], str(w["handled"]))
                self.assertEqual(figures[key("escalation")][0], pct(w["escalation_ratio"]))
                self.assertEqual(figures[key("on_contact")][0], str(t["agents"]["on_contact"]))
                self.assertEqual(figures[key("available")][0], str(t["agents"]["available"]))
        self.assertIn("window 1h", result.stdout)

    def test_the_team_view_shows_the_figures_of_this_tests_events(self):
        shown, _ = page(self.daemon, "?view=teams&window=1h")
        teams = shown.figures("data-team")
        row = lambda team: [teams[(team, f)][0] for f in ("csat", "nps", "quality", "aht", "handled", "escalation",
                                                           "on_contact", "available")]
        self.assertEqual(row("va-de"), ["67%", "33", "75", "3:30", "3", "33%", "1", "1"])
        self.assertEqual(row("va-fr"), ["0%", "–", "–", "2:10", "1", "0%", "0", "0"])
        self.assertEqual(row("ih-de"), ["100%", "100", "85", "1:10", "1", "0%", "0", "1"])
        self.assertEqual(row("pool"), ["–", "–", "–", "0:40", "1", "0%", "1", "0"])
        self.assertEqual(teams[("va-de", "csat")][1], "bad")  # below 70 %: red
        self.assertEqual(teams[("ih-de", "csat")][1], "")

    def test_the_team_view_groups_by_vendor_then_market_adding_up_counts(self):
        shown, _ = page(self.daemon, "?view=teams&window=1h")
        rows = [(a["data-row"], a["data-id"]) for tag, a, _ in shown.elements if tag == "tr"]
        self.assertEqual(rows, [
            ("vendor", "inhouse"), ("market", "inhouse/de"), ("team", "ih-de"),
            ("vendor", "vendor-a"), ("market", "vendor-a/de"), ("team", "va-de"),
            ("market", "vendor-a/fr"), ("team", "va-fr"),
            ("vendor", "no vendor"), ("market", "no vendor/no market"), ("team", "pool")])
        groups = shown.figures("data-group")
        row = lambda group: [groups[(group, f)][0] for f in ("csat", "nps", "quality", "aht", "handled",
                                                             "escalation", "on_contact", "available")]
        # vendor-a: CSAT 2 of 4, NPS of va-de's 3 answers, AHT (630 + 130) s / 4, 1 escalated of 4.
        self.assertEqual(row("vendor-a"), ["50%", "33", "75", "3:10", "4", "25%", "1", "1"])
        self.assertEqual(row("vendor-a/fr"), ["0%", "–", "–", "2:10", "1", "0%", "0", "0"])
        self.assertEqual(row("vendor-a/de"), ["67%", "33", "75", "3:30", "3", "33%", "1", "1"])
        self.assertEqual(groups[("vendor-a", "csat")][1], "bad")

    def test_the_header_links_the_three_views_and_marks_the_current_one(self):
        shown, result = page(self.daemon, "?view=teams")
        links = {a["data-view"]: (a.get("href"), a.get("class")) for tag, a, _ in shown.elements if tag == "a"}
        self.assertEqual(links, {"queues": ("./", None), "escalations": ("?view=escalations", None),
                                 "teams": ("?view=teams", "on")})
        self.assertIn("window today", result.stdout)  # the default window

    def test_the_view_endpoints_answer_json_to_get_and_head_and_405_to_post(self):
        teams = self.api("/api/v1/teams")
        self.assertEqual([t["team"] for t in teams["teams"]], ["va-de", "va-fr", "ih-de", "pool"])
        self.assertEqual(teams["teams"][0]["labels"], {"vendor": "vendor-a", "market": "de"})
        self.assertEqual(set(teams["teams"][0]["windows"]), {"15m", "1h", "today"})
        desk = self.api("/api/v1/escalations")
        self.assertEqual({t["team"] for t in desk["teams"]}, {"desk-t2", "legal", "none"})
        self.assertAlmostEqual(desk["time"], now_ms() / 1000, delta=30)
        for path in ("/api/v1/teams", "/api/v1/escalations"):
            for method, status in (("HEAD", 200), ("POST", 405)):
                with self.subTest(path=path, method=method):
                    conn = http.client.HTTPConnection("127.0.0.1", self.daemon.port, timeout=10)
                    conn.request(method, path)
                    r = conn.getresponse()
                    self.assertEqual((r.status, r.read() if method == "HEAD" else b""), (status, b""))
                    if status == 200:
                        self.assertEqual(r.getheader("Content-Type"), "application/json")
                    conn.close()

    def test_screenshots_of_both_views_are_saved_as_artifacts(self):
        os.makedirs(ARTIFACTS, exist_ok=True)
        for view in ("escalations", "teams"):
            path = os.path.join(ARTIFACTS, f"wallboard-{view}.png")
            if os.path.exists(path):
                os.unlink(path)
            result = chromium(f"--screenshot={path}", self.daemon.url(f"/?view={view}&window=1h"))
            self.assertTrue(os.path.exists(path), result.stderr[-2000:])
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
            self.assertGreater(os.path.getsize(path), 20_000)  # a rendered board, not a blank page
            print(f"\nwallboard screenshot: {path}")


if __name__ == "__main__":
    unittest.main()
