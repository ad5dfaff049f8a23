"""floorwatch-bridge twilio into the real daemon: TaskRouter event callbacks as TaskRouter POSTs
them to the workspace's Event Callback URL (= --public-url), signed with X-Twilio-Signature
(bridge_http.py cites Twilio's pages and signs with Python's hmac). The daemon ends with the
figures the callbacks mean; a forged, missing or wrong-URL signature gets 403 and publishes
nothing, counted by reason; Twilio's published example signature is accepted over HTTP."""

import os
import shutil
import tempfile
import unittest

from bridge_harness import Bridge, check, daemon_config
from bridge_http import form, listen_port, post, twilio_callback, twilio_signature
from harness import Daemon, now_ms, wait_until

TOKEN = "f1e2d3c4b5a6978812345678abcdef00"
PUBLIC_URL = "https://cc.example.com/twilio/events?workspace=support"


def voice(queue):
    return dict(queue=queue, channel="voice")


class TwilioCallbacks(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bridge-twilio-")
        self.daemon = Daemon(daemon_config())
        self.bridge = None

    def tearDown(self):
        if self.bridge:  # SIGTERM: a clean exit (under the sanitizers: no leak, no error)
            self.assertEqual(self.bridge.stop(), 0, self.bridge.read_log())
        self.assertEqual(self.daemon.stop(), 0)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, token=TOKEN, public_url=PUBLIC_URL):
        token_file = os.path.join(self.dir, "auth-token")
        with open(token_file, "w") as f:
            f.write(token + "\n")
        self.bridge = Bridge(["twilio", "--listen", "127.0.0.1:0", "--auth-token-file", token_file,
                              "--public-url", public_url, "--push", self.daemon.inputs[0],
                              "--metrics", "127.0.0.1:0"], log_dir=self.dir)
        # A proxy in front of the bridge forwards the public URL's path (and query) as it is.
        path = public_url.split("://", 1)[1]
        path = path[path.find("/"):] if "/" in path else "/"
        self.url = f"http://127.0.0.1:{listen_port(self.bridge, 'twilio')}{path}"

    def callback(self, params, signature="sign", token=TOKEN, url=PUBLIC_URL):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature == "sign":
            signature = twilio_signature(token, url, params)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return post(self.url, form(params), headers)[0]

    def bridge_metrics_when(self, predicate):
        return wait_until(lambda: (lambda m: m if predicate(m) else None)(self.bridge.metrics()), 10,
                          "the bridge's figures")

    def test_a_workspace_s_callbacks_give_the_daemons_figures(self):
        self.start()
        t = now_ms() - 600_000
        task = lambda sid, **f: dict(TaskSid=sid, **f)
        for params in [
                twilio_callback("worker.activity.update", t, WorkerName="alice",
                                WorkerActivityName="Available", WorkerActivitySid="WA1"),
                twilio_callback("worker.activity.update", t, WorkerName="bob",
                                WorkerActivityName="Available"),
                # WT1: entered, accepted by alice, wrapped up, completed.
                twilio_callback("task-queue.entered", t + 1000, **task("WT1", TaskQueueName="Support",
                                                                     TaskQueueSid="WQ1")),
                twilio_callback("reservation.created", t + 2000, **task("WT1", WorkerName="alice")),
                twilio_callback("reservation.accepted", t + 6000, **task("WT1", WorkerName="alice",
                                                                       ReservationSid="WR1")),
                twilio_callback("task.wrapup", t + 66_000, **task("WT1")),
                twilio_callback("task.completed", t + 96_000, **task("WT1", TaskCompletedReason="done")),
                # WT2: the caller hangs up before anyone accepts it.
                twilio_callback("task-queue.entered", t + 2000, **task("WT2", TaskQueueName="Support")),
                twilio_callback("task.canceled", t + 40_000, **task("WT2", TaskCanceledReason="hangup")),
                # WT3: the workflow moves it on to Escalations, where bob accepts it.
                twilio_callback("task-queue.entered", t + 3000, **task("WT3", TaskQueueName="Support")),
                twilio_callback("task-queue.entered", t + 33_000, **task("WT3", TaskQueueName="Escalations")),
                twilio_callback("reservation.accepted", t + 43_000, **task("WT3", WorkerName="bob")),
                twilio_callback("worker.activity.update", t + 100_000, WorkerName="alice",
                                WorkerActivityName="Break"),
                twilio_callback("worker.activity.update", t + 100_000, WorkerName="carol",
                                WorkerActivityName="Offline")]:
            self.assertEqual(self.callback(params), 204, params)
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_events_received_total") >= 15, 15, "events")
        get = m.get
        self.assertEqual(get("floorwatch_queue_offered_total", **voice("Support")), 3)
        self.assertEqual(get("floorwatch_queue_answered_total", **voice("Support")), 1)
        self.assertEqual(get("floorwatch_queue_abandoned_total", **voice("Support")), 1)
        self.assertEqual(get("floorwatch_queue_handled_total", **voice("Support")), 1)
        self.assertEqual(get("floorwatch_queue_transferred_out_total", **voice("Support")), 1)
        self.assertEqual(get("floorwatch_queue_talk_seconds_total", **voice("Support")), 60)
        self.assertEqual(get("floorwatch_queue_acw_seconds_total", **voice("Support")), 30)
        self.assertEqual(get("floorwatch_queue_offered_total", **voice("Escalations")), 1)
        self.assertEqual(get("floorwatch_queue_answered_total", **voice("Escalations")), 1)
        self.assertEqual(get("floorwatch_queue_active_contacts", **voice("Escalations")), 1)
        self.assertEqual(get("floorwatch_agents", state="available"), 1)  # bob
        self.assertEqual(get("floorwatch_agents", state="not_ready"), 1)  # alice on Break
        self.assertEqual(m.total("floorwatch_agents"), 2)  # carol is Offline
        self.assertEqual(m.total("floorwatch_events_rejected_total"), 0)
        bm = self.bridge_metrics_when(lambda m: m.get("floorwatch_bridge_records_read_total") == 14)
        self.assertEqual(bm.get("floorwatch_bridge_records_skipped_total", reason="unmapped_type",
                                kind="reservation.created"), 1)

    def test_forged_missing_or_wrong_url_signatures_get_403_and_publish_nothing(self):
        self.start()
        entered = twilio_callback("task-queue.entered", now_ms(), TaskSid="WT1", TaskQueueName="Support")
        self.assertEqual(self.callback(entered, token="not-the-token"), 403)  # forged
        self.assertEqual(self.callback(entered, signature=None), 403)  # missing
        self.assertEqual(self.callback(entered, url="https://cc.example.com/twilio/events"), 403)
        self.assertEqual(self.callback(entered, signature="0/KCTR6DLpKmkAf8muzZqo1nDgQ="), 403)
        tampered = [(k, "Escalations" if k == "TaskQueueName" else v) for k, v in entered]
        self.assertEqual(post(self.url, form(tampered), {
            "X-Twilio-Signature": twilio_signature(TOKEN, PUBLIC_URL, entered)})[0], 403)
        self.assertEqual(post(self.url, "TaskSid=%zz", {"X-Twilio-Signature": "x"})[0], 400)
        m = self.bridge_metrics_when(lambda m: m.get("floorwatch_bridge_records_read_total") == 6)
        skipped = lambda reason, kind: m.get("floorwatch_bridge_records_skipped_total",
                                             reason=reason, kind=kind)
        self.assertEqual(skipped("auth_failed", "missing_signature"), 1)
        self.assertEqual(skipped("auth_failed", "bad_signature"), 4)
        self.assertEqual(skipped("bad_request", "not_form"), 1)
        self.assertEqual(m.get("floorwatch_bridge_events_sequenced_total"), 0)
        self.assertEqual(self.daemon.metrics().get("floorwatch_events_received_total"), 0)
        # The genuine callback after them is taken as usual.
        self.assertEqual(self.callback(entered), 204)
        m = self.daemon.wait_received(1)
        self.assertEqual(m.get("floorwatch_queue_offered_total", **voice("Support")), 1)

    def test_twilios_published_example_signature_is_accepted(self):
        # https://www.twilio.com/docs/usage/webhooks/webhooks-security: auth token 12345, the
        # URL and POST parameters below, X-Twilio-Signature 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
        self.start(token="12345", public_url="https://mycompany.com/myapp.php?foo=1&bar=2")
        params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
                  ("From", "+12349013030"), ("To", "+18005551212")]
        self.assertEqual(self.callback(params, signature="0/KCTR6DLpKmkAf8muzZqo1nDgQ="), 204)
        # Signed, but not a TaskRouter callback (no EventType): taken in and skipped as such.
        m = self.bridge_metrics_when(lambda m: m.get("floorwatch_bridge_records_read_total") == 1)
        self.assertEqual(m.get("floorwatch_bridge_records_skipped_total", reason="missing_field",
                               kind=""), 1)
        self.assertEqual(m.total("floorwatch_bridge_records_skipped_total", reason="auth_failed"), 0)


class Check(unittest.TestCase):
    def test_check_validates_the_token_file_and_the_public_url(self):
        d = tempfile.mkdtemp(prefix="bridge-twilio-check-")
        token = os.path.join(d, "token")
        with open(token, "w") as f:
            f.write(TOKEN)
        args = lambda url, file=token: ["twilio", "--listen", "127.0.0.1:8443", "--auth-token-file", file,
                                        "--public-url", url, "--push", "tcp://127.0.0.1:5570"]
        self.assertEqual(check(*args(PUBLIC_URL)), (0, "floorwatch-bridge: ok\n"))
        for url in ("cc.example.com/twilio/events", "https://cc.example.com/e#x", "ftp://h/e"):
            rc, out = check(*args(url))
            self.assertEqual(rc, 1, url)
            self.assertIn("--public-url", out)
        rc, out = check(*args(PUBLIC_URL, d + "/missing"))
        self.assertEqual(rc, 1)
        self.assertIn("--auth-token-file cannot read", out)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
