"""Alerts from live state reach a real Alertmanager, a webhook and a ZeroMQ subscriber;
escalate; resolve; and an Alertmanager outage neither slows nor stops ingestion. A failing
webhook is retried; a stalled one overflows its bounded queue, which drops the oldest."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import zmq

from harness import ROOT, Daemon, Publisher, free_port, now_ms, wait_http_ready, wait_until

AM_BINARY = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")


class Alertmanager:
    def __init__(self, port=None, config_file=None):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="am-test-")
        cfg = config_file or os.path.join(self.dir, "am.yml")
        if not config_file:
            with open(cfg, "w") as f:
                f.write("route: {receiver: 'null', group_wait: 1s}\nreceivers: [{name: 'null'}]\n")
        self.proc = subprocess.Popen([AM_BINARY, f"--config.file={cfg}", f"--storage.path={self.dir}",
                                      f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address="],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http_ready(f"{self.url}/-/ready", self.proc, 20, "alertmanager")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def alerts(self):
        with urllib.request.urlopen(f"{self.url}/api/v2/alerts", timeout=2) as r:
            return json.loads(r.read())

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class WebhookReceiver:
    """Collects posted JSON; answers 500 to the first `fail_first` requests. With
    `stall_first`, the answer to the first request waits until release() (one request at a
    time: the daemon's next POST waits too)."""

    def __init__(self, fail_first=0, stall_first=False):
        self.bodies = []
        self.attempts = []
        self.released = threading.Event()
        if not stall_first:
            self.released.set()
        received, attempts, released = self.bodies, self.attempts, self.released

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                attempts.append(time.time())
                released.wait(30)
                if len(attempts) <= fail_first:
                    self.send_response(500)
                else:
                    received.append(body)
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self):
        self.released.set()

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def config(am_url, hook_url, resend="1s"):
    return f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}
queues:
  - {{id: sales-de, labels: {{team: retail}}}}
alerts:
  - name: LongestWait
    measure: oldest_wait_seconds
    op: ">"
    threshold: 2
    for: 1s
    queues: ["sales-*"]
    severity: warning
    escalate:
      - {{after: 2s, severity: critical}}
    labels: {{team: retail}}
    annotations: {{summary: "{{{{queue}}}} {{{{channel}}}}: oldest contact waiting {{{{value}}}}"}}
notify:
  alertmanager: {{urls: ["{am_url}"], resend_interval: {resend}}}
  webhooks: [{{url: "{hook_url}"}}]
  zmq_pub: "tcp://127.0.0.1:*"
