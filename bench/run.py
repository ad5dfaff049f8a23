#!/usr/bin/python3
"""End-to-end benchmarks of floorwatchd on this machine (results go in docs/performance.md).

    bench/run.py [--events N] [--build build]

1. Throughput: the same C++ publisher (PUSH, TCP loopback, full speed) against a bare ZeroMQ
   PULL sink and against floorwatchd, in the same run. Rate = events / (time from the
   publisher's first send to the receiver having taken all of them; for the daemon, to
   floorwatch_events_applied_total reaching N, polled every 10 ms).
2. /metrics over HTTP with 2,000 queues x 3 channels, 20,000 agents in 1,000 teams (curl, 20 scrapes).
3. Daemon RSS per waiting contact with 1,000,000 contacts waiting.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import zmq


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, build, extra="", hwm=None, state=False, fsync=None):
        self.dir = tempfile.mkdtemp(prefix="floorwatch-bench-")
        if state:  # durable state on the temp dir's disk, default snapshot interval
            fsync_key = f", fsync: {fsync}" if fsync else ""
            extra += f'\nstate: {{dir: "{self.dir}/state"{fsync_key}}}\n'
        self.zmq_port = free_port()
        cfg = os.path.join(self.dir, "bench.yaml")
        with open(cfg, "w") as f:
            f.write(f"""http: {{listen: "127.0.0.1:0"}}
