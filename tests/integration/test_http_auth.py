"""Basic authentication from a Prometheus web-config file: no credentials and a wrong password
are refused with 401 while the right ones are served; the file reloads with SIGHUP."""

import base64
import os
import shutil
import signal
import tempfile
import unittest
import urllib.error
import urllib.request

from harness import Daemon, bcrypt_hash, check_config, wait_until


def get(daemon, path, user=None, password=None):
    req = urllib.request.Request(daemon.url(path))
    if user is not None:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


class HttpAuth(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="webcfg-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.web = os.path.join(self.dir, "web.yml")
        with open(self.web, "w") as f:
            f.write(f"basic_auth_users:\n  prometheus: '{bcrypt_hash('s3cret')}'\n")
        self.config = f"""
http: {{listen: "127.0.0.1:0", web_config_file: "{self.web}"}}
inputs: []
"""

    def test_without_or_with_wrong_credentials_401_with_right_ones_200(self):
        daemon = Daemon(self.config)
        try:
            status, headers = get(daemon, "/metrics")
            self.assertEqual(status, 401)
            self.assertEqual(headers.get("WWW-Authenticate"), 'Basic realm="floorwatch"')
            self.assertEqual(get(daemon, "/metrics", "prometheus", "wrong")[0], 401)
            self.assertEqual(get(daemon, "/metrics", "someone", "s3cret")[0], 401)
            self.assertEqual(get(daemon, "/metrics", "prometheus", "s3cret")[0], 200)
            self.assertEqual(get(daemon, "/api/v1/queues", "prometheus", "s3cret")[0], 200)
            # A reload with the users removed opens the endpoints again.
            with open(self.web, "w") as f:
                f.write("basic_auth_users: {}\n")
            daemon.signal(signal.SIGHUP)
            wait_until(lambda: get(daemon, "/metrics")[0] == 200, 5, "the reload to take the new web config")
        finally:
            self.assertEqual(daemon.stop(), 0)

    def test_the_wallboard_views_json_needs_the_credentials_too(self):
        daemon = Daemon(self.config)
        try:
            for path in ("/api/v1/teams", "/api/v1/escalations", "/?view=teams"):
                with self.subTest(path=path):
                    self.assertEqual(get(daemon, path)[0], 401)
                    self.assertEqual(get(daemon, path, "prometheus", "wrong")[0], 401)
                    status, headers = get(daemon, path, "prometheus", "s3cret")
                    self.assertEqual(status, 200)
                    self.assertEqual(headers.get("Content-Type").split(";")[0],
                                     "text/html" if path.startswith("/?") else "application/json")
        finally:
            self.assertEqual(daemon.stop(), 0)

    def check_config(self, web_text):
        with open(self.web, "w") as f:
            f.write(web_text)
        return check_config(self.config, os.path.join(self.dir, "floorwatch.yaml"))

    def test_a_hash_that_is_not_bcrypt_is_refused_naming_the_user(self):
        rc, out = self.check_config("basic_auth_users:\n  prometheus: plaintext\n")
        self.assertNotEqual(rc, 0)
        self.assertIn("basic_auth_users.prometheus", out)

    def test_unsupported_web_config_options_are_refused_by_name_not_ignored(self):
        rc, out = self.check_config("tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}\n")
        self.assertNotEqual(rc, 0)
        self.assertIn("tls_server_config.client_ca_file", out)
        rc, out = self.check_config("http_server_config: {http2: false}\n")
        self.assertNotEqual(rc, 0)
        self.assertIn("http_server_config", out)


if __name__ == "__main__":
    unittest.main()
