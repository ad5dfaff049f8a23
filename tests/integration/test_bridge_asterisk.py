"""floorwatch-bridge asterisk on a real production queue_log (bridge/testdata/asterisk/), into the
real daemon: every figure the daemon shows at the end equals what the file's own holdtime and
calltime fields say; bad lines are skipped and counted without shifting anything; --check."""

import os
import re
import shutil
import tempfile
import unittest

from bridge_harness import (QUEUE_LOG, Bridge, check, daemon_config, daemon_differences, file_figures,
                            read_lines, verb_counts)
from harness import Daemon, promtool_check, wait_until

PATTERN = r"(\d+)"


def run_once(daemon, queue_log, *extra):
    """The bridge over the whole file (--once) into the daemon; returns it, exited."""
    bridge = Bridge(["asterisk", "--queue-log", queue_log, "--once", "--agent-pattern", PATTERN,
                     "--push", daemon.inputs[0], *extra], log_dir=daemon.dir)
    assert bridge.wait() == 0, bridge.read_log()
    bridge.stop()
    published = bridge.published()
    daemon.wait_received(published)
    return bridge


def open_agents(lines):
    """Agents (by the pattern's digits) members of a queue at the end, and those of them on a call."""
    members, on_call = {}, {}
    for line in lines:
        f = line.split("|")
        m = re.search(PATTERN, f[3])
        agent = m.group(1) if m else f[3]
        if f[4] == "ADDMEMBER":
            members.setdefault(agent, set()).add(f[2])
        elif f[4] == "REMOVEMEMBER":
            members.get(agent, set()).discard(f[2])
        elif f[4] == "CONNECT":
            on_call[f[1]] = agent
        elif f[4] in ("COMPLETECALLER", "COMPLETEAGENT", "BLINDTRANSFER", "ATTENDEDTRANSFER"):
            on_call.pop(f[1], None)
    logged_in = {a for a, qs in members.items() if qs}
    return logged_in, {a for a in on_call.values() if a in logged_in}


class SharedQueueLog(unittest.TestCase):
    def setUp(self):
        self.lines = read_lines()
        self.figures = file_figures(self.lines)
        self.daemon = Daemon(daemon_config())

    def tearDown(self):
        self.assertEqual(self.daemon.stop(), 0)

    def test_the_daemon_ends_with_the_files_own_figures(self):
        run_once(self.daemon, QUEUE_LOG)
        m = self.daemon.metrics()
        self.assertEqual(daemon_differences(m, self.figures), [])
        it = self.figures["IT"]
        # What the file holds (a sanity check of the derivation itself, not of the bridge).
        self.assertEqual((it["offered"], it["answered"], it["handled"]), (108, 93, 91))
        self.assertEqual((it["waiting"], it["connected"]), (2, 2))
        self.assertEqual(it["abandoned"], {"customer": 12, "key": 0, "timeout": 1, "no_agents": 0})
        # Talk from the timestamps is Asterisk's calltime, or one second more where the second
        # ticked between the CONNECT line and the bridging (app_queue.c try_calling).
        talk = m.get("floorwatch_queue_talk_seconds_total", queue="IT", channel="voice")
        self.assertGreaterEqual(talk, it["calltime_s"])
        self.assertLessEqual(talk, it["calltime_s"] + it["handled"])
        # Every event the bridge sent was applied: none refused, none ignored by the daemon.
        self.assertEqual(m.total("floorwatch_events_rejected_total"), 0)
        self.assertEqual(m.total("floorwatch_events_ignored_total"), 0)

    def test_agents_logged_in_and_on_a_call_at_the_end_are_the_files(self):
        run_once(self.daemon, QUEUE_LOG)
        m = self.daemon.metrics()
        logged_in, on_call = open_agents(self.lines)
        self.assertEqual(m.total("floorwatch_agents"), len(logged_in))
        self.assertEqual(m.get("floorwatch_agents", state="on_contact"), len(on_call))
        self.assertEqual(m.total("floorwatch_queue_agents", queue="IT"), len(logged_in))

    def test_the_bridges_own_metrics_count_every_line(self):
        bridge = Bridge(["asterisk", "--queue-log", QUEUE_LOG, "--agent-pattern", PATTERN,
                         "--push", self.daemon.inputs[0], "--metrics", "127.0.0.1:0"], log_dir=self.daemon.dir)
        try:
            b = wait_until(lambda: (lambda m: m if m.get("floorwatch_bridge_records_read_total") == 1000 else None)(
                bridge.metrics()), 20, "1000 records read")
            verbs = verb_counts(self.lines)
            for verb in ("RINGNOANSWER", "OUTDIAL", "QUEUESTART", "CONFIGRELOAD", "OUTANSWER"):
                self.assertEqual(b.get("floorwatch_bridge_records_skipped_total", reason="unmapped_verb", kind=verb),
                                 verbs[verb], verb)
            published = b.get("floorwatch_bridge_events_sequenced_total")
            d = self.daemon.wait_received(published)
            self.assertEqual(d.get("floorwatch_events_received_total"), published)
            wait_until(lambda: bridge.metrics().get("floorwatch_bridge_events_published_total") == published,
                       10, "all published")
            self.assertEqual(b.get("floorwatch_bridge_next_seq"), published + 1)
            self.assertEqual(b.get("floorwatch_bridge_input_pending_bytes"), 0)
            rc, out = promtool_check(bridge.metrics().text)
            self.assertEqual(rc, 0, out)
        finally:
            self.assertEqual(bridge.stop(), 0)