"""


@unittest.skipUnless(AM_BINARY, "prometheus-alertmanager is not installed")
class AlertsToAlertmanager(unittest.TestCase):
    def setUp(self):
        # The shipped routing config: by team, with critical inhibiting warning.
        self.am = Alertmanager(config_file=os.path.join(ROOT, "dashboards", "alertmanager.yml"))
        self.hook = WebhookReceiver()
        self.daemon = Daemon(config(self.am.url, self.hook.url))
        self.pub = Publisher(zmq.PUSH, connect=self.daemon.inputs[0])
        endpoint = re.search(r"zmq pub bound to (\S+)", self.daemon.read_log()).group(1)
        self.zctx = zmq.Context()
        self.sub = self.zctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"alert.")
        self.sub.connect(endpoint)

    def tearDown(self):
        self.sub.close()
        self.zctx.term()
        self.pub.close()
        self.assertEqual(self.daemon.stop(), 0)
        self.hook.stop()
        self.am.stop()

    def am_alert(self, severity):
        for a in self.am.alerts():
            if a["labels"].get("alertname") == "LongestWait" and a["labels"].get("severity") == severity:
                return a
        return None

    def test_alert_reaches_alertmanager_escalates_and_resolves(self):
        t0 = time.time()
        self.pub.send({"type": "contact.queued", "ts": int(t0 * 1000), "contact": "c1", "queue": "sales-de"})
        breach = t0 + 2 + 1  # over 2 s waiting, held for 1 s
        warning = wait_until(lambda: self.am_alert("warning"), 10, "warning in Alertmanager")
        self.assertLessEqual(time.time(), breach + 2.0, "reached Alertmanager later than 2 s after the breach")
        self.assertEqual(warning["labels"], {"alertname": "LongestWait", "queue": "sales-de", "channel": "voice",
                                             "severity": "warning", "team": "retail"})
        self.assertRegex(warning["annotations"]["summary"], r"^sales-de voice: oldest contact waiting 0:0[2-4]$")
        self.assertIn("value", warning["annotations"])
        self.assertIn("/api/v1/alerts", warning["generatorURL"])
        # Escalation: critical 2 s after firing.
        wait_until(lambda: self.am_alert("critical"), 8, "critical in Alertmanager")
        # The shipped inhibit rule: the critical step silences the warning of the same alert.
        wait_until(lambda: (self.am_alert("warning") or {}).get("status", {}).get("state") == "suppressed", 5,
                   "warning inhibited by critical")
        self.assertEqual(self.am_alert("critical")["status"]["state"], "active")
        self.assertTrue(self.am_alert("warning")["status"]["inhibitedBy"])
        api = json.loads(self.daemon.get("/api/v1/alerts")[1])
        self.assertEqual(sorted(a["severity"] for a in api if a["state"] == "firing"), ["critical", "warning"])
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_alerts_firing", alertname="LongestWait", severity="warning"), 1)
        self.assertEqual(m.get("floorwatch_alerts_firing", alertname="LongestWait", severity="critical"), 1)
        amtool = subprocess.run(["amtool", "alert", "query", f"--alertmanager.url={self.am.url}", "alertname=LongestWait"],
                                capture_output=True, text=True)
        self.assertEqual(amtool.returncode, 0, amtool.stderr)
        self.assertIn("LongestWait", amtool.stdout)
        # Resolve: the contact is answered.
        self.pub.send({"type": "contact.answered", "ts": now_ms(), "contact": "c1", "agent": "a1"})
        resolved_at = time.time()
        wait_until(lambda: self.am_alert("warning") is None and self.am_alert("critical") is None, 5,
                   "alerts resolved in Alertmanager")
        self.assertLessEqual(time.time(), resolved_at + 3.0)
        self.assertEqual(json.loads(self.daemon.get("/api/v1/alerts")[1]), [])
        # The webhook saw every transition, in order, with the documented JSON.
        wait_until(lambda: len(self.hook.bodies) >= 4, 5, "four webhook posts")
        kinds = [(b["status"], b["severity"]) for b in self.hook.bodies]
        self.assertEqual(kinds[:2], [("firing", "warning"), ("firing", "critical")])
        self.assertEqual(sorted(kinds[2:]), [("resolved", "critical"), ("resolved", "warning")])
        first = self.hook.bodies[0]
        self.assertEqual((first["alertname"], first["queue"], first["channel"]), ("LongestWait", "sales-de", "voice"))
        self.assertEqual(first["labels"]["team"], "retail")
        self.assertRegex(first["startsAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertIn("endsAt", self.hook.bodies[-1])
        # ... and so did the ZeroMQ subscriber.
        frames = []
        while self.sub.poll(500):
            frames.append(self.sub.recv_multipart())
        self.assertEqual([json.loads(f[1])["status"] for f in frames].count("firing"), 2)
        self.assertEqual(frames[0][0], b"alert.LongestWait")
        self.assertIn("alert firing alertname=LongestWait severity=warning queue=sales-de", self.daemon.read_log())
        m = self.daemon.metrics()
        self.assertGreater(m.get("floorwatch_alert_notifications_total", sink="alertmanager", result="success"), 0)
        self.assertEqual(m.get("floorwatch_alert_notifications_total", sink="webhook", result="success"), 4)
        self.assertEqual(m.get("floorwatch_alert_notifications_total", sink="zmq", result="success"), 4)

    def test_alertmanager_outage_does_not_stop_ingestion_and_delivery_resumes(self):
        port = self.am.port
        self.am.kill()
        self.pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "stuck", "queue": "sales-de"})
        n = 30000
        t = now_ms()
        for i in range(n):
            self.pub.send({"type": "contact.queued", "ts": t, "contact": f"c{i}", "queue": f"q{i % 50}"})
        m = self.daemon.wait_received(n + 1, timeout=30)
        self.assertEqual(m.get("floorwatch_events_applied_total"), n + 1)
        # The alert fires in the daemon although Alertmanager is down; failures are counted.
        wait_until(lambda: any(a["state"] == "firing" for a in json.loads(self.daemon.get("/api/v1/alerts")[1])),
                   10, "alert firing in the daemon")
        wait_until(lambda: self.daemon.metrics().get("floorwatch_alert_notifications_total",
                                                     sink="alertmanager", result="error") > 0, 5, "errors counted")
        # Ingestion goes on during the outage.
        for i in range(1000):
            self.pub.send({"type": "contact.abandoned", "ts": now_ms(), "contact": f"c{i}"})
        self.daemon.wait_received(n + 1 + 1000, timeout=10)
        # Alertmanager comes back on the same port: the next resend delivers.
        self.am = Alertmanager(port, config_file=os.path.join(ROOT, "dashboards", "alertmanager.yml"))
        wait_until(lambda: self.am_alert("warning"), 6, "warning delivered after Alertmanager restarted")


def webhook_counts(m):
    return {r: m.get("floorwatch_alert_notifications_total", sink="webhook", result=r)
            for r in ("success", "error", "dropped")}


class Webhooks(unittest.TestCase):
    """One rule, `waiting_contacts > 0` at once: every queue with a contact waiting fires, and
    resolves when it is answered."""

    def setUp(self):
        self.hook = None
        self.daemon = None
        self.pub = None

    def start(self, hook):
        self.hook = hook
        self.daemon = Daemon(f"""