inputs: [{{endpoint: "tcp://127.0.0.1:{self.zmq_port}", socket: pull, mode: bind{f", rcvhwm: {hwm}" if hwm else ""}}}]
limits: {{max_queues: 10000, max_agents: 1000000, max_contacts: 2000000}}
{extra}""")
        self.log = open(os.path.join(self.dir, "daemon.log"), "w+")
        self.proc = subprocess.Popen([os.path.join(build, "floorwatchd"), "--config", cfg], env=dict(os.environ),
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.port = None
        for _ in range(200):
            self.log.seek(0)
            m = re.search(r"http listening on [^\s]+:(\d+)", self.log.read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        assert self.port, "daemon did not start"
        self.endpoint = f"tcp://127.0.0.1:{self.zmq_port}"

    def metric(self, name):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=30) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        raise KeyError(name)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def publisher(build, endpoint, n, queues=200, slots=10000):
    return subprocess.Popen([os.path.join(build, "bench", "floorwatch-zmq-bench"), "publish", endpoint, str(n),
                             str(queues), str(slots)], stdout=subprocess.PIPE, text=True)


def wait_sending(pub):
    line = pub.stdout.readline()
    assert "sending" in line, line
    return time.perf_counter()


def bench_sink(build, n):
    endpoint = f"tcp://127.0.0.1:{free_port()}"
    sink = subprocess.Popen([os.path.join(build, "bench", "floorwatch-zmq-bench"), "sink", endpoint, str(n)],
                            stdout=subprocess.PIPE, text=True)
    assert "ready" in sink.stdout.readline()
    pub = publisher(build, endpoint, n)
    start = wait_sending(pub)
    result = json.loads(sink.stdout.readline())
    end = time.perf_counter()
    pub.wait()
    sink.wait()
    return {"events": n, "seconds": end - start, "events_per_second": n / (end - start),
            "sink_first_to_last_seconds": result["seconds"]}


def thread_cpu_seconds(pid):
    """CPU time (user + system) of each of the process's threads so far, summed by thread name."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[name] = out.get(name, 0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def early_counter(port, name):
    """One counter of /metrics, reading the body only until its line (the intake counters come
    first): the whole body is megabytes with every model on, and reading and splitting it in
    this process took 25-60 ms of CPU per poll, taken from the two cores the publisher and
    the daemon share (more for a build with a bigger body, so it biased the comparison)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        key = b"\n" + name.encode() + b" "
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                raise KeyError(name)
            buf += chunk
            at = buf.find(key)
            if at >= 0 and buf.find(b"\n", at + len(key)) >= 0:
                end = buf.find(b"\n", at + len(key))
                return float(buf[at + len(key):end])


def bench_daemon(build, n, hwm=None, journal=False, daemon_build=None, fsync=None):
    d = Daemon(daemon_build or build, hwm=hwm, state=journal, fsync=fsync)
    try:
        pub = publisher(build, d.endpoint, n)
        start = wait_sending(pub)
        # Each poll makes the daemon render all of /metrics on its core thread (4-9 ms with
        # every model on), so poll rarely: sleep 4/5 of the time the rate so far says is left,
        # then every 5 ms (the end time is known to within ~5 ms and one render). Halving
        # the estimate each time, capped at 0.2 s, took ~15 renders per 1.5 s run.
        polls = 0
        while True:
            applied = early_counter(d.port, "floorwatch_events_applied_total")
            polls += 1
            if applied >= n:
                break
            elapsed = time.perf_counter() - start
            rate = applied / elapsed if applied else 0
            remaining = (n - applied) / rate if rate else 0.025
            time.sleep(min(1.0, max(0.005, remaining * 0.8)))
        end = time.perf_counter()
        # CPU per event is steadier than the rate when other work shares the cores: it counts
        # what the daemon spent, not how long it waited for a core (the kernel's writeback of
        # the journal is not in it).
        cpu = thread_cpu_seconds(d.proc.pid)
        pub.wait()
        received = d.metric("floorwatch_events_received_total")
        return {"events": n, "seconds": end - start, "events_per_second": n / (end - start),
                "applied": applied, "received": received, "polls": polls, "cpu_seconds_by_thread": cpu,
                "cpu_us_per_event": sum(cpu.values()) * 1e6 / n}
    finally:
        d.stop()


def bench_scrape(build, queues=2000, channels=3, agents=20000, teams=1000):
    d = Daemon(build)
    try:
        ctx = zmq.Context()
        s = ctx.socket(zmq.PUSH)
        s.connect(d.endpoint)
        now = int(time.time() * 1000)
        for a in range(agents):
            qs = [f"queue-{a % queues:04d}", f"queue-{(a * 7 + 1) % queues:04d}", f"queue-{(a * 13 + 2) % queues:04d}"]
            # The names the publisher's contacts are answered by, so each team handles some.
            s.send_json({"type": "agent.login", "ts": now, "agent": f"agent-{a:05d}", "queues": qs,
                         "team": f"team-{a % teams:04d}"})
            s.send_json({"type": "agent.state", "ts": now, "agent": f"agent-{a:05d}",
                         "state": ["available", "on_contact", "acw", "not_ready"][a % 4]})
        s.close()
        ctx.term()
        n = 2_000_000  # 2,000 queues x 3 channels all get traffic
        pub = publisher(build, d.endpoint, n, queues, 20000)
        pub.wait()
        while d.metric("floorwatch_events_received_total") < n + 2 * agents:
            time.sleep(0.1)
        times = []
        size = 0
        for _ in range(20):
            out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{time_total} %{size_download}",
                                  f"http://127.0.0.1:{d.port}/metrics"], capture_output=True, text=True).stdout.split()
            times.append(float(out[0]) * 1000)
            size = int(out[1])
        with urllib.request.urlopen(f"http://127.0.0.1:{d.port}/metrics") as r:
            text = r.read().decode()
        series = sum(1 for l in text.splitlines() if l and not l.startswith("#"))
        qcs = len({l.split("}")[0] for l in text.splitlines() if l.startswith("floorwatch_queue_waiting_contacts{")})
        render = d.metric("floorwatch_metrics_render_seconds")
        team_count = len({l.split(",")[0] for l in text.splitlines() if l.startswith("floorwatch_team_agents{")})
        return {"queue_channels": qcs, "agents": agents, "teams": team_count, "series": series, "bytes": size,
                "median_ms": statistics.median(times), "max_ms": max(times), "render_ms_inside_daemon": render * 1000}
    finally:
        d.stop()


def bench_memory(build, n=1_000_000):
    d = Daemon(build)
    try:
        before = d.metric("process_resident_memory_bytes")
        subprocess.run([os.path.join(build, "bench", "floorwatch-zmq-bench"), "queued", d.endpoint, str(n)],
                       check=True, capture_output=True)
        while d.metric("floorwatch_events_received_total") < n:
            time.sleep(0.2)
        time.sleep(1)
        after = d.metric("process_resident_memory_bytes")
        waiting = d.metric('floorwatch_contacts{state="waiting"}')
        return {"waiting_contacts": waiting, "rss_before": before, "rss_after": after,
                "bytes_per_waiting_contact": (after - before) / waiting}
    finally:
        d.stop()


def throughput(args):
    """Rounds of: bare sink, the daemon (and the baseline build's daemon, the journaled
    daemon), each fed by the same publisher, so every ratio compares runs of one session."""
    runs = {"sink": [], "daemon": []}
    if args.baseline:
        runs["baseline"] = []
    fsyncs = args.fsync.split(",") if args.journal else []
    for f in fsyncs:
        runs[f"journaled_{f}"] = []
    if args.journal and args.baseline:  # the baseline build journaled, with its own defaults
        runs["baseline_journaled"] = []
    for _ in range(args.runs):
        runs["sink"].append(bench_sink(args.build, args.events))
        runs["daemon"].append(bench_daemon(args.build, args.events, args.hwm))
        if args.baseline:
            runs["baseline"].append(bench_daemon(args.build, args.events, args.hwm, daemon_build=args.baseline))
        for f in fsyncs:  # the same round as the memory-only run it is compared with
            runs[f"journaled_{f}"].append(bench_daemon(args.build, args.events, args.hwm, journal=True,
                                                       fsync=f))
        if args.journal and args.baseline:
            runs["baseline_journaled"].append(bench_daemon(args.build, args.events, args.hwm, journal=True,
                                                           daemon_build=args.baseline))
    median = {k: statistics.median(r["events_per_second"] for r in v) for k, v in runs.items()}
    summary = {"sink_median": median["sink"], "daemon_median": median["daemon"],
               "ratio_of_medians": median["daemon"] / median["sink"],
               "daemon_ratios": [d["events_per_second"] / s["events_per_second"]
                                 for d, s in zip(runs["daemon"], runs["sink"])]}
    if args.baseline:
        summary["baseline_median"] = median["baseline"]
        summary["baseline_ratio_of_medians"] = median["baseline"] / median["sink"]
        summary["baseline_ratios"] = [b["events_per_second"] / s["events_per_second"]
                                      for b, s in zip(runs["baseline"], runs["sink"])]
    cpu = {k: statistics.median(r["cpu_us_per_event"] for r in v) for k, v in runs.items() if k != "sink"}
    if fsyncs:
        summary["cpu_us_per_event_median"] = cpu
    for f in fsyncs:
        summary[f"journaled_{f}_median"] = median[f"journaled_{f}"]
        summary[f"journaled_{f}_to_memory_only"] = median[f"journaled_{f}"] / median["daemon"]
        summary[f"journaled_{f}_round_ratios"] = [j["events_per_second"] / d["events_per_second"]
                                                  for j, d in zip(runs[f"journaled_{f}"], runs["daemon"])]
    if args.journal and args.baseline:
        summary["baseline_journaled_to_baseline"] = median["baseline_journaled"] / median["baseline"]
        summary["baseline_journaled_round_ratios"] = [j["events_per_second"] / b["events_per_second"] for j, b in
                                                      zip(runs["baseline_journaled"], runs["baseline"])]
    return runs, summary


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=5_000_000)
    p.add_argument("--build", default="build")
    p.add_argument("--baseline", default=None,
                   help="another build directory whose floorwatchd is measured in the same rounds")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--hwm", type=int, default=None, help="the daemon input's rcvhwm (default: the daemon's)")
    p.add_argument("--only-throughput", action="store_true")
    p.add_argument("--only-scrape", action="store_true", help="only the /metrics scrape (item 2)")
    p.add_argument("--journal", action="store_true",
                   help="also run the daemon with state.dir (journal + snapshots) in each round")
    p.add_argument("--out", default=None, help="with --only-throughput: also write every run to this JSON file")
    p.add_argument("--fsync", default="interval",
                   help="with --journal: the state.fsync settings to run, comma-separated, each in every round "
                        "(batch,interval,never)")
    args = p.parse_args()
    results = {"machine": {"nproc": os.cpu_count(), "cpu": next((l.split(":")[1].strip() for l in open("/proc/cpuinfo")
                                                               if l.startswith("model name")), "?")}}
    if args.only_scrape:
        print(json.dumps({"scrape": bench_scrape(args.build)}, indent=1))
        return
    runs, results["throughput_summary"] = throughput(args)
    results.update(runs)
    if args.only_throughput:
        print(json.dumps(results["throughput_summary"], indent=1))
        if args.out:
            with open(args.out, "w") as f:
                json.dump(results, f, indent=1)
        return
    results["scrape"] = bench_scrape(args.build)
    if args.baseline:
        results["scrape_baseline"] = bench_scrape(args.baseline)
    results["memory"] = bench_memory(args.build)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
