"""The daemon's end-to-end items of bench/run.py: a bare ZeroMQ sink and floorwatchd fed by
the same C++ publisher (throughput), /metrics at size (scrape), RSS per waiting contact
(memory). Each function starts its own processes on free loopback ports and stops them;
none keeps state between calls, so run.py can alternate them in rounds.
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
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


def timed_scrapes(d, scrapes):
    """(scrape times, core render times, longest pauses, body bytes) of `scrapes` scrapes."""
    # Each body carries the previous scrape's core-thread figures (its render time, all
    # slices, and its longest slice: how long events waited at most). So each timed
    # scrape, whose body goes to /dev/null as a scraper keeps it in memory, is followed
    # by an untimed one into a file that gives the timed one's figures: `scrapes` rows of
    # (scrape time, render time, pause) side by side. (Timing the scrape into a file
    # on disk measured curl's writes too: 137-247 ms against 61-83 ms into /dev/null, on
    # one daemon at load 5.)
    times, renders, pauses = [], [], []
    size = 0
    body = os.path.join(d.dir, "body.txt")

    def previous(name):
        with open(body, "rb") as f:
            f.seek(max(0, os.path.getsize(body) - 16384))
            tail = f.read().decode(errors="replace")
        m = re.search(rf"^{name} (\S+)$", tail, re.M)
        return float(m.group(1)) * 1000 if m else float("nan")  # a build without the figure

    def curl(target):
        return subprocess.run(["curl", "-s", "-o", target, "-w", "%{time_total} %{size_download}",
                               f"http://127.0.0.1:{d.port}/metrics"], capture_output=True, text=True).stdout.split()

    for _ in range(scrapes):
        out = curl("/dev/null")
        times.append(float(out[0]) * 1000)
        size = int(out[1])
        curl(body)
        renders.append(previous("floorwatch_metrics_render_seconds"))
        pauses.append(previous("floorwatch_metrics_render_pause_seconds"))
    return times, renders, pauses, size


def send_feedback(endpoint, queues, agents, now):
    """Surveys and quality evaluations for every queue/channel, by logged-in agents: the
    bench stream has none, and a busy floor's CSAT, NPS and quality figures are ratios and
    means (printing one costs several times a count or a NaN). Returns the events sent."""
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    s.connect(endpoint)
    sent = 0
    for q in range(queues):
        for channel in ("voice", "chat", "email"):
            for k in range(3):
                where = {"ts": now - 1000 * k, "queue": f"queue-{q:04d}", "channel": channel,
                         "agent": f"agent-{(q * 3 + k) % agents:05d}"}
                s.send_json(dict(where, type="contact.survey", csat=1 + (q + k) % 5, nps=(q * 3 + k) % 11,
                                 resolved=(q + k) % 3 != 0))
                s.send_json(dict(where, type="contact.evaluated", score=50 + (q * 7 + k) % 50))
                sent += 2
    s.close()
    ctx.term()
    return sent


def bench_scrape(build, queues=2000, channels=3, agents=20000, teams=1000, events=2_000_000, scrapes=20):
    """`scrapes` timed scrapes after `agents` logins and `events` bench events over `queues`
    (at the defaults all 6,000 queue/channels get traffic within the windows)."""
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
        n = events
        pub = publisher(build, d.endpoint, n, queues, min(20000, max(1, n // 7)))
        pub.wait()
        feedback = send_feedback(d.endpoint, queues, agents, now)
        while d.metric("floorwatch_events_received_total") < n + 2 * agents + feedback:
            time.sleep(0.1)
        times, renders, pauses, size = timed_scrapes(d, scrapes)
        with urllib.request.urlopen(f"http://127.0.0.1:{d.port}/metrics") as r:
            text = r.read().decode()
        series = sum(1 for l in text.splitlines() if l and not l.startswith("#"))
        qcs = len({l.split("}")[0] for l in text.splitlines() if l.startswith("floorwatch_queue_waiting_contacts{")})
        render = d.metric("floorwatch_metrics_render_seconds")
        team_count = len({l.split(",")[0] for l in text.splitlines() if l.startswith("floorwatch_team_agents{")})
        return {"queue_channels": qcs, "agents": agents, "teams": team_count, "series": series, "bytes": size,
                "median_ms": statistics.median(times), "max_ms": max(times), "render_ms_inside_daemon": render * 1000,
                "per_scrape": [{"scrape_ms": round(t, 1), "core_render_ms": round(r, 1), "core_pause_ms": round(p, 1)}
                               for t, r, p in zip(times, renders, pauses)],
                "core_render_median_ms": statistics.median(renders), "core_pause_median_ms": statistics.median(pauses),
                "core_pause_max_ms": max(pauses, default=float("nan"))}
    finally:
        d.stop()


def trims_logged(d, wait_for=0, timeout=0):
    """The daemon's malloc_trim log lines so far as (bytes released, ms), waiting up to `timeout`
    seconds for there to be `wait_for` of them."""
    deadline = time.time() + timeout
    while True:
        d.log.seek(0)
        trims = [(float(m.group(1)), float(m.group(2))) for m in
                 re.finditer(r"malloc_trim: (-?\d+) resident bytes released in ([\d.]+) ms", d.log.read())]
        if len(trims) >= wait_for or time.time() >= deadline:
            return trims
        time.sleep(0.2)


def bench_memory(build, n=1_000_000):
    """RSS per waiting contact. As core-bench memory does, the 200 queues (and the /metrics
    body they make) exist before the baseline, so the figure is per contact, not per queue;
    the figure from a daemon's start (queues included) is reported too."""
    d = Daemon(build)
    zmq_bench = os.path.join(build, "bench", "floorwatch-zmq-bench")
    try:
        start = d.metric("process_resident_memory_bytes")
        # The first 200 of the N contacts (one per queue): the run below repeats them unchanged.
        subprocess.run([zmq_bench, "queued", d.endpoint, "200"], check=True, capture_output=True)
        while d.metric("floorwatch_events_received_total") < 200:
            time.sleep(0.1)
        trims_before = len(trims_logged(d, 1, 5))  # the daemon trims after each burst
        time.sleep(1)
        before = d.metric("process_resident_memory_bytes")
        waiting_before = d.metric('floorwatch_contacts{state="waiting"}')
        subprocess.run([zmq_bench, "queued", d.endpoint, str(n)], check=True, capture_output=True)
        while d.metric("floorwatch_events_received_total") < n + 200:
            time.sleep(0.2)
        trims = trims_logged(d, trims_before + 1, 5)[trims_before:]
        time.sleep(1)
        after = d.metric("process_resident_memory_bytes")
        waiting = d.metric('floorwatch_contacts{state="waiting"}')
        return {"waiting_contacts": waiting, "rss_start": start, "rss_before": before, "rss_after": after,
                "bytes_per_waiting_contact": (after - before) / (waiting - waiting_before),
                "bytes_per_waiting_contact_from_start": (after - start) / waiting,
                # The daemon's malloc_trim after the burst (memory_trim.h): its duration bounds
                # how long the core thread can wait on an allocation; none for older builds.
                "trims": len(trims), "trim_ms_max": max((t[1] for t in trims), default=None),
                "trim_released_bytes": sum(t[0] for t in trims)}
    finally:
        d.stop()
