"""The customer-outcome rules of the shipped config/alerts.yaml, played against the real
daemon, reach a real Alertmanager (with the shipped dashboards/alertmanager.yml):
EscalationOpenLong (an escalation open longer than 2 h), RepeatRatioHigh (over 25 % of an
hour's new contacts are repeats, on at least 20) and CsatLow (CSAT under 70 % over an hour
on at least 20 answers; resolves at 75 %). The rules are read from the file as shipped;
only their `for` is cut to 1 s (a test cannot wait 10 minutes), and the file's input, HTTP
port and notify targets are swapped for the test's."""

import json
import os
import unittest

import yaml

from harness import ROOT, Daemon, Publisher, now_ms, wait_until
from test_alerts import AM_BINARY, Alertmanager

OUTCOME_RULES = ("EscalationOpenLong", "RepeatRatioHigh", "CsatLow")
HOUR_MS = 3_600_000


def shipped_config(am_url):
    with open(os.path.join(ROOT, "config", "alerts.yaml")) as f:
        config = yaml.safe_load(f)
    config["http"] = {"listen": "127.0.0.1:0"}
    config["inputs"] = [{"endpoint": "tcp://127.0.0.1:*", "socket": "pull", "mode": "bind"}]
    config["notify"] = {"alertmanager": {"urls": [am_url], "resend_interval": "1s"}}
    rules = [r for r in config["alerts"] if r["name"] in OUTCOME_RULES]
    assert [r["name"] for r in rules] == list(OUTCOME_RULES), "config/alerts.yaml lacks an outcome rule"
    for rule in rules:
        rule["for"] = "1s"
    return yaml.safe_dump(config, sort_keys=False)


