"""The Debian package as an operator meets it: `apt-get install ./floorwatch_*.deb`, the
enabled unit, the daemon fed and scraped, `apt-get purge floorwatch`, nothing left behind.

Run as root on a Debian machine (it installs and purges the package on it):
    FLOORWATCH_DEB=build-deb/floorwatch_0.1.0_amd64.deb python3 tests/package/test_package.py
Without FLOORWATCH_DEB it builds the package first with tools/package.sh. tools/test.sh runs
it after the soak, with the package built in the background meanwhile.

How the daemon is started: this machine (a container, like CI's) has no systemd as PID 1
(`systemctl is-system-running` says offline), so `systemctl start floorwatchd` cannot work.
The test starts it the way the unit does (and under_systemd.py then boots a systemd in a
container to run the unit itself): it reads ExecStartPre=, ExecStart=, User=, Group=,
UMask=, LimitNOFILE= and Environment= from the installed unit and its drop-ins, checks that
the unit's StateDirectory= exists as systemd would make it, and runs those commands as that
user (setpriv) with that umask, limit and environment. What it cannot reproduce is the
sandbox (ProtectSystem= and the rest), which only systemd applies.
"""

import glob
import json
import os
import pwd
import re
import resource
import socket
import stat
import subprocess
import sys
import time
import unittest
import urllib.request

import yaml
import zmq

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from harness import Metrics, wait_until  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from under_systemd import UnderSystemd  # noqa: E402

UNIT = "floorwatchd.service"
UNIT_DIRS = ["/lib/systemd/system", "/etc/systemd/system"]
CONFIG = "/etc/floorwatch/floorwatch.yaml"
PACKAGE = "floorwatch"
# What the classes below hand on to each other, in the order load_tests runs them.
shared = {}


def read(path):
    with open(path) as f:
        return f.read()


