"""CURVE on a ZeroMQ input: a client with an allowed key is heard; a client with another key,
or without CURVE, is refused while the daemon keeps serving the allowed one."""

import os
import tempfile
import time
import unittest

import zmq

from harness import Daemon, check_config, now_ms


class Curve(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="curve-")
        self.server_public, server_secret = zmq.curve_keypair()
        self.allowed_public, self.allowed_secret = zmq.curve_keypair()
        self.other_public, self.other_secret = zmq.curve_keypair()
        self.key_file = os.path.join(self.dir, "input.key")
        with open(self.key_file, "wb") as f:
            f.write(server_secret + b"\n")
        self.daemon = Daemon(f"""
http: {{listen: "127.0.0.1:0"}}
inputs:
  - endpoint: "tcp://127.0.0.1:*"
    socket: pull
    mode: bind
    curve:
      secret_key_file: "{self.key_file}"
      allowed_clients: ["{self.allowed_public.decode()}"]
""")
        self.ctx = zmq.Context()

    def tearDown(self):
        self.ctx.destroy(linger=0)
        self.assertEqual(self.daemon.stop(), 0)

    def client(self, public=None, secret=None):
        s = self.ctx.socket(zmq.PUSH)
        s.setsockopt(zmq.LINGER, 0)
        if public is not None:
            s.curve_serverkey = self.server_public
            s.curve_publickey = public
            s.curve_secretkey = secret
        s.connect(self.daemon.inputs[0])
        return s

    def send(self, sock, contact):
        sock.send_json({"type": "contact.queued", "ts": now_ms(), "contact": contact, "queue": "q"})

    def test_only_the_allowed_client_key_is_heard(self):
        allowed = self.client(self.allowed_public, self.allowed_secret)
        other = self.client(self.other_public, self.other_secret)
        plain = self.client()
        self.send(other, "from-other")
        self.send(plain, "from-plain")
        self.send(allowed, "from-allowed-1")
        m = self.daemon.wait_received(1)
        m = self.daemon.wait_for(lambda m: m.get("floorwatch_input_auth_denied_total") >= 1, what="denial counted")
        time.sleep(1)  # give a wrongly accepted client time to show up
        self.send(allowed, "from-allowed-2")
        m = self.daemon.wait_received(2)
        time.sleep(0.5)
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_events_received_total"), 2)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 2)
        self.assertIn("input connection refused: client key not allowed on input-0", self.daemon.read_log())
        self.assertNotIn(self.allowed_secret.decode(), self.daemon.read_log())  # keys are never logged
        self.assertEqual(self.daemon.get("/healthz")[0], 200)


class CurveConfig(unittest.TestCase):
    def test_a_bad_key_file_is_refused_naming_the_key(self):
        with tempfile.TemporaryDirectory() as d:
            key = os.path.join(d, "input.key")
            with open(key, "w") as f:
                f.write("not a key\n")
            rc, out = check_config(f'inputs: [{{endpoint: "tcp://127.0.0.1:1", curve: {{secret_key_file: "{key}"}}}}]\n')
            self.assertNotEqual(rc, 0)
            self.assertIn("inputs[0].curve.secret_key_file", out)


if __name__ == "__main__":
    unittest.main()
