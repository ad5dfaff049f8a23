"""An HA pair as docs/operations.md#ha-pairs lays it out, with real processes: two floorwatchd
replicas SUBscribed to one PUB feed, each notifying both Alertmanagers of a two-node
Alertmanager cluster (peered over 127.0.0.1), which pages a webhook receiver. The receiver
gets one notification per alert group, not one per replica or per Alertmanager; a replica
killed with SIGKILL during a breach does not resolve the alert (the other keeps moving its
endsAt forward); with both gone it resolves at the endsAt the last one sent; the surviving
replica alone still pages a new breach.

Timing: the daemons re-send every 1 s with endsAt 3 intervals (3 s) ahead (daemon/notify);
the Alertmanagers wait `PEER_TIMEOUT` per cluster position before notifying, and settle
their gossip in about 2 s (gossip interval 50 ms). The whole module takes about 35 s."""

import calendar
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import zmq
import yaml

from harness import ROOT, Daemon, Publisher, now_ms, wait_http_ready, wait_until
from test_alerts import AM_BINARY

RESEND_S = 1  # the daemons' notify.alertmanager.resend_interval
PEER_TIMEOUT_S = 2  # --cluster.peer-timeout: the second Alertmanager waits this before paging
# Long enough for a duplicate to have arrived: the second node's wait plus a group interval.
DUPLICATE_WINDOW_S = PEER_TIMEOUT_S + 3
# A replica's last endsAt is at most 3 resend intervals after its death; wait past it.
EXPIRY_S = 3 * RESEND_S + 3


def am_config(hook_url):
    """The shipped grouping (dashboards/alertmanager.yml), with test-sized waits."""
    with open(os.path.join(ROOT, "dashboards", "alertmanager.yml")) as f:
        shipped = yaml.safe_load(f)["route"]
    return yaml.safe_dump({
        "route": {"receiver": "pager", "group_by": shipped["group_by"], "group_wait": "1s",
                  "group_interval": "1s", "repeat_interval": "1h"},
        "receivers": [{"name": "pager", "webhook_configs": [{"url": hook_url, "send_resolved": True}]}]})


def free_cluster_port(taken):
    """A port free for both TCP and UDP (the cluster gossips over both) and not in `taken`:
    harness.free_port checks only TCP, and an Alertmanager whose UDP bind fails exits."""
    import socket
    while True:
        with socket.socket() as t, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            try:
                u.bind(("127.0.0.1", port))
            except OSError:
                continue
        if port not in taken:
            taken.add(port)
            return port


class ClusterNode:
    """prometheus-alertmanager, one node of a cluster gossiping over 127.0.0.1."""

    def __init__(self, config_text, cluster_port, peer_ports, taken):
        self.port = free_cluster_port(taken)  # distinct from every other port of the test
        self.dir = tempfile.mkdtemp(prefix="am-ha-")
        cfg = os.path.join(self.dir, "am.yml")
        with open(cfg, "w") as f:
            f.write(config_text)
        self.log = open(os.path.join(self.dir, "am.log"), "w")
        args = [AM_BINARY, f"--config.file={cfg}", f"--storage.path={self.dir}",
                f"--web.listen-address=127.0.0.1:{self.port}", f"--web.external-url=http://127.0.0.1:{self.port}",
                f"--cluster.listen-address=127.0.0.1:{cluster_port}", f"--cluster.peer-timeout={PEER_TIMEOUT_S}s",
                "--cluster.gossip-interval=50ms", "--cluster.pushpull-interval=1s", "--cluster.settle-timeout=5s"]
        args += [f"--cluster.peer=127.0.0.1:{p}" for p in peer_ports]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        wait_http_ready(f"{self.url}/-/ready", self.proc, 20, "alertmanager")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def api(self, path):
        with urllib.request.urlopen(f"{self.url}/api/v2/{path}", timeout=2) as r:
            return json.loads(r.read())

    def alerts(self, alertname):
        """Active alerts of `alertname`: {queue: alert}."""
        return {a["labels"]["queue"]: a for a in self.api("alerts?active=true&silenced=false&inhibited=false")
                if a["labels"]["alertname"] == alertname and a["status"]["state"] == "active"}

    def peers(self):
        return len(self.api("status")["cluster"].get("peers") or [])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Pager:
    """The receiver behind the cluster: records every webhook notification."""

    def __init__(self):
        self.notifications = []
        received = self.notifications

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/pager"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def pages(self, queue, status="firing"):
        """Notifications of `status` for the group of LongestWait on `queue`."""
        return [n for n in self.notifications
                if n["status"] == status and n["groupLabels"].get("queue") == queue]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def daemon_config(feed, am_urls):
    return f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "{feed}", socket: sub, mode: connect}}
queues: [{{id: sales-de}}, {{id: support-en}}]
alerts:
  - name: LongestWait
    measure: oldest_wait_seconds
    op: ">"
    threshold: 60
    annotations: {{summary: "{{{{queue}}}}: oldest contact waiting {{{{value}}}}"}}
