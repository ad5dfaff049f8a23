"""floorwatch-bridge connect into the real daemon: Amazon Connect contact events (as an
EventBridge API destination POSTs them, with X-Api-Key) and agent event stream records (as a
Kinesis consumer pipes them into --stdin), shaped as AWS documents them (bridge_http.py cites
the pages). The daemon ends with the figures those records mean: queued, answered, a transfer
into a second queue, an abandon (a disconnect before any connect), ended, agents' states.
Refused requests (no key, a wrong key, a body that is not JSON) publish nothing; the bridge
counts them by reason. The contact map survives a kill -9 with --state-dir."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

from bridge_harness import BRIDGE, Bridge, check, daemon_config
from bridge_http import agent_event, contact_event, listen_port, post
from harness import Daemon, free_port, now_ms, wait_until

KEY = "k3y-0f-the-api-destination"


def voice(queue):
    return dict(queue=queue, channel="voice")


class ConnectOverHttp(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bridge-connect-")
        self.key_file = os.path.join(self.dir, "api-key")
        with open(self.key_file, "w") as f:
            f.write(KEY + "\n")
        self.replay = f"tcp://127.0.0.1:{free_port()}"
        self.daemon = Daemon(daemon_config(replay=self.replay))
        self.bridge = None

    def tearDown(self):
        if self.bridge:  # SIGTERM: a clean exit (under the sanitizers: no leak, no error)
            self.assertEqual(self.bridge.stop(), 0, self.bridge.read_log())
        self.assertEqual(self.daemon.stop(), 0)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, *extra):
        self.bridge = Bridge(["connect", "--listen", "127.0.0.1:0", "--api-key-file", self.key_file,
                              "--push", self.daemon.inputs[0], "--replay", self.replay,
                              "--source", "connect-test", "--metrics", "127.0.0.1:0", *extra],
                             log_dir=self.dir)
        self.url = f"http://127.0.0.1:{listen_port(self.bridge, 'connect')}/events"

    def send(self, body, key=KEY):
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["X-Api-Key"] = key
        return post(self.url, body if isinstance(body, str) else json.dumps(body), headers)

    def bridge_metrics_when(self, predicate):
        return wait_until(lambda: (lambda m: m if predicate(m) else None)(self.bridge.metrics()), 10,
                          "the bridge's figures")

    def test_contact_events_and_agent_records_give_the_daemons_figures(self):
        self.start()
        t = now_ms() - 600_000
        logins = [agent_event("LOGIN", "a-1", t, queues=["q-sales", "q-billing"]),
                  agent_event("LOGIN", "a-2", t, status="Lunch", queues=["q-billing"])]
        self.assertEqual(self.send(logins)[0], 200)  # a JSON array
        answered = [  # c-1: queued, answered, ended; a-1 on it meanwhile
            contact_event("QUEUED", "c-1", t + 1000, queue="q-sales"),
            contact_event("CONNECTED_TO_AGENT", "c-1", t + 9000, queue="q-sales", enqueued=t + 1000,
                          agent="a-1", connected=t + 9000),
            agent_event("STATE_CHANGE", "a-1", t + 9000, queues=["q-sales", "q-billing"],
                        contacts=[("c-1", "CONNECTED")]),
            contact_event("DISCONNECTED", "c-1", t + 60_000, queue="q-sales", enqueued=t + 1000,
                          agent="a-1", connected=t + 9000, disconnected=t + 60_000)]
        status, body = self.send("\n".join(json.dumps(r) for r in answered) + "\n")  # JSON lines
        self.assertEqual((status, json.loads(body)), (200, {"records": 4, "skipped": 0}))
        # c-2 hangs up while it waits: a disconnect before any connect, an abandon.
        self.send(contact_event("QUEUED", "c-2", t + 2000, queue="q-sales"))
        self.send(contact_event("DISCONNECTED", "c-2", t + 30_000, queue="q-sales", enqueued=t + 2000,
                                disconnected=t + 30_000))
        # c-3 answered by a-1, who transfers it to q-billing: Connect makes contact c-4
        # (initiationMethod TRANSFER, previousContactId c-3), queued there and answered by a-2.
        for record in [
                contact_event("QUEUED", "c-3", t + 3000, queue="q-sales"),
                contact_event("CONNECTED_TO_AGENT", "c-3", t + 5000, queue="q-sales", enqueued=t + 3000,
                              agent="a-1", connected=t + 5000),
                contact_event("QUEUED", "c-4", t + 70_000, queue="q-billing", method="TRANSFER",
                              previous="c-3"),
                contact_event("DISCONNECTED", "c-3", t + 70_500, queue="q-sales", enqueued=t + 3000,
                              agent="a-1", connected=t + 5000, disconnected=t + 70_500),
                agent_event("STATE_CHANGE", "a-2", t + 80_000, queues=["q-billing"]),
                contact_event("CONNECTED_TO_AGENT", "c-4", t + 80_000, queue="q-billing",
                              enqueued=t + 70_000, agent="a-2", connected=t + 80_000)]:
            self.assertEqual(self.send(record)[0], 200)
        # c-5 moved by its flow from q-sales to q-billing while it waits: the same contact.
        self.send(contact_event("QUEUED", "c-5", t + 4000, queue="q-sales"))
        self.send(contact_event("QUEUED", "c-5", t + 50_000, queue="q-billing", enqueued=t + 50_000))

        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_received_total") >= 17, 15,
                                 "the bridge's events")
        get = m.get
        self.assertEqual(get("floorwatch_queue_offered_total", **voice("q-sales")), 4)
        self.assertEqual(get("floorwatch_queue_answered_total", **voice("q-sales")), 2)
        self.assertEqual(get("floorwatch_queue_abandoned_total", **voice("q-sales")), 1)
        self.assertEqual(get("floorwatch_queue_handled_total", **voice("q-sales")), 2)  # c-3 too
        self.assertEqual(get("floorwatch_queue_transferred_out_total", **voice("q-sales")), 2)
        self.assertEqual(get("floorwatch_queue_talk_seconds_total", **voice("q-sales")), 51 + 65)
        self.assertEqual(get("floorwatch_queue_offered_total", **voice("q-billing")), 2)
        self.assertEqual(get("floorwatch_queue_answered_total", **voice("q-billing")), 1)
        self.assertEqual(get("floorwatch_queue_waiting_contacts", **voice("q-billing")), 1)  # c-5
        self.assertEqual(get("floorwatch_queue_active_contacts", **voice("q-billing")), 1)  # c-4
        self.assertEqual(get("floorwatch_agents", state="on_contact"), 1)  # a-1, as its last record says
        self.assertEqual(get("floorwatch_agents", state="available"), 1)  # a-2
        self.assertEqual(m.total("floorwatch_agents"), 2)
        self.assertEqual(m.total("floorwatch_events_rejected_total"), 0)

    def test_refused_requests_publish_nothing_and_are_counted_by_reason(self):
        self.start()
        t = now_ms()
        queued = contact_event("QUEUED", "c-1", t, queue="q-sales")
        self.assertEqual(self.send(queued, key=None)[0], 401)
        self.assertEqual(self.send(queued, key="not-the-key")[0], 401)
        self.assertEqual(self.send("this is not JSON")[0], 400)
        self.assertEqual(self.send(json.dumps(queued) + "\n{\"cut\": ")[0], 400)  # one bad line
        m = self.bridge_metrics_when(lambda m: m.get("floorwatch_bridge_records_read_total") == 4)
        skipped = lambda reason, kind: m.get("floorwatch_bridge_records_skipped_total",
                                             reason=reason, kind=kind)
        self.assertEqual(skipped("auth_failed", "missing_key"), 1)
        self.assertEqual(skipped("auth_failed", "wrong_key"), 1)
        self.assertEqual(skipped("bad_request", "not_json"), 2)
        self.assertEqual(m.get("floorwatch_bridge_events_sequenced_total"), 0)
        # Nothing reached the daemon, and what follows is taken as usual.
        self.assertEqual(self.daemon.metrics().get("floorwatch_events_received_total"), 0)
        self.assertEqual(self.send(queued)[0], 200)
        m = self.daemon.wait_received(1)
        self.assertEqual(m.get("floorwatch_queue_offered_total", **voice("q-sales")), 1)
        self.assertEqual(m.get("floorwatch_events_received_total"), 1)

    def test_records_of_unknown_kinds_are_skipped_and_the_rest_published(self):
        self.start()
        t = now_ms()
        lens = contact_event("QUEUED", "c-9", t, queue="q-sales")
        lens["detail-type"] = "Contact Lens Post Call Rules Matched"
        body = [lens, contact_event("INITIATED", "c-1", t), contact_event("QUEUED", "c-1", t, queue="q-sales"),
                {"something": "else"}]
        status, text = self.send(body)
        self.assertEqual((status, json.loads(text)), (200, {"records": 4, "skipped": 3}))
        self.daemon.wait_received(1)
        m = self.bridge_metrics_when(lambda m: m.get("floorwatch_bridge_records_read_total") == 4)
        skipped = lambda reason, kind: m.get("floorwatch_bridge_records_skipped_total",
                                             reason=reason, kind=kind)
        self.assertEqual(skipped("unknown_kind", "Contact Lens Post Call Rules Matched"), 1)
        self.assertEqual(skipped("unmapped_type", "INITIATED"), 1)
        self.assertEqual(skipped("unknown_kind", ""), 1)
        self.assertEqual(m.get("floorwatch_bridge_events_sequenced_total"), 1)

    def test_the_contact_map_survives_a_kill_with_state_dir(self):
        state = os.path.join(self.dir, "state")
        self.start("--state-dir", state)
        t = now_ms() - 60_000
        self.assertEqual(self.send(contact_event("QUEUED", "c-1", t, queue="q-sales"))[0], 200)
        self.assertEqual(self.send(contact_event("QUEUED", "c-2", t, queue="q-sales"))[0], 200)
        self.daemon.wait_received(2)
        self.bridge.kill()  # SIGKILL: no snapshot; the journal holds both records
        self.bridge.log.close()
        self.start("--state-dir", state)
        # A late duplicate of c-1's QUEUED (EventBridge delivers at least once), then its story.
        self.assertEqual(self.send(contact_event("QUEUED", "c-1", t, queue="q-sales"))[0], 200)
        self.send(contact_event("CONNECTED_TO_AGENT", "c-1", t + 4000, queue="q-sales", enqueued=t,
                                agent="a-1", connected=t + 4000))
        self.send(contact_event("DISCONNECTED", "c-1", t + 9000, queue="q-sales", enqueued=t,
                                agent="a-1", connected=t + 4000, disconnected=t + 9000))
        # c-2 was waiting before the kill: its disconnect is an abandon, not an unknown contact.
        self.send(contact_event("DISCONNECTED", "c-2", t + 20_000, queue="q-sales", enqueued=t,
                                disconnected=t + 20_000))
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_received_total") >= 5, 15, "events")
        self.assertEqual(m.get("floorwatch_queue_offered_total", **voice("q-sales")), 2)
        self.assertEqual(m.get("floorwatch_queue_answered_total", **voice("q-sales")), 1)
        self.assertEqual(m.get("floorwatch_queue_handled_total", **voice("q-sales")), 1)
        self.assertEqual(m.get("floorwatch_queue_abandoned_total", **voice("q-sales")), 1)
        self.assertEqual(m.total("floorwatch_events_rejected_total"), 0)
        bm = self.bridge_metrics_when(lambda m: m.get("floorwatch_bridge_records_read_total") == 4)
        self.assertEqual(bm.get("floorwatch_bridge_records_skipped_total", reason="duplicate",
                                kind="QUEUED"), 1)
        self.assertEqual(bm.get("floorwatch_bridge_next_seq"), 6)  # seqs 1-2, then 3-5


class ConnectFromStdin(unittest.TestCase):
    """The agent event stream as a Kinesis consumer hands it over: JSON lines on --stdin."""

    def test_json_lines_from_stdin_until_its_end(self):
        daemon = Daemon(daemon_config())
        try:
            t = now_ms() - 300_000
            lines = [json.dumps(agent_event("LOGIN", "a-1", t, queues=["q-sales"])),
                     json.dumps(agent_event("LOGIN", "a-2", t, status="Offline", queues=["q-sales"])),
                     "not json at all",
                     json.dumps(agent_event("STATE_CHANGE", "a-1", t + 5000, queues=["q-sales"],
                                            contacts=[("c-1", "ENDED")])),
                     json.dumps(agent_event("HEART_BEAT", "a-3", t + 6000, status="Break",
                                            queues=["q-sales"])),
                     json.dumps(agent_event("LOGOUT", "a-2", t + 7000, snapshot=False))]
            proc = subprocess.run([BRIDGE, "connect", "--stdin", "--push", daemon.inputs[0]],
                                  input="\n".join(lines).encode(), capture_output=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode())
            log = proc.stderr.decode() + proc.stdout.decode()
            self.assertIn("skipped a record (bad_json)", log)
            m = daemon.wait_for(lambda m: m.get("floorwatch_events_received_total") >= 8, 15, "events")
            self.assertEqual(m.get("floorwatch_agents", state="acw"), 1)  # a-1 after its contact
            self.assertEqual(m.get("floorwatch_agents", state="not_ready"), 1)  # a-3, on Break
            self.assertEqual(m.total("floorwatch_agents"), 2)  # a-2 logged out
            self.assertEqual(m.get("floorwatch_queue_agents", queue="q-sales", state="acw"), 1)
        finally:
            self.assertEqual(daemon.stop(), 0)


class Check(unittest.TestCase):
    def test_check_validates_the_key_file_and_the_listen_address(self):
        d = tempfile.mkdtemp(prefix="bridge-connect-check-")
        key, empty = os.path.join(d, "key"), os.path.join(d, "empty")
        with open(key, "w") as f:
            f.write(KEY)
        open(empty, "w").close()
        common = ["--push", "tcp://127.0.0.1:5570"]
        self.assertEqual(check("connect", "--listen", "127.0.0.1:8080", "--api-key-file", key, *common),
                         (0, "floorwatch-bridge: ok\n"))
        rc, out = check("connect", "--listen", "127.0.0.1:8080", "--api-key-file", empty, *common)
        self.assertEqual(rc, 1)
        self.assertIn("is empty", out)
        rc, out = check("connect", "--listen", "127.0.0.1:8080", "--api-key-file", d + "/none", *common)
        self.assertEqual(rc, 1)
        self.assertIn("cannot read", out)
        rc, out = check("connect", "--listen", "nowhere", "--api-key-file", key, *common)
        self.assertEqual(rc, 1)
        self.assertIn("--listen", out)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
