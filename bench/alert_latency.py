#!/usr/bin/python3
"""Alert latency: from an event to the alert it fires (or resolves) listed in a real
Alertmanager. A daemon with one `waiting_contacts > 0` rule (`for: 0s`, or --for); N times, at random
moments, a contact is queued (firing) and then answered (resolving); Alertmanager's
/api/v2/alerts is polled every 2 ms. Prints one JSON line (results go in docs/performance.md).

    bench/alert_latency.py [--build build] [-n 40] [--for 0s]
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("-n", type=int, default=40)
    p.add_argument("--for", dest="hold", default="0s", help="the rule's `for`")
    args = p.parse_args()
    os.environ["FLOORWATCHD"] = os.path.join(args.build, "floorwatchd")
    import zmq
    from harness import Daemon, Publisher, now_ms
    from test_alerts import Alertmanager

    am = Alertmanager()
    daemon = Daemon(f"""
http: {{listen: "127.0.0.1:0"}}
inputs: [{{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}}]
queues: [{{id: q}}]
alerts: [{{name: W, measure: waiting_contacts, op: ">", threshold: 0, for: {args.hold}}}]
notify: {{alertmanager: {{urls: ["{am.url}"], resend_interval: 1m}}}}
""")
    pub = Publisher(zmq.PUSH, connect=daemon.inputs[0])

    def listed():
        with urllib.request.urlopen(f"{am.url}/api/v2/alerts", timeout=2) as r:
            return any(a["labels"].get("alertname") == "W" for a in json.loads(r.read()))

    def ms_until(predicate):
        start = time.time()
        while not predicate():
            time.sleep(0.002)
        return 1000 * (time.time() - start)

    rng = random.Random(1)
    fire, resolve = [], []
    try:
        time.sleep(1)
        for i in range(args.n):
            time.sleep(rng.uniform(0.2, 0.7))
            pub.send({"type": "contact.queued", "ts": now_ms(), "contact": f"c{i}", "queue": "q"})
            fire.append(ms_until(listed))
            time.sleep(rng.uniform(0.2, 0.7))
            pub.send({"type": "contact.answered", "ts": now_ms(), "contact": f"c{i}", "agent": "a"})
            resolve.append(ms_until(lambda: not listed()))
    finally:
        pub.close()
        daemon.stop()
        am.stop()
    out = {"bench": "alert_latency", "n": args.n, "for": args.hold}
    for name, v in (("fire", fire), ("resolve", resolve)):
        out.update({f"{name}_min_ms": round(min(v)), f"{name}_median_ms": round(statistics.median(v)),
                    f"{name}_max_ms": round(max(v))})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