BAD_LINES = {  # reason -> lines that give it, inserted among the good ones
    "short_line": ["garbage without bars", "1543600000|x|IT|NONE", "\udcff\udcfe binary junk"],
    "bad_timestamp": ["15436abc|1.1|IT|NONE|ENTERQUEUE||c|1", "-1543600000|2.2|IT|NONE|ABANDON|1|1|1"],
    "no_verb": ["1543600000|1.1|IT|NONE||x"],
    "missing_field": ["1543600000|NONE|IT|NONE|ENTERQUEUE||c|1", "1543600000|7.7|IT|NONE|CONNECT|1|2|3"],
    "too_long": ["1543600000|8.8|IT|NONE|ENTERQUEUE||" + "x" * 70000 + "|1"],
}


class BadLines(unittest.TestCase):
    def test_bad_lines_are_skipped_counted_and_shift_nothing(self):
        lines = read_lines()
        bad = [(reason, l) for reason, ls in BAD_LINES.items() for l in ls]
        bad.append(("unmapped_verb", "1543600000|9.9|IT|Agent/1127|FROBNICATE|1"))
        mixed = []
        for i, line in enumerate(lines):
            mixed.append(line)
            if i % 100 == 50:
                mixed.extend(l for _, l in bad)
        tmp = tempfile.mkdtemp(prefix="bridge-bad-")
        path = os.path.join(tmp, "queue_log")
        with open(path, "wb") as f:
            f.write(("\n".join(mixed) + "\n").encode("utf-8", "surrogateescape"))
        daemon = Daemon(daemon_config())
        try:
            bridge = run_once(daemon, path)
            m = daemon.metrics()
            self.assertEqual(daemon_differences(m, file_figures(lines)), [])
            self.assertEqual(m.total("floorwatch_events_rejected_total"), 0)
            log = bridge.read_log()
            for reason in BAD_LINES:  # logged (rate-limited: the first batch of them is)
                self.assertIn(f"skipped a record ({reason}", log)
            self.assertIn("verb FROBNICATE is not mapped", log)
        finally:
            self.assertEqual(daemon.stop(), 0)
            shutil.rmtree(tmp, ignore_errors=True)

    def test_skips_by_reason_in_the_bridges_metrics(self):
        tmp = tempfile.mkdtemp(prefix="bridge-bad-")
        path = os.path.join(tmp, "queue_log")
        good = read_lines()[:200]
        with open(path, "wb") as f:
            for reason, ls in BAD_LINES.items():
                for l in ls:
                    f.write((l + "\n").encode("utf-8", "surrogateescape"))
            f.write(("\n".join(good) + "\n").encode())
        daemon = Daemon(daemon_config())
        bridge = Bridge(["asterisk", "--queue-log", path, "--push", daemon.inputs[0], "--metrics", "127.0.0.1:0"],
                        log_dir=daemon.dir)
        try:
            total = sum(len(ls) for ls in BAD_LINES.values()) + len(good)
            m = wait_until(lambda: (lambda m: m if m.get("floorwatch_bridge_records_read_total") == total else None)(
                bridge.metrics()), 20, f"{total} records read")
            for reason, ls in BAD_LINES.items():
                self.assertEqual(m.total("floorwatch_bridge_records_skipped_total", reason=reason), len(ls), reason)
            self.assertEqual(bridge.proc.poll(), None)  # still following the file
        finally:
            self.assertEqual(bridge.stop(), 0)
            self.assertEqual(daemon.stop(), 0)
            shutil.rmtree(tmp, ignore_errors=True)


class Check(unittest.TestCase):
    def test_a_good_command_line_is_ok(self):
        rc, out = check("asterisk", "--queue-log", QUEUE_LOG, "--agent-pattern", PATTERN,
                        "--push", "tcp://127.0.0.1:5570", "--replay", "tcp://127.0.0.1:*",
                        "--metrics", "127.0.0.1:9465")
        self.assertEqual((rc, out.strip()), (0, "floorwatch-bridge: ok"))

    def test_each_problem_is_refused_with_its_reason(self):
        base = ["asterisk", "--queue-log", QUEUE_LOG, "--push", "tcp://127.0.0.1:5570"]
        cases = [
            (["asterisk", "--queue-log", "/nonexistent/queue_log", "--push", "tcp://h:1"], "cannot read /nonexistent"),
            (base + ["--agent-pattern", "(unclosed"], "not a valid regular expression"),
            (base + ["--agent-pattern", r"\d+"], "capture group"),
            (["asterisk", "--queue-log", QUEUE_LOG, "--push", "tcp://127.0.0.1"], "--push"),
            (base + ["--publish", "udp://0.0.0.0:1"], "--publish"),
            (base + ["--metrics", "localhost"], "--metrics"),
            (base + ["--state-dir", QUEUE_LOG + "/state"], "--state-dir"),
        ]
        for args, reason in cases:
            rc, out = check(*args)
            self.assertNotEqual(rc, 0, args)
            self.assertIn(reason, out, args)

    def test_a_usage_error_exits_2_with_the_usage(self):
        rc, out = check("asterisk", "--queue-log", QUEUE_LOG)
        self.assertEqual(rc, 2)
        self.assertIn("--publish or --push", out)
        self.assertIn("usage:", out)


if __name__ == "__main__":
    unittest.main()
