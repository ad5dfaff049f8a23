"""floorwatch-bridge under systemd: the shipped template unit's hardening and validity, its
example feed config, and the notify protocol (READY, STOPPING) on a real unix datagram socket."""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

from bridge_harness import BRIDGE, QUEUE_LOG
from harness import ROOT

UNIT = os.path.join(ROOT, "systemd", "floorwatch-bridge@.service")
SOCKET = os.path.join(ROOT, "systemd", "floorwatch-bridge@.socket")
EXAMPLE = os.path.join(ROOT, "systemd", "bridge-asterisk.conf.example")
HTTP_EXAMPLES = {name: os.path.join(ROOT, "systemd", f"bridge-{name}.conf.example")
                 for name in ("connect", "connect-agents", "twilio")}
ANALYZE = shutil.which("systemd-analyze")


def instance(directory, name="pbx1", binary=None):
    """The template as the unit file of one instance (systemd-analyze wants an instance)."""
    path = os.path.join(directory, f"floorwatch-bridge@{name}.service")
    with open(UNIT) as src, open(path, "w") as dst:
        text = src.read()
        dst.write(text.replace("/usr/bin/floorwatch-bridge", binary) if binary else text)
    return path


def example_args(state_dir, example=EXAMPLE, paths=None):
    """The example's command line as systemd would run it (BRIDGE_ARGS split at spaces), on the
    shared test queue_log instead of /var/log/asterisk/queue_log (and `paths` replaced)."""
    paths = dict(paths or {}, **{"/var/log/asterisk/queue_log": QUEUE_LOG})
    with open(example) as f:
        assignment = next(l for l in f if l.startswith("BRIDGE_ARGS="))
    args = shlex.split(assignment.split("=", 1)[1])[0].split()
    with open(UNIT) as f:
        exec_start = next(l for l in f if l.startswith("ExecStart="))
    self_args = exec_start.split("$BRIDGE_ARGS", 1)[1].split()
    values = {"${BRIDGE_SOURCE}": "pbx1", "${STATE_DIRECTORY}": state_dir}
    return [paths.get(a, a) for a in args] + [values.get(a, a) for a in self_args]


@unittest.skipUnless(ANALYZE, "systemd-analyze is not installed")
class Unit(unittest.TestCase):
    def test_hardening_exposure_is_at_most_2(self):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([ANALYZE, "security", "--offline=yes", "--no-pager", instance(d)],
                               capture_output=True, text=True)
        m = re.search(r"Overall exposure level for floorwatch-bridge@pbx1\.service: (\d+\.\d+)", r.stdout + r.stderr)
        self.assertTrue(m, r.stdout + r.stderr)
        self.assertLessEqual(float(m.group(1)), 2.0)

    def test_the_unit_verifies(self):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([ANALYZE, "verify", instance(d, binary=os.path.abspath(BRIDGE))],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


@unittest.skipUnless(ANALYZE, "systemd-analyze is not installed")
class SocketUnit(unittest.TestCase):
    def test_the_stdin_fifo_socket_and_its_service_verify(self):
        with tempfile.TemporaryDirectory() as d:
            service = instance(d, "aws1-agents", binary=os.path.abspath(BRIDGE))
            socket_unit = os.path.join(d, "floorwatch-bridge@aws1-agents.socket")
            shutil.copy(SOCKET, socket_unit)
            r = subprocess.run([ANALYZE, "verify", socket_unit, service], capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(SOCKET) as f:
            self.assertIn("ListenFIFO=/run/floorwatch-bridge/%i.fifo", f.read())


class Config(unittest.TestCase):
    def test_one_instance_per_feed_with_its_own_config_source_and_state(self):
        with open(UNIT) as f:
            text = f.read()
        for key in ("Type=notify", "EnvironmentFile=/etc/floorwatch/bridge-%i.conf", "Environment=BRIDGE_SOURCE=%i",
                    "StateDirectory=floorwatch-bridge/%i", "DynamicUser=yes", "--check"):
            self.assertIn(key, text)

    def test_the_example_feed_passes_check(self):
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([BRIDGE, *example_args(os.path.join(d, "state")), "--check"],
                               capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "floorwatch-bridge: ok"), r.stderr)


    def test_the_connect_and_twilio_example_feeds_pass_check(self):
        with tempfile.TemporaryDirectory() as d:
            secret = os.path.join(d, "secret")
            with open(secret, "w") as f:
                f.write("k3y\n")
            paths = {f"/run/credentials/floorwatch-bridge@{i}.service/{c}": secret
                     for i, c in (("aws1", "api-key"), ("support", "auth-token"))}
            for name, example in HTTP_EXAMPLES.items():
                args = example_args(os.path.join(d, "state"), example, paths)
                self.assertEqual(args[0], "connect" if name.startswith("connect") else "twilio")
                r = subprocess.run([BRIDGE, *args, "--check"], capture_output=True, text=True)
                self.assertEqual((r.returncode, r.stdout.strip()), (0, "floorwatch-bridge: ok"),
                                 name + ": " + r.stderr)


class NotifyProtocol(unittest.TestCase):
    def test_ready_once_publishing_and_stopping_on_sigterm(self):
        d = tempfile.mkdtemp(prefix="bridge-notify-")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(os.path.join(d, "notify.sock"))
        sock.settimeout(10)
        proc = subprocess.Popen([BRIDGE, "asterisk", "--queue-log", QUEUE_LOG, "--publish", "tcp://127.0.0.1:*"],
                                env=dict(os.environ, NOTIFY_SOCKET=os.path.join(d, "notify.sock")),
                                stderr=subprocess.DEVNULL)
        try:
            ready = sock.recv(4096).decode()
            self.assertIn("READY=1", ready.split("\n"))
            self.assertIn("STATUS=publishing as asterisk-", ready)
            proc.send_signal(signal.SIGTERM)
            self.assertIn("STOPPING=1", sock.recv(4096).decode().split("\n"))
            self.assertEqual(proc.wait(timeout=20), 0)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            sock.close()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
