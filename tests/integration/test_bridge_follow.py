"""floorwatch-bridge follows queue_log as tail -F does: a rename rotation and a truncation while it
runs lose no line and read none twice; --from end starts at the end; --speed replays the file's
timestamps faster with the ts shifted to now."""

import json
import os
import shutil
import tempfile
import time
import unittest

import zmq

from bridge_harness import QUEUE_LOG, Bridge, daemon_config, daemon_differences, file_figures, read_lines
from harness import Daemon, wait_until


def append(path, lines):
    with open(path, "a") as f:
        f.write("".join(l + "\n" for l in lines))


def figure(bridge, name):
    return bridge.metrics().get(name)


class Follow(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bridge-follow-")
        self.path = os.path.join(self.dir, "queue_log")
        self.lines = read_lines()
        self.daemon = Daemon(daemon_config())
        self.bridge = None

    def tearDown(self):
        if self.bridge is not None:
            self.assertEqual(self.bridge.stop(), 0)
        self.assertEqual(self.daemon.stop(), 0)
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, *extra):
        self.bridge = Bridge(["asterisk", "--queue-log", self.path, "--agent-pattern", r"(\d+)",
                              "--push", self.daemon.inputs[0], "--metrics", "127.0.0.1:0", *extra],
                             log_dir=self.daemon.dir)

    def wait_read(self, n):
        wait_until(lambda: figure(self.bridge, "floorwatch_bridge_records_read_total") == n, 20,
                   f"{n} records read")

    def settle(self):
        """Until the daemon has every event the bridge sequenced."""
        n = figure(self.bridge, "floorwatch_bridge_events_sequenced_total")
        return self.daemon.wait_received(n)

    def test_rename_rotation_and_truncation_lose_nothing_and_repeat_nothing(self):
        a, b, c, d = self.lines[:300], self.lines[300:320], self.lines[320:650], self.lines[650:]
        append(self.path, a)
        self.start()
        self.wait_read(len(a))
        os.rename(self.path, self.path + ".1")        # logrotate's move...
        append(self.path + ".1", b)                   # ...while Asterisk still writes the old file
        self.wait_read(len(a) + len(b))
        append(self.path, c)                          # then reopens queue_log: a new file
        self.wait_read(len(a) + len(b) + len(c))
        self.assertEqual(figure(self.bridge, "floorwatch_bridge_input_rotations_total"), 1)
        os.truncate(self.path, 0)                     # copytruncate's truncation
        wait_until(lambda: figure(self.bridge, "floorwatch_bridge_input_truncations_total") == 1, 20,
                   "the truncation seen")
        append(self.path, d)
        self.wait_read(len(self.lines))
        m = self.settle()
        self.assertEqual(daemon_differences(m, file_figures(self.lines)), [])
        self.assertEqual(m.get("floorwatch_events_duplicate_total"), 0)
        self.assertIn("rotated", self.bridge.read_log())
        self.assertIn("truncated", self.bridge.read_log())

    def test_a_file_that_grows_line_by_line_is_read_whole_lines_only(self):
        append(self.path, self.lines[:10])
        self.start()
        self.wait_read(10)
        with open(self.path, "a") as f:  # a line written in two pieces
            line = self.lines[10]
            f.write(line[:7])
            f.flush()
            time.sleep(0.3)
            f.write(line[7:] + "\n")
        append(self.path, self.lines[11:])
        self.wait_read(len(self.lines))
        m = self.settle()
        self.assertEqual(daemon_differences(m, file_figures(self.lines)), [])
        self.assertEqual(self.bridge.metrics().total("floorwatch_bridge_records_skipped_total", reason="short_line"), 0)

    def test_from_end_publishes_only_what_is_written_after_the_start(self):
        first, rest = self.lines[:500], self.lines[500:]
        append(self.path, first)
        self.start("--from", "end")
        time.sleep(0.3)  # it would read the first half now if it were to
        self.assertEqual(figure(self.bridge, "floorwatch_bridge_records_read_total"), 0)
        append(self.path, rest)
        self.wait_read(len(rest))
        m = self.settle()
        offered = sum(1 for l in rest if l.split("|")[4] == "ENTERQUEUE")
        self.assertEqual(m.get("floorwatch_queue_offered_total", queue="IT", channel="voice"), offered)


class Speed(unittest.TestCase):
    def test_speed_replays_with_the_files_spacing_shifted_to_now(self):
        lines = [l for l in read_lines()[:60]]
        tmp = tempfile.mkdtemp(prefix="bridge-speed-")
        path = os.path.join(tmp, "queue_log")
        append(path, lines)
        ctx = zmq.Context()
        pull = ctx.socket(zmq.PULL)
        pull.RCVTIMEO = 10000
        port = pull.bind_to_random_port("tcp://127.0.0.1")
        started_ms = int(time.time() * 1000)
        bridge = Bridge(["asterisk", "--queue-log", path, "--once", "--speed", "100000",
                         "--push", f"tcp://127.0.0.1:{port}"], log_dir=tmp)
        try:
            self.assertEqual(bridge.wait(), 0, bridge.read_log())
            events = []
            while len(events) < bridge.published():
                events.append(json.loads(pull.recv_multipart()[-1]))
            ended_ms = int(time.time() * 1000)
            first_line_ts = next(int(l.split("|")[0]) for l in lines if l.split("|")[4] == "ADDMEMBER") * 1000
            shift = events[0]["ts"] - first_line_ts
            self.assertGreaterEqual(events[0]["ts"], started_ms)   # the first event is stamped now
            self.assertLessEqual(events[0]["ts"], ended_ms)
            # Every event's ts is its line's own, plus one shift: the file's spacing is kept.
            line_ts = {int(l.split("|")[0]) * 1000 for l in lines}
            back = {e["ts"] - shift for e in events}
            self.assertLessEqual(back, line_ts)
            self.assertGreater(len(back), 10)
            self.assertEqual([e["seq"] for e in events], list(range(1, len(events) + 1)))
        finally:
            bridge.stop()
            pull.close()
            ctx.term()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
