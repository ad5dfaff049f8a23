#!/usr/bin/python3
"""floorsim_day: the simulator's day (tools/floorsim.py) as a JSON-lines file of events, on a
virtual clock: the same Simulator, the same random draws for the same --seed, but its timers
are run one after the other without waiting for the wall clock, and every event is written to
a file instead of a socket. Deterministic: the same arguments give the same file, byte for
byte (the day starts at --epoch, not at the time of the run).

    bench/floorsim_day.py --out day.jsonl -- --seed 1 --rate 60 --time-scale 0.25 \
        --day-seconds 21600 --start-hour 0 --duration 21600 --surge-at 9000 ...

Everything after `--` is floorsim's own options (tools/floorsim.py --help); --endpoint and
--socket are ignored. Used by bench/prediction_accuracy.py."""

import argparse
import heapq
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import floorsim  # noqa: E402  (tools/ is not a package)
from replay_publisher import stamp  # noqa: E402


class FilePublisher:
    """What floorsim's ReplayingPublisher does to an event (source, seq, id), into a file."""

    def __init__(self, out, source):
        self.out, self.source, self.next_seq = out, source, 1

    def publish(self, topic, event):
        seq = self.next_seq
        self.next_seq += 1
        self.out.write(stamp(event, self.source, seq) + "\n")
        return seq

    def poll_replays(self):
        pass


def run_virtual(sim, start, duration):
    """Simulator.run with a virtual clock: every timer due up to start + duration, in order."""
    sim.login_all(start)
    sim.schedule_next_arrival(start)
    if sim.surge and sim.surge.extra_share() > 0:
        sim.at(start + sim.surge.at, sim.surge_arrive)
    end = start + duration
    while sim.timers and sim.timers[0][0] <= end:
        when, _, action = heapq.heappop(sim.timers)
        action(when)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="the JSON-lines file to write")
    p.add_argument("--epoch", type=float, default=1796083200.0,
                   help="the day's start, Unix seconds (default 2026-12-01T00:00:00Z)")
    p.add_argument("sim", nargs=argparse.REMAINDER, help="-- then tools/floorsim.py's options")
    args = p.parse_args()
    sim_argv = args.sim[1:] if args.sim[:1] == ["--"] else args.sim
    sys.argv = ["floorsim"] + sim_argv
    sim_args = floorsim.parse_args()
    if sim_args.seed is None or not sim_args.duration:
        p.error("give floorsim --seed and --duration: the file must be reproducible and end")
    with open(args.out + ".tmp", "w") as out:
        sim = floorsim.Simulator(sim_args, FilePublisher(out, sim_args.source), args.epoch)
        run_virtual(sim, args.epoch, sim_args.duration)
    os.replace(args.out + ".tmp", args.out)
    print(f"floorsim_day: {sim.tally.events_sent} events over {sim_args.duration:g} s -> {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