http: {{listen: "127.0.0.1:0"}}
inputs: [{{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}]
alerts:
  - {{name: Waiting, measure: waiting_contacts, op: ">", threshold: 0}}
notify:
  webhooks: [{{url: "{hook.url}"}}]
""")
        self.pub = Publisher(zmq.PUSH, connect=self.daemon.inputs[0])

    def tearDown(self):
        if self.pub:
            self.pub.close()
        if self.daemon:
            self.assertEqual(self.daemon.stop(), 0)
        if self.hook:
            self.hook.stop()

    def test_a_failing_webhook_is_retried_with_back_off_and_delivers_in_order(self):
        self.start(WebhookReceiver(fail_first=2))
        self.pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "c1", "queue": "q"})
        wait_until(lambda: len(self.hook.attempts) >= 1, 5, "first attempt")
        self.pub.send({"type": "contact.answered", "ts": now_ms(), "contact": "c1", "agent": "a"})
        wait_until(lambda: len(self.hook.bodies) == 2, 10, "both transitions delivered")
        self.assertEqual([b["status"] for b in self.hook.bodies], ["firing", "resolved"])
        gaps = [b - a for a, b in zip(self.hook.attempts, self.hook.attempts[1:3])]
        self.assertGreaterEqual(gaps[0], 0.4)  # back-off: 0.5 s, then 1 s
        self.assertGreaterEqual(gaps[1], 0.9)
        self.assertEqual(webhook_counts(self.daemon.metrics()), {"success": 2, "error": 2, "dropped": 0})

    def firing(self):
        return sum(a["state"] == "firing" for a in json.loads(self.daemon.get("/api/v1/alerts")[1]))

    def test_a_stalled_webhook_overflows_its_queue_drops_the_oldest_and_delivers_the_newest(self):
        # The first transition's POST hangs (well within the daemon's 5 s request time-out)
        # while 2 x 550 more transitions queue up behind it: 550 queues fire, then resolve.
        # The queue holds 1,000 besides the one being sent (include/floorwatch/notify/notifier.h),
        # so exactly 100 are dropped.
        self.start(WebhookReceiver(stall_first=True))
        n = 550
        self.pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "first", "queue": "first"})
        wait_until(lambda: self.hook.attempts, 5, "the first POST")
        stalled_at = time.time()
        for i in range(n):
            self.pub.send({"type": "contact.queued", "ts": now_ms(), "contact": f"c{i}", "queue": f"q{i:04d}"})
        wait_until(lambda: self.firing() == n + 1, 10, f"{n + 1} alerts firing")
        for i in range(n):
            self.pub.send({"type": "contact.answered", "ts": now_ms(), "contact": f"c{i}", "agent": "a"})
        wait_until(lambda: self.firing() == 1, 10, f"{n} alerts resolved")
        total = 1 + 2 * n
        wait_until(lambda: webhook_counts(self.daemon.metrics())["dropped"] >= total - 1 - 1000, 5,
                   "the overflow counted as dropped")
        time.sleep(0.3)  # let the last transitions reach the notifier
        self.assertLess(time.time() - stalled_at, 4.5, "too slow: the stalled POST would time out")
        self.hook.release()
        wait_until(lambda: sum(webhook_counts(self.daemon.metrics()).values()) >= total, 20,
                   "every transition delivered or dropped")
        time.sleep(0.5)  # nothing more may come
        counts = webhook_counts(self.daemon.metrics())
        # Every transition is delivered or counted as dropped, never both: the POST in flight
        # completes, and the oldest of those waiting make room.
        self.assertEqual(counts["dropped"], total - 1 - 1000, counts)
        self.assertEqual(counts["error"], 0)
        self.assertEqual(counts["success"], len(self.hook.bodies))
        self.assertEqual(counts["success"] + counts["dropped"], total)
        got = [(b["status"], b["queue"]) for b in self.hook.bodies]
        sent = ([("firing", "first")] + [("firing", f"q{i:04d}") for i in range(n)] +
                [("resolved", f"q{i:04d}") for i in range(n)])
        self.assertEqual(got[0], sent[0])  # the stalled one
        # ... then the newest ones, in order, up to the very last: the oldest were dropped.
        self.assertEqual(len(got) - 1, 1000)
        self.assertEqual(got[1:], sent[len(sent) - (len(got) - 1):])
        self.assertNotIn(("firing", "q0000"), got)
        self.assertEqual(got[-1], ("resolved", f"q{n - 1:04d}"))


if __name__ == "__main__":
    unittest.main()