notify:
  alertmanager: {{urls: {json.dumps(am_urls)}, resend_interval: {RESEND_S}s}}
"""


@unittest.skipUnless(AM_BINARY, "prometheus-alertmanager is not installed")
class HaPair(unittest.TestCase):
    def setUp(self):
        self.pager = Pager()
        taken = set()
        ports = [free_cluster_port(taken), free_cluster_port(taken)]
        self.ams = [ClusterNode(am_config(self.pager.url), ports[0], [ports[1]], taken),
                    ClusterNode(am_config(self.pager.url), ports[1], [ports[0]], taken)]
        wait_until(lambda: all(am.peers() == 2 for am in self.ams), 15, "the two Alertmanagers peered")
        self.feed = Publisher(zmq.PUB, bind=True)
        self.replicas = [Daemon(daemon_config(self.feed.endpoint, [am.url for am in self.ams])) for _ in range(2)]
        self.wait_subscribed()
        self.started = time.time()

    def tearDown(self):
        self.feed.close()
        for d in self.replicas:
            d.stop()
        for am in self.ams:
            am.stop()
        self.pager.stop()

    def wait_subscribed(self):
        """PUB drops what it sends before a SUB has joined: probe until both replicas hear it."""
        def heard():
            self.feed.send(dict(type="agent.login", ts=now_ms(), agent="probe"), topic="agent.probe")
            time.sleep(0.1)
            return all(d.metrics().get("floorwatch_events_received_total") > 0 for d in self.replicas)
        wait_until(heard, 10, "both replicas subscribed to the feed")

    def breach(self, queue):
        """A contact queued 10 minutes ago: LongestWait fires on the next evaluation."""
        self.feed.send(dict(type="contact.queued", ts=now_ms() - 600_000, contact=f"c-{queue}", queue=queue,
                            channel="voice"), topic=f"contact.{queue}")

    def firing_everywhere(self, queue):
        wait_until(lambda: all(queue in am.alerts("LongestWait") for am in self.ams), 10,
                   f"LongestWait {queue} active in both Alertmanagers")
        return wait_until(lambda: self.pager.pages(queue), 10 + PEER_TIMEOUT_S, f"a page for {queue}")

    def test_two_replicas_and_two_alertmanagers_page_once_per_alert_group(self):
        self.breach("sales-de")
        self.firing_everywhere("sales-de")
        time.sleep(DUPLICATE_WINDOW_S)
        for d in self.replicas:  # both replicas fired it: dedup happened downstream
            self.assertEqual([a["queue"] for a in json.loads(d.get("/api/v1/alerts")[1])], ["sales-de"])
        pages = self.pager.pages("sales-de")
        self.assertEqual(len(pages), 1, [p["externalURL"] for p in pages])
        self.assertEqual([a["labels"]["queue"] for a in pages[0]["alerts"]], ["sales-de"])

    def test_a_replica_killed_during_a_breach_leaves_the_alert_active(self):
        self.breach("sales-de")
        self.firing_everywhere("sales-de")
        self.replicas[0].kill()
        killed = time.time()
        time.sleep(EXPIRY_S)
        for am in self.ams:
            alert = am.alerts("LongestWait").get("sales-de")
            self.assertIsNotNone(alert, f"{am.url}: the alert expired with its replica")
            # The dead replica's last endsAt was at most 3 intervals after its death; the
            # survivor's re-sends have moved it past that.
            ends = calendar.timegm(time.strptime(alert["endsAt"][:19], "%Y-%m-%dT%H:%M:%S"))
            self.assertGreater(ends, killed + 3 * RESEND_S)
        self.assertEqual(self.pager.pages("sales-de", "resolved"), [])
        self.assertEqual(len(self.pager.pages("sales-de")), 1)

    def test_with_both_replicas_killed_the_alert_resolves_at_its_endsat(self):
        self.breach("sales-de")
        self.firing_everywhere("sales-de")
        for d in self.replicas:
            d.kill()
        killed = time.time()
        wait_until(lambda: not any("sales-de" in am.alerts("LongestWait") for am in self.ams), EXPIRY_S + 2,
                   "the alert expired in both Alertmanagers")
        self.assertLess(time.time() - killed, 3 * RESEND_S + 2)
        resolved = wait_until(lambda: self.pager.pages("sales-de", "resolved"), 5 + PEER_TIMEOUT_S, "a resolved page")
        time.sleep(PEER_TIMEOUT_S + 1)
        self.assertEqual(len(self.pager.pages("sales-de", "resolved")), 1, resolved)

    def test_the_surviving_replica_pages_a_new_breach_once(self):
        self.replicas[0].kill()
        self.breach("support-en")
        self.firing_everywhere("support-en")
        time.sleep(DUPLICATE_WINDOW_S)
        self.assertEqual(len(self.pager.pages("support-en")), 1)
        self.assertEqual([a["queue"] for a in json.loads(self.replicas[1].get("/api/v1/alerts")[1])], ["support-en"])


if __name__ == "__main__":
    unittest.main()