@unittest.skipUnless(AM_BINARY, "prometheus-alertmanager is not installed")
class ShippedOutcomeAlerts(unittest.TestCase):
    def setUp(self):
        self.am = Alertmanager(config_file=os.path.join(ROOT, "dashboards", "alertmanager.yml"))
        self.daemon = Daemon(shipped_config(self.am.url))
        self.pub = Publisher(connect=self.daemon.inputs[0])
        self.sent = 0

    def tearDown(self):
        self.pub.close()
        self.assertEqual(self.daemon.stop(), 0)
        self.am.stop()

    def send(self, type_, ts, **fields):
        self.pub.send(dict(type=type_, ts=ts, **fields))
        self.sent += 1

    def sent_all(self):
        m = self.daemon.wait_received(self.sent)
        self.assertEqual(m.total("floorwatch_events_rejected_total"), 0, self.daemon.read_log()[-2000:])

    def in_alertmanager(self, alertname):
        """{(queue, channel): alert} of `alertname` active in Alertmanager."""
        return {(a["labels"]["queue"], a["labels"]["channel"]): a for a in self.am.alerts()
                if a["labels"]["alertname"] == alertname}

    def in_daemon(self, alertname):
        """{(queue, channel): alert} of `alertname` pending or firing in the daemon."""
        return {(a["queue"], a["channel"]): a for a in json.loads(self.daemon.get("/api/v1/alerts")[1])
                if a["alertname"] == alertname}

    def test_an_escalation_open_longer_than_2_hours_fires_one_open_for_less_does_not(self):
        now = now_ms()
        # Opened 2 h + 1 min and 2 h - 1 min ago: the second stays under 2 h while the test runs.
        for contact, queue, opened in (("long", "sales-de", now - 2 * HOUR_MS - 60_000),
                                       ("short", "support-en", now - 2 * HOUR_MS + 60_000)):
            self.send("contact.queued", opened - 60_000, contact=contact, queue=queue, customer=f"cu-{contact}")
            self.send("contact.answered", opened - 50_000, contact=contact, agent=f"a-{contact}")
            self.send("contact.escalated", opened, contact=contact, reason="complaint", team="desk-1")
        self.sent_all()
        alert = wait_until(lambda: self.in_alertmanager("EscalationOpenLong").get(("sales-de", "voice")), 10,
                           "EscalationOpenLong in Alertmanager")
        self.assertEqual(alert["labels"]["severity"], "warning")
        self.assertRegex(alert["annotations"]["summary"],
                         r"^sales-de voice: oldest open escalation 121:\d\d \(limit 120:00\)$")
        self.assertEqual(list(self.in_alertmanager("EscalationOpenLong")), [("sales-de", "voice")])
        self.assertEqual(list(self.in_daemon("EscalationOpenLong")), [("sales-de", "voice")])

    def test_repeat_contacts_above_25_percent_fire_exactly_25_percent_does_not(self):
        t = now_ms() - 1_800_000
        # support-en: 16 customers, then 6 of them again: 6 of 22 new contacts are repeats (27 %).
        # sales-de: 15 customers, then 5 of them again: 5 of 20 (25 %, not above).
        for queue, customers, repeats in (("support-en", 16, 6), ("sales-de", 15, 5)):
            for i in list(range(customers)) + list(range(repeats)):
                self.send("contact.queued", t, contact=f"{queue}-{self.sent}", queue=queue, customer=f"{queue}-cu-{i}")
                t += 1000
        self.sent_all()
        alert = wait_until(lambda: self.in_alertmanager("RepeatRatioHigh").get(("support-en", "voice")), 10,
                           "RepeatRatioHigh in Alertmanager")
        self.assertEqual(alert["annotations"]["summary"],
                         "support-en voice: 27.3% repeat contacts over 1h (limit 25.0%)")
        self.assertEqual(list(self.in_alertmanager("RepeatRatioHigh")), [("support-en", "voice")])
        self.assertEqual(list(self.in_daemon("RepeatRatioHigh")), [("support-en", "voice")])

    def surveys(self, queue, channel, csats):
        t = now_ms() - 600_000
        for i, csat in enumerate(csats):
            self.send("contact.survey", t + i * 1000, queue=queue, channel=channel, csat=csat)

    def test_csat_under_70_percent_on_20_answers_fires_at_70_or_on_19_answers_it_does_not(self):
        self.surveys("sales-de", "voice", [5] * 13 + [2] * 7)  # 13 of 20 satisfied: 65 %
        self.surveys("sales-de", "chat", [4] * 14 + [3] * 6)  # 14 of 20: 70 %, not under
        self.surveys("support-en", "chat", [1] * 19)  # 0 %, but 19 answers
        self.sent_all()
        alert = wait_until(lambda: self.in_alertmanager("CsatLow").get(("sales-de", "voice")), 10,
                           "CsatLow in Alertmanager")
        self.assertEqual(alert["annotations"]["summary"], "sales-de voice: CSAT 65.0% over 1h (target 70.0%)")
        self.assertEqual(list(self.in_alertmanager("CsatLow")), [("sales-de", "voice")])
        self.assertEqual(list(self.in_daemon("CsatLow")), [("sales-de", "voice")])

    def test_csat_low_keeps_firing_at_72_percent_and_resolves_at_80(self):
        self.surveys("support-en", "voice", [4] * 13 + [3] * 7)
        self.sent_all()
        wait_until(lambda: self.in_alertmanager("CsatLow").get(("support-en", "voice")), 10, "CsatLow firing")
        self.surveys("support-en", "voice", [5] * 5)  # 18 of 25: 72 %, under the 75 % clear level
        self.sent_all()
        firing = wait_until(lambda: [a for a in self.in_daemon("CsatLow").values() if a["value"] == 0.72], 10,
                            "CsatLow's value at 72 %")
        self.assertEqual(firing[0]["state"], "firing")
        self.assertIn(("support-en", "voice"), self.in_alertmanager("CsatLow"))
        self.surveys("support-en", "voice", [5] * 10)  # 28 of 35: 80 %
        self.sent_all()
        wait_until(lambda: not self.in_alertmanager("CsatLow"), 10, "CsatLow resolved in Alertmanager")
        self.assertEqual(self.in_daemon("CsatLow"), {})


if __name__ == "__main__":
    unittest.main()
