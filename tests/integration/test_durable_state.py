"""Durable state and replay with real processes: floorwatchd is killed with SIGKILL at random
moments while the replay-capable simulator (tools/floorsim.py) publishes a few thousand
events a second; restarted each time, it ends with every figure equal to the simulator's
ground truth. Without replay, the loss shows exactly in floorwatch_events_gap_total. SIGTERM
saves the state and exits 0 within 5 s. Each kill run uses another state.fsync setting, and
the torn-tail test runs under each, so every setting is killed and restarted."""

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest

from harness import (Daemon, DaemonTestCase, Publisher, floorsim, free_port, ground_truth_differences,
                     now_ms)

SIM_SECONDS = 30
KILLS = 5


def config(endpoint, socket, mode, replay=None, fsync="interval"):
    replay_keys = f', replay: "{replay}", replay_timeout: 3s' if replay else ""
    return f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "{endpoint}", socket: {socket}, mode: {mode}{replay_keys}}}
state: {{dir: "{{dir}}/state", snapshot_interval: 3s, fsync: {fsync}}}
defaults: {{service_level: {{threshold_seconds: 20}}}}
"""


def start_simulator(endpoint, socket, bind, replay, tally_path, seed):
    args = ["--socket", socket, "--rate", "100000", "--agent-scale", "30", "--time-scale", "0.02", "--day-seconds", "60",
            "--start-hour", "9", "--transfer-share", "0.05", "--seed", str(seed),
            "--duration", str(SIM_SECONDS), "--tally-file", tally_path, "--linger", "10"]
    if bind:
        args.append("--bind")
    if replay:
        args += ["--replay", replay]
    return floorsim(endpoint, *args, stderr=subprocess.PIPE, text=True)


def kill_and_restart(daemon, rng, moments):
    """SIGKILLs and restarts the daemon at `moments` (seconds from now)."""
    start = time.time()
    for at in moments:
        time.sleep(max(0, start + at - time.time()))
        daemon.kill()
        time.sleep(rng.uniform(0, 0.8))  # down for a moment: events keep coming meanwhile
        daemon.restart()


def kill_moments(rng):
    """Five moments between 3 s and 22 s into the run, at least 2 s apart."""
    while True:
        moments = sorted(rng.uniform(3, SIM_SECONDS - 8) for _ in range(KILLS))
        if all(b - a >= 2 for a, b in zip(moments, moments[1:])):
            return moments


def applied_distinct(m):
    """Events whose seq was processed once: applied, ignored or rejected (not duplicates)."""
    return (m.get("floorwatch_events_applied_total") + m.total("floorwatch_events_ignored_total") +
            m.total("floorwatch_events_rejected_total"))


class KilledDaemonLosesNothing(unittest.TestCase):
    def run_with_kills(self, socket, use_replay, seed, fsync):
        rng = random.Random(seed)
        port, replay_port = free_port(), free_port()
        endpoint = f"tcp://127.0.0.1:{port}"
        replay = f"tcp://127.0.0.1:{replay_port}" if use_replay else None
        if socket == "push":  # the daemon binds a PULL; the source's PUSH queues while it is down
            daemon = Daemon(config(endpoint, "pull", "bind", replay, fsync))
            sim_bind = False
        else:  # the source binds a PUB; the daemon's SUB connects
            daemon = Daemon(config(endpoint, "sub", "connect", replay, fsync))
            sim_bind = True
        tally = tempfile.mktemp(suffix=".json")
        sim = start_simulator(endpoint, socket, sim_bind, replay, tally, seed)
        try:
            moments = kill_moments(rng)
            kill_and_restart(daemon, rng, moments)
            sim.wait(timeout=SIM_SECONDS + 60)
            log = sim.stderr.read()
            self.assertEqual(sim.returncode, 0, log)
            with open(tally) as f:
                truth = json.load(f)
            self.assertGreater(truth["events_sent"], 2000 * SIM_SECONDS)  # a few thousand per second
            return daemon, truth, moments, log
        except BaseException:
            daemon.stop()
            raise
        finally:
            if sim.poll() is None:
                sim.kill()
                sim.wait()
            sim.stderr.close()
            if os.path.exists(tally):
                os.unlink(tally)

    def check_nothing_lost(self, socket, seed, fsync):
        daemon, truth, moments, sim_log = self.run_with_kills(socket, use_replay=True, seed=seed, fsync=fsync)
        try:
            where = f"fsync {fsync}, killed at {[round(t, 1) for t in moments]} s; simulator: {sim_log.strip()}"
            try:
                m = daemon.wait_for(lambda m: not ground_truth_differences(m, truth), timeout=30,
                                    what="figures equal to the ground truth")
            except AssertionError:
                m = daemon.metrics()
            self.assertEqual(ground_truth_differences(m, truth), [], where)
            self.assertEqual(m.get("floorwatch_events_gap_total", source="floorsim"), 0, where)
            self.assertEqual(applied_distinct(m), truth["events_sent"], where)
            self.assertEqual(m.get("floorwatch_events_held"), 0)
            self.assertGreaterEqual(m.get("floorwatch_replay_requests_total"), 1, where)
            self.assertEqual(m.get("floorwatch_replay_timeouts_total"), 0, where)
            self.assertEqual(m.get("floorwatch_state_discarded_bytes"), 0)
            self.assertEqual(m.get("floorwatch_state_write_errors_total"), 0)
            print(f"\n{socket}: {truth['events_sent']} events, {where}; "
                  f"replays {m.get('floorwatch_replay_requests_total'):.0f} "
                  f"({m.get('floorwatch_replay_events_total'):.0f} events), "
                  f"duplicates {m.get('floorwatch_events_duplicate_total'):.0f}", file=sys.stderr)
        finally:
            self.assertEqual(daemon.stop(), 0)

    def test_push_pull_with_replay_ends_equal_to_the_ground_truth(self):
        self.check_nothing_lost("push", seed=11, fsync="batch")

    def test_pub_sub_with_replay_ends_equal_to_the_ground_truth(self):
        self.check_nothing_lost("pub", seed=12, fsync="never")

    def test_without_replay_the_loss_is_counted_exactly_as_a_gap(self):
        daemon, truth, moments, _ = self.run_with_kills("pub", use_replay=False, seed=13, fsync="interval")
        try:
            # Settled: no more events arrive once the simulator has stopped.
            previous = None
            for _ in range(100):
                m = daemon.metrics()
                if previous is not None and applied_distinct(m) == applied_distinct(previous):
                    break
                previous = m
                time.sleep(0.3)
            gap = m.get("floorwatch_events_gap_total", source="floorsim")
            lost = truth["events_sent"] - applied_distinct(m)
            self.assertGreater(lost, 0, "five kills of a SUB daemon lose events")
            self.assertEqual(gap, lost)
            self.assertEqual(m.get("floorwatch_replay_requests_total"), 0)
        finally:
            self.assertEqual(daemon.stop(), 0)


class SigtermSavesTheState(DaemonTestCase):
    CONFIG = config("tcp://127.0.0.1:*", "pull", "bind")

    def test_sigterm_snapshots_exits_zero_within_5s_and_the_restart_goes_on_from_there(self):
        daemon, pub = self.daemon, self.pub
        t0 = now_ms() - 90_000
        for i in range(3):
            pub.send({"type": "contact.queued", "ts": t0 + i * 1000, "contact": f"c{i}", "queue": "sales",
                      "source": "acd", "seq": i + 1})
        pub.send({"type": "agent.login", "ts": t0, "agent": "a1", "queues": ["sales"], "source": "acd",
                  "seq": 4})
        pub.send({"type": "agent.state", "ts": t0, "agent": "a1", "state": "on_contact", "source": "acd",
                  "seq": 5})
        pub.send({"type": "contact.answered", "ts": t0 + 5000, "contact": "c0", "agent": "a1",
                  "source": "acd", "seq": 6})
        before = daemon.wait_received(6)
        sales = dict(queue="sales", channel="voice")

        started = time.time()
        daemon.signal(signal.SIGTERM)
        rc = daemon.proc.wait(timeout=10)
        took = time.time() - started
        self.assertEqual(rc, 0)
        self.assertLess(took, 5.0)
        self.assertIn("state saved to", daemon.read_log())
        self.assertTrue(os.path.exists(os.path.join(daemon.dir, "state", "snapshot")))

        daemon.restart()
        self.pub.close()
        self.pub = pub = Publisher(connect=daemon.inputs[0])
        after = daemon.metrics()
        for name in ("floorwatch_queue_offered_total", "floorwatch_queue_answered_total",
                     "floorwatch_queue_waiting_contacts", "floorwatch_queue_active_contacts"):
            self.assertEqual(after.get(name, **sales), before.get(name, **sales), name)
        self.assertEqual(after.get("floorwatch_events_received_total"), 6)
        self.assertEqual(after.get("floorwatch_queue_agents", queue="sales", state="on_contact"), 1)
        # The waiting contacts kept their original queued time: c1 has waited ~89 s.
        self.assertGreaterEqual(after.get("floorwatch_queue_oldest_wait_seconds", **sales), 89)
        # The source's seq continues: 7 is no gap, 9 is one (8 missing); counters go on.
        pub.send({"type": "contact.abandoned", "ts": now_ms(), "contact": "c1", "source": "acd", "seq": 7})
        pub.send({"type": "contact.abandoned", "ts": now_ms(), "contact": "c2", "source": "acd", "seq": 9})
        m = daemon.wait_received(8)
        self.assertEqual(m.get("floorwatch_events_gap_total", source="acd"), 1)
        self.assertEqual(m.get("floorwatch_queue_abandoned_total", **sales), 2)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", **sales), 0)


class ReplayProtocol(DaemonTestCase):
    """The daemon's side of PROTOCOL.md's replay, against a hand-driven ROUTER."""

    def setUp(self):
        import zmq
        self.ctx = zmq.Context()
        self.router = self.ctx.socket(zmq.ROUTER)
        self.router.setsockopt(zmq.LINGER, 0)
        port = self.router.bind_to_random_port("tcp://127.0.0.1")
        self.CONFIG = f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - {{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind,
     replay: "tcp://127.0.0.1:{port}", replay_timeout: 1s}}
"""
        super().setUp()

    def tearDown(self):
        super().tearDown()
        self.router.close()
        self.ctx.term()

    def queued(self, contact, seq):
        return {"type": "contact.queued", "ts": now_ms(), "contact": contact, "queue": "q", "source": "acd",
                "seq": seq}

    def request(self):
        """The next request the daemon sends: (identity, parsed JSON)."""
        self.assertTrue(self.router.poll(5000), "no replay request arrived")
        identity, frame = self.router.recv_multipart()
        return identity, json.loads(frame)

    def waiting(self, m):
        return m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice")

    def test_a_gap_asks_for_exactly_the_missing_seqs_and_holds_live_events(self):
        self.pub.send(self.queued("c1", 1))
        self.daemon.wait_received(1)
        self.pub.send(self.queued("c5", 5))
        identity, req = self.request()
        self.assertEqual(req, {"type": "replay.request", "source": "acd", "from_seq": 2})
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_held") == 1, what="one event held")
        self.assertEqual(self.waiting(m), 1)  # c5 is held, not applied yet
        for seq in (2, 3, 4):
            self.router.send_multipart([identity, json.dumps(self.queued(f"c{seq}", seq)).encode()])
        self.router.send_multipart([identity, b'{"type":"replay.end","source":"acd","next_seq":6}'])
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_held") == 0 and self.waiting(m) == 5,
                                 what="replay applied")
        self.assertEqual(m.get("floorwatch_events_gap_total", source="acd"), 0)
        self.assertEqual(m.get("floorwatch_replay_events_total"), 3)
        self.assertEqual(m.get("floorwatch_replay_timeouts_total"), 0)

    def test_a_silent_source_times_out_and_the_missing_events_count_as_a_gap(self):
        self.pub.send(self.queued("c1", 1))
        self.daemon.wait_received(1)
        self.pub.send(self.queued("c5", 5))
        self.request()  # never answered
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_replay_timeouts_total") == 1, timeout=10,
                                 what="the replay time-out")
        self.assertEqual(m.get("floorwatch_events_held"), 0)
        self.assertEqual(self.waiting(m), 2)
        self.assertEqual(m.get("floorwatch_events_gap_total", source="acd"), 3)
        self.assertIn("timed out", self.daemon.read_log())

    def test_a_truncated_replay_counts_what_the_source_no_longer_has_as_a_gap(self):
        self.pub.send(self.queued("c1", 1))
        self.daemon.wait_received(1)
        self.pub.send(self.queued("c6", 6))
        identity, req = self.request()
        self.assertEqual(req["from_seq"], 2)
        self.router.send_multipart([identity, b'{"type":"replay.truncated","source":"acd","oldest_seq":4}'])
        for seq in (4, 5, 6):  # 6 again: the replay overlaps the held live event
            self.router.send_multipart([identity, json.dumps(self.queued(f"c{seq}", seq)).encode()])
        self.router.send_multipart([identity, b'{"type":"replay.end","source":"acd","next_seq":7}'])
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_held") == 0 and self.waiting(m) == 4,
                                 what="replay applied")
        self.assertEqual(m.get("floorwatch_events_gap_total", source="acd"), 2)  # seq 2 and 3
        self.assertEqual(m.get("floorwatch_replay_truncated_total"), 1)
        self.assertEqual(m.get("floorwatch_events_duplicate_total"), 1)  # the held seq 6


