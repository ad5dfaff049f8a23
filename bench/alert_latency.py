#!/usr/bin/python3
"""Alert latency: from an event to the alert it fires (or resolves) listed in a real
Alertmanager. A daemon with one `waiting_contacts > 0` rule (`for: 0s`, or --for); N times, at random
moments, a contact is queued (firing) and then answered (resolving); Alertmanager's
/api/v2/alerts is polled every 2 ms. Prints one JSON line (results go in docs/performance.md).

--rule breach: the rule is the shipped BreachAhead (`projected_breaches > 0`, no agent on the
floor, so the contact queued is a projected breach at once). --page: Alertmanager routes with
the shipped dashboards/alertmanager.yml (its receivers' webhooks pointed at this bench), each
round in a queue of its own (a new Alertmanager group, as a new breach on a floor is), and the
bench also times the page: from the event to the firing notification's arrival at the
receiver (page_*); the resolve column stays the listing in Alertmanager (its resolved
notification waits for the group's group_interval by design).

    bench/alert_latency.py [--build build] [-n 40] [--for 0s] [--rule waiting|breach] [--page]
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))


class Receiver:
    """The receivers' webhook: notes when each firing notification arrives (alertname, queue)."""

    def __init__(self):
        import http.server
        import threading
        self.arrived = {}
        self.cond = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                at = time.time()
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver.cond:
                    for a in body.get("alerts", []):
                        if a["status"] == "firing":
                            key = (a["labels"].get("alertname"), a["labels"].get("queue"))
                            receiver.arrived.setdefault(key, at)
                    receiver.cond.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_firing(self, alertname, queue, timeout):
        with self.cond:
            if not self.cond.wait_for(lambda: (alertname, queue) in self.arrived, timeout):
                raise AssertionError(f"no page for {alertname} {queue} within {timeout} s")
            return self.arrived[(alertname, queue)]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def shipped_routing(port):
    """dashboards/alertmanager.yml with its receivers' webhooks on this bench's port."""
    with open(os.path.join(ROOT, "dashboards", "alertmanager.yml")) as f:
        text = f.read().replace("127.0.0.1:8081", f"127.0.0.1:{port}")
    path = os.path.join(tempfile.mkdtemp(prefix="alert-latency-"), "alertmanager.yml")
    with open(path, "w") as f:
        f.write(text)
    return path


def daemon_config(args, name, measure, am_url):
    # The rule's team label is what the shipped routing pages by (retail: retail-floor's webhook).
    labels = ", labels: {team: retail}" if args.page else ""
    return f"""
http: {{listen: "127.0.0.1:0"}}
inputs: [{{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}]
queues: [{{id: q}}]
alerts: [{{name: {name}, measure: {measure}, op: ">", threshold: 0, for: {args.hold}{labels}}}]
notify: {{alertmanager: {{urls: ["{am_url}"], resend_interval: 1m}}}}
"""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("-n", type=int, default=40)
    p.add_argument("--for", dest="hold", default="0s", help="the rule's `for`")
    p.add_argument("--rule", choices=["waiting", "breach"], default="waiting")
    p.add_argument("--page", action="store_true", help="route with dashboards/alertmanager.yml, time the page")
    args = p.parse_args()
    os.environ["FLOORWATCHD"] = os.path.join(args.build, "floorwatchd")
    import zmq
    from harness import Daemon, Publisher, now_ms
    from test_alerts import Alertmanager

    hook = Receiver()
    am = Alertmanager(config_file=shipped_routing(hook.port)) if args.page else Alertmanager()
    name, measure = ("BreachAhead", "projected_breaches") if args.rule == "breach" else ("W", "waiting_contacts")
    daemon = Daemon(daemon_config(args, name, measure, am.url))
    pub = Publisher(zmq.PUSH, connect=daemon.inputs[0])

    def listed(queue):
        with urllib.request.urlopen(f"{am.url}/api/v2/alerts?active=true&silenced=false", timeout=2) as r:
            return any(a["labels"].get("alertname") == name and a["labels"].get("queue") == queue
                       for a in json.loads(r.read()))

    def ms_until(predicate):
        start = time.time()
        while not predicate():
            time.sleep(0.002)
        return 1000 * (time.time() - start)

    rng = random.Random(1)
    fire, resolve, page = [], [], []
    try:
        time.sleep(1)
        for i in range(args.n):
            queue = f"q{i}" if args.page else "q"
            time.sleep(rng.uniform(0.2, 0.7))
            sent = time.time()
            pub.send({"type": "contact.queued", "ts": now_ms(), "contact": f"c{i}", "queue": queue})
            fire.append(ms_until(lambda: listed(queue)))
            if args.page:
                page.append(1000 * (hook.wait_firing(name, queue, 10) - sent))
            time.sleep(rng.uniform(0.2, 0.7))
            pub.send({"type": "contact.answered", "ts": now_ms(), "contact": f"c{i}", "agent": "a"})
            resolve.append(ms_until(lambda: not listed(queue)))
    finally:
        pub.close()
        daemon.stop()
        am.stop()
        hook.stop()
    out = {"bench": "alert_latency", "n": args.n, "for": args.hold, "rule": args.rule, "page": args.page}
    for what, v in (("fire", fire), ("resolve", resolve), ("page", page)):
        if v:
            out.update({f"{what}_min_ms": round(min(v)), f"{what}_median_ms": round(statistics.median(v)),
                        f"{what}_max_ms": round(max(v))})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