def run(*cmd, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    return r


def package_file():
    deb = os.environ.get("FLOORWATCH_DEB")
    if not deb:
        run(os.path.join(ROOT, "tools", "package.sh"))
        deb = glob.glob(os.path.join(ROOT, "build-deb", "floorwatch_*.deb"))[0]
    return os.path.abspath(deb)


def installed():
    r = run("dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE, check=False)
    return r.returncode == 0 and r.stdout not in ("", "not-installed")


def unit_settings(name):
    """The unit file and its drop-ins (sorted by file name, as systemd reads them) as
    {key: [values]}: a later single value wins, an empty ExecStart= resets the list."""
    files = [os.path.join(d, name) for d in UNIT_DIRS if os.path.exists(os.path.join(d, name))][-1:]
    files += sorted((p for d in UNIT_DIRS for p in glob.glob(os.path.join(d, name + ".d", "*.conf"))),
                    key=os.path.basename)
    settings = {}
    for path in files:
        for line in read(path).splitlines():
            line = line.strip()
            if not line or line[0] in "#;[" or "=" not in line:
                continue
            key, value = (s.strip() for s in line.split("=", 1))
            if value == "":
                settings[key] = []
            else:
                settings.setdefault(key, []).append(value)
    return settings


def last(settings, key, default=None):
    return settings[key][-1] if settings.get(key) else default


def as_unit_user(settings):
    """The setpriv prefix, environment and preexec hook that run a command as the unit would."""
    user, group = last(settings, "User"), last(settings, "Group")
    prefix = ["setpriv", f"--reuid={user}", f"--regid={group}", "--init-groups", "--no-new-privs"]
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
    for assignment in settings.get("Environment", []):
        for item in assignment.split():
            k, v = item.split("=", 1)
            env[k] = v
    for key, var, base in (("StateDirectory", "STATE_DIRECTORY", "/var/lib/"),
                           ("ConfigurationDirectory", "CONFIGURATION_DIRECTORY", "/etc/")):
        if last(settings, key):
            env[var] = base + last(settings, key)
    umask = int(last(settings, "UMask", "0022"), 8)
    nofile = effective_nofile(settings)

    def preexec():
        os.umask(umask)
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    return prefix, env, preexec


def effective_nofile(settings):
    """LimitNOFILE=, bounded by this machine's hard limit: systemd as PID 1 may raise it, a
    root process in a container (this one's hard limit is 20000) may not."""
    want = int(last(settings, "LimitNOFILE", "0"))
    return min(want, resource.getrlimit(resource.RLIMIT_NOFILE)[1]) if want else 0


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.status, r.read().decode()


class Installed(unittest.TestCase):
    """apt-get install ./floorwatch_*.deb on this machine."""

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("installs a package: run as root")
        if installed():  # left by an interrupted run of this test
            run("apt-get", "purge", "-y", PACKAGE)
        deb = package_file()
        run("apt-get", "install", "-y", "--no-install-recommends", deb)
        shared["files"] = run("dpkg", "-L", PACKAGE).stdout.split()
        shared["settings"] = unit_settings(UNIT)

    def test_the_daemon_unit_is_enabled(self):
        self.assertEqual(run("systemctl", "is-enabled", UNIT, check=False).stdout.strip(), "enabled")

    def test_the_bridge_template_and_socket_are_not_enabled(self):
        for unit in ("floorwatch-bridge@.service", "floorwatch-bridge@.socket"):
            self.assertTrue(os.path.exists("/lib/systemd/system/" + unit), unit)
        links = glob.glob("/etc/systemd/system/*.wants/floorwatch-bridge@*")
        self.assertEqual(links, [])

    def test_both_config_files_are_conffiles(self):
        conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).stdout.split()
        self.assertIn("/etc/floorwatch/floorwatch.yaml", conffiles)
        self.assertIn("/etc/floorwatch/alerts.yaml", conffiles)

    def test_the_daemon_runs_as_the_system_user_in_its_state_directory(self):
        settings = shared["settings"]
        self.assertEqual(last(settings, "DynamicUser"), "no")
        user = pwd.getpwnam(last(settings, "User"))
        self.assertLess(user.pw_uid, 1000)  # a system account
        self.assertEqual(user.pw_shell, "/usr/sbin/nologin")
        st = os.stat("/var/lib/" + last(settings, "StateDirectory"))
        self.assertEqual((st.st_uid, st.st_gid), (user.pw_uid, user.pw_gid))
        self.assertEqual(oct(stat.S_IMODE(st.st_mode)), oct(int(last(settings, "StateDirectoryMode"), 8)))

    def test_the_installed_unit_keeps_its_sandbox_rating_with_the_system_user(self):
        # The drop-in swaps the dynamic user for _floorwatch; the rest of the sandbox stays.
        r = run("systemd-analyze", "security", "--offline=yes", "--no-pager", UNIT)
        rating = re.search(r"Overall exposure level for floorwatchd\.service: (\d+\.\d+)", r.stdout)
        self.assertTrue(rating, r.stdout)
        self.assertLessEqual(float(rating.group(1)), 2.0)
        self.assertRegex(r.stdout, r"User=/DynamicUser=\s+Service runs under a static non-root user identity")

    def test_the_shipped_config_passes_the_units_check(self):
        settings = shared["settings"]
        prefix, env, preexec = as_unit_user(settings)
        for command in settings["ExecStartPre"]:
            r = subprocess.run(prefix + command.split(), env=env, preexec_fn=preexec,
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn(f"{CONFIG}: ok", r.stdout + r.stderr)

    def test_the_man_pages_are_installed_and_render(self):
        for page, section in (("floorwatchd", "8"), ("floorwatch-bridge", "8"), ("floorwatch.yaml", "5")):
            path = run("man", "-w", section, page).stdout.strip()
            self.assertTrue(path.startswith(f"/usr/share/man/man{section}/"), path)
            text = run("man", "-l", "-P", "cat", path).stdout
            self.assertIn("NAME", text)
            self.assertIn(page, text)

    def test_the_shipped_prometheus_rules_pass_promtool(self):
        rules = "/usr/share/floorwatch/dashboards/prometheus-rules.yml"
        self.assertIn("SUCCESS", run("promtool", "check", "rules", rules).stdout)
        boards = glob.glob("/usr/share/floorwatch/dashboards/grafana/floorwatch-*.json")
        self.assertGreaterEqual(len(boards), 1)
        for board in boards:
            self.assertIn("panels", json.loads(read(board)))


class Running(unittest.TestCase):
    """The daemon started as the unit starts it, fed on the installed config's input."""

    @classmethod
    def setUpClass(cls):
        if "settings" not in shared:
            raise unittest.SkipTest("the package is not installed")
        config = yaml.safe_load(read(CONFIG))
        cls.http = "http://" + config["http"]["listen"]
        pull = [i for i in config["inputs"] if i.get("socket") == "pull" and i.get("mode") == "bind"]
        cls.endpoint = pull[0]["endpoint"]
        for port in (int(cls.http.rsplit(":", 1)[1]), int(cls.endpoint.rsplit(":", 1)[1])):
            if not port_free(port):
                raise AssertionError(f"port {port} of the installed config is in use on this machine")
        settings = shared["settings"]
        prefix, env, preexec = as_unit_user(settings)
        os.makedirs(os.path.join(ROOT, "build-deb"), exist_ok=True)
        cls.log = open(os.path.join(ROOT, "build-deb", "daemon.log"), "w")
        cls.daemon = subprocess.Popen(
            prefix + last(settings, "ExecStart").split(), env=env, preexec_fn=preexec,
            stdout=cls.log, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: cls.daemon.poll() is not None or cls.healthy(), 15, "floorwatchd to serve")
        except AssertionError:
            cls.daemon.kill()
            raise
        if cls.daemon.poll() is not None:
            raise AssertionError(f"floorwatchd exited {cls.daemon.returncode}: see {cls.log.name}")
        shared["daemon"] = cls.daemon

    @classmethod
    def tearDownClass(cls):
        cls.log.close()

    @classmethod
    def healthy(cls):
        try:
            return get(cls.http + "/healthz")[0] == 200
        except OSError:
            return False

    def metrics(self):
        status, body = get(self.http + "/metrics")
        self.assertEqual(status, 200)
        return Metrics(body)

    def test_the_daemon_runs_as_the_units_user_with_its_file_limit(self):
        status = read(f"/proc/{self.daemon.pid}/status")
        uid = pwd.getpwnam(last(shared["settings"], "User")).pw_uid
        self.assertIn(f"\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\n", status)
        m = self.metrics()
        self.assertEqual(m.get("process_max_fds"), effective_nofile(shared["settings"]))
        self.assertEqual(m.get("floorwatch_build_info", version=run("floorwatchd", "--version").stdout.split()[1]), 1)

    def test_contacts_pushed_to_the_installed_input_show_in_metrics(self):
        t = int(time.time() * 1000) - 60_000
        events = [
            {"type": "agent.login", "ts": t, "agent": "a1", "queues": ["sales-de"]},
            {"type": "agent.state", "ts": t, "agent": "a1", "state": "available"},
            {"type": "contact.queued", "ts": t, "contact": "c1", "queue": "sales-de"},
            {"type": "contact.queued", "ts": t + 1000, "contact": "c2", "queue": "sales-de"},
            {"type": "contact.queued", "ts": t + 2000, "contact": "c3", "queue": "sales-de"},
            {"type": "contact.answered", "ts": t + 12_000, "contact": "c1", "agent": "a1"},
            {"type": "agent.state", "ts": t + 12_000, "agent": "a1", "state": "on_contact"},
        ]
        ctx = zmq.Context()
        push = ctx.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 2000)
        push.connect(self.endpoint)
        for e in events:
            push.send(json.dumps(e).encode())
        push.close()
        ctx.term()
        m = wait_until(lambda: (lambda m: m if m.get("floorwatch_events_applied_total") >= len(events) else None)(
            self.metrics()), 15, "the events applied")
        q = dict(queue="sales-de", channel="voice")
        # sales-de's SL threshold is 30 s in the shipped config: a 12 s answer is within it.
        self.assertEqual({k: m.get("floorwatch_queue_" + k, **q) for k in
                          ("offered_total", "answered_total", "answered_in_sl_total", "waiting_contacts")},
                         {"offered_total": 3, "answered_total": 1, "answered_in_sl_total": 1, "waiting_contacts": 2})
        self.assertAlmostEqual(m.get("floorwatch_queue_oldest_wait_seconds", **q), 59, delta=5)
        self.assertEqual(m.get("floorwatch_queue_agents", queue="sales-de", state="on_contact"), 1)
        self.assertEqual(m.get("floorwatch_queue_info", queue="sales-de", site="berlin", market="de",
                               team="retail"), 1)


class Stopped(unittest.TestCase):
    """SIGTERM, as `systemctl stop` sends it."""

    @classmethod
    def setUpClass(cls):
        if "daemon" not in shared:
            raise unittest.SkipTest("the daemon did not start")
        shared["daemon"].terminate()
        cls.returncode = shared["daemon"].wait(timeout=10)

    def test_the_daemon_exits_0(self):
        self.assertEqual(self.returncode, 0)

    def test_its_state_is_saved_in_the_state_directory_as_the_user(self):
        state = "/var/lib/" + last(shared["settings"], "StateDirectory")
        snapshot = os.stat(os.path.join(state, "snapshot"))
        self.assertEqual(snapshot.st_uid, pwd.getpwnam(last(shared["settings"], "User")).pw_uid)
        self.assertEqual(stat.S_IMODE(snapshot.st_mode) & 0o077, 0)  # the unit's UMask=0077


class Purged(unittest.TestCase):
    """apt-get purge floorwatch: the package's files, its config and its state are gone; the
    system user stays (Debian keeps package accounts: its uid must not be reused)."""

    @classmethod
    def setUpClass(cls):
        if "files" not in shared:
            raise unittest.SkipTest("the package was not installed")
        run("apt-get", "purge", "-y", PACKAGE)

    def test_dpkg_lists_nothing_of_the_package(self):
        self.assertFalse(installed())
        self.assertNotEqual(run("dpkg", "-L", PACKAGE, check=False).returncode, 0)

    def test_no_file_of_the_package_is_left(self):
        left = [p for p in shared["files"] if p != "/." and os.path.lexists(p) and
                not (os.path.isdir(p) and run("dpkg-query", "-S", p, check=False).returncode == 0)]
        self.assertEqual(left, [])

    def test_config_state_and_shared_files_are_gone(self):
        for path in ("/etc/floorwatch", "/var/lib/floorwatch", "/usr/share/floorwatch",
                     "/usr/share/doc/floorwatch"):
            self.assertFalse(os.path.lexists(path), path)

    def test_the_unit_is_no_longer_enabled(self):
        self.assertEqual(glob.glob("/etc/systemd/system/*.wants/floorwatch*"), [])
        self.assertEqual(glob.glob("/var/lib/systemd/deb-systemd-helper-enabled/**/floorwatch*",
                                   recursive=True), [])

    def test_the_system_user_is_kept(self):
        self.assertEqual(pwd.getpwnam(last(shared["settings"], "User")).pw_shell, "/usr/sbin/nologin")


def load_tests(loader, tests, pattern):
    """In the order of an operator's day: install, run, stop, purge."""
    suite = unittest.TestSuite()
    for case in (Installed, Running, Stopped, UnderSystemd, Purged):
        suite.addTests(loader.loadTestsFromTestCase(case))
    return suite


if __name__ == "__main__":
    unittest.main(verbosity=2)