class DamagedJournal(unittest.TestCase):
    def check_torn_tail_survived(self, fsync):
        daemon = Daemon(config("tcp://127.0.0.1:*", "pull", "bind", fsync=fsync))
        pub = Publisher(connect=daemon.inputs[0])
        try:
            for i in range(50):
                pub.send({"type": "contact.queued", "ts": now_ms(), "contact": f"c{i}", "queue": "q"})
            daemon.wait_for(lambda m: m.get("floorwatch_state_journal_records_total") >= 50,
                            what="the batches written by the journal writer")
            daemon.kill()
            state = os.path.join(daemon.dir, "state")
            journal = max(f for f in os.listdir(state) if f.startswith("journal-"))
            with open(os.path.join(state, journal), "ab") as f:
                f.write(b"\x30\x00\x00\x00garbage-from-a-torn-write")
            daemon.restart()
            m = daemon.metrics()
            self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 50)
            self.assertGreater(m.get("floorwatch_state_discarded_bytes"), 0)
            self.assertIn("torn or corrupt record", daemon.read_log())
        finally:
            pub.close()
            self.assertEqual(daemon.stop(), 0)

    def test_a_torn_journal_tail_is_counted_and_the_daemon_starts_with_fsync_batch(self):
        self.check_torn_tail_survived("batch")

    def test_a_torn_journal_tail_is_counted_and_the_daemon_starts_with_fsync_interval(self):
        self.check_torn_tail_survived("interval")

    def test_a_torn_journal_tail_is_counted_and_the_daemon_starts_with_fsync_never(self):
        self.check_torn_tail_survived("never")


if __name__ == "__main__":
    unittest.main()
