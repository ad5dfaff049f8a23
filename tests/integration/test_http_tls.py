"""TLS for the HTTP surface from the web-config file: HTTPS is served, plain HTTP is not,
basic auth works over it, a bad certificate stops start-up, and SIGHUP picks up a new one."""

import base64
import hashlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

from harness import FLOORWATCHD, Daemon, bcrypt_hash, wait_until


def make_cert(directory, name):
    cert, key = os.path.join(directory, f"{name}.crt"), os.path.join(directory, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2"],
                   check=True, capture_output=True)
    return cert, key


def peer_fingerprint(port):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
            return hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest()


class HttpTls(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tls-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.cert, self.key = make_cert(self.dir, "a")
        self.web = os.path.join(self.dir, "web.yml")
        self.write_web(self.cert, self.key)
        self.config = f'http: {{listen: "127.0.0.1:0", web_config_file: "{self.web}"}}\ninputs: []\n'

    def write_web(self, cert, key, users=""):
        with open(self.web, "w") as f:
            f.write(f"tls_server_config: {{cert_file: '{cert}', key_file: '{key}'}}\n{users}")

    def get(self, daemon, path, cafile, auth=None):
        ctx = ssl.create_default_context(cafile=cafile)
        req = urllib.request.Request(f"https://127.0.0.1:{daemon.port}{path}")
        if auth:
            req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
        try:
            with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def test_https_is_served_and_plain_http_is_not(self):
        daemon = Daemon(self.config)
        try:
            self.assertIn("(TLS)", daemon.read_log())
            self.assertEqual(self.get(daemon, "/healthz", self.cert), 200)
            self.assertEqual(self.get(daemon, "/metrics", self.cert), 200)
            with self.assertRaises((urllib.error.URLError, ConnectionError, OSError)):
                urllib.request.urlopen(f"http://127.0.0.1:{daemon.port}/healthz", timeout=5).read()
            self.assertEqual(self.get(daemon, "/healthz", self.cert), 200)  # still serving
        finally:
            self.assertEqual(daemon.stop(), 0)

    def test_basic_auth_over_tls(self):
        self.write_web(self.cert, self.key, f"basic_auth_users: {{prometheus: '{bcrypt_hash('s3cret')}'}}\n")
        daemon = Daemon(self.config)
        try:
            self.assertEqual(self.get(daemon, "/metrics", self.cert), 401)
            self.assertEqual(self.get(daemon, "/metrics", self.cert, "prometheus:wrong"), 401)
            self.assertEqual(self.get(daemon, "/metrics", self.cert, "prometheus:s3cret"), 200)
        finally:
            self.assertEqual(daemon.stop(), 0)

    def test_sighup_serves_a_renewed_certificate_to_new_connections(self):
        daemon = Daemon(self.config)
        try:
            first = peer_fingerprint(daemon.port)
            cert_b, key_b = make_cert(self.dir, "b")
            self.write_web(cert_b, key_b)
            daemon.signal(signal.SIGHUP)
            wait_until(lambda: peer_fingerprint(daemon.port) != first, 5, "the renewed certificate to be served")
            self.assertEqual(self.get(daemon, "/healthz", cert_b), 200)
        finally:
            self.assertEqual(daemon.stop(), 0)

    def test_an_unusable_certificate_stops_start_up_with_the_reason(self):
        bad = os.path.join(self.dir, "bad.crt")
        with open(bad, "w") as f:
            f.write("not a certificate\n")
        self.write_web(bad, self.key)
        cfg = os.path.join(self.dir, "floorwatch.yaml")
        with open(cfg, "w") as f:
            f.write(self.config)
        r = subprocess.run([FLOORWATCHD, "--config", cfg], capture_output=True, text=True, timeout=10)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("http:", r.stderr)


if __name__ == "__main__":
    unittest.main()
