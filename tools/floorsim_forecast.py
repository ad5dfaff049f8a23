"""floorsim_forecast: the intraday forecast tools/floorsim.py writes for its own run
(--write-forecast), in floorwatch's forecast file format (docs/staffing.md).

Derived from the simulator's own arrival model, so that it is right: for each queue and
channel of the model and each interval of the run's day (--day-seconds from the start, in
the queue's time zone, the wall-clock time the daemon sees in the events' ts):
- offered: the expected arrivals (the daily curve integrated over the part of the interval
  after the start, times the queue's share and the channel's), the surge's extra arrivals,
  and the contacts transferred in after being handled elsewhere (--transfer-share of the
  source queue's offered contacts, abandons not subtracted). Overflows from a backed-up
  sibling queue are not forecast: they depend on how long contacts wait;
- aht_seconds: the channel's mean talk (longer for the escalated share) plus after-contact
  work, times --time-scale;
- scheduled_agents: the agents whose skills include the queue (each takes every channel).

One interval is deliberately under-forecast: the one in which the surge begins forecasts
only --surge-forecast-share (default half) of the surge's extra contacts, as a planner who
expected a smaller campaign would, so that volume-above-forecast alerts have something to
find. Later intervals of a surge are forecast in full.
"""

import csv
import datetime
import math
import os
import sys
import zoneinfo

from floorsim_model import (CHANNEL_PROFILES, QUEUES, SITE_TIMEZONE, TRANSFER_TARGETS, arrival_intensity,
                            make_agents)
from floorsim_outcomes import ESCALATION_SHARE

INTERVALS = {"15m": 900, "30m": 1800, "1h": 3600}
HEADER = ["queue", "channel", "interval_start", "offered", "aht_seconds", "scheduled_agents"]
TRANSFER_ROUNDS = 4  # transfers of transferred contacts: each round is --transfer-share smaller


def add_forecast_arguments(p):
    """floorsim's forecast options, on the argparse parser `p`."""
    p.add_argument("--write-forecast", metavar="PATH", default=None,
                   help="write a forecast CSV for the run's day here first (floorwatch's forecast.file)")
    p.add_argument("--forecast-interval", choices=sorted(INTERVALS), default="30m",
                   help="the forecast's interval (as the daemon's forecast.interval)")
    p.add_argument("--surge-forecast-share", type=float, default=0.5,
                   help="share of the surge's extra contacts the forecast expects where the surge begins")
    p.add_argument("--forecast-only", action="store_true", help="write --write-forecast's file, then exit")


def interval_starts(start, end, length, zone):
    """The UTC instants of the local interval boundaries in `zone` covering [start, end)."""
    local = datetime.datetime.fromtimestamp(start, zone)
    minutes = length // 60
    t = local.replace(minute=local.minute - local.minute % minutes, second=0, microsecond=0).timestamp()
    while t < end:
        yield t
        t += length  # zone offsets and DST shifts are whole multiples of the interval here


def curve_integral(args, start, a, b):
    """The daily curve integrated over [a, b) from the run's start on (midpoint rule, steps
    well below the curve's compressed hours)."""
    a = max(a, start)
    if b <= a:
        return 0.0
    step = min(10.0, args.day_seconds / 1440)
    n = max(1, math.ceil((b - a) / step))
    dt = (b - a) / n
    return sum(arrival_intensity(args, start, a + (i + 0.5) * dt) for i in range(n)) * dt


def direct_arrivals(args, start, a, b, surge_share):
    """{(queue, channel): expected new contacts in [a, b)}: the curve's and the surge's."""
    per_minute = args.rate / 60.0
    centre = per_minute * curve_integral(args, start, a, b)
    total_share = sum(q[2] for q in QUEUES.values())
    out = {}
    for queue, (_, mix, share, _) in QUEUES.items():
        for channel, part in mix.items():
            out[(queue, channel)] = centre * share / total_share * part
    surge = args.surge
    if surge and surge.extra_share() > 0:
        s0 = start + surge.at
        extra = per_minute * (surge.factor - 1) * curve_integral(args, start, max(a, s0), min(b, s0 + surge.seconds))
        for queue in surge.queues:
            for channel, part in QUEUES[queue][1].items():
                out[(queue, channel)] += extra * surge_share * QUEUES[queue][2] * part
    return out


def with_transfers(direct, transfer_share):
    """Adds the contacts transferred in: a handled voice or chat contact of queue S moves to
    TRANSFER_TARGETS[S] on the same channel with probability transfer_share."""
    offered = dict(direct)
    wave = dict(direct)
    for _ in range(TRANSFER_ROUNDS):
        nxt = {}
        for (queue, channel), n in wave.items():
            target = (TRANSFER_TARGETS[queue], channel)
            if channel != "email" and target in offered:
                nxt[target] = nxt.get(target, 0.0) + n * transfer_share
        for key, n in nxt.items():
            offered[key] += n
        wave = nxt
    return offered


def aht_seconds(args, channel):
    talk, acw, _ = CHANNEL_PROFILES[channel]
    escalated = 0.0 if args.no_outcomes else ESCALATION_SHARE  # an escalated contact talks about twice as long
    return (talk * (1 + escalated) + acw) * args.time_scale


def scheduled_agents(args):
    """{queue: agents with the queue among their skills}."""
    counts = {queue: 0 for queue in QUEUES}
    for agent in make_agents(args.agent_scale):
        for queue in agent.skills:
            counts[queue] += 1
    return counts


def forecast_rows(args, start):
    """The rows, per queue, channel and interval of the run's day (or of --duration, when
    longer): [start, start + max(day_seconds, duration))."""
    length = INTERVALS[args.forecast_interval]
    end = start + max(args.day_seconds, args.duration, 1.0)
    surge_begins = start + args.surge.at if args.surge else None
    scheduled = scheduled_agents(args)
    per_interval = {}  # interval start -> {(queue, channel): offered}: zones share boundaries

    def offered_in(a):
        if a not in per_interval:
            under = surge_begins is not None and a <= surge_begins < a + length
            share = args.surge_forecast_share if under else 1.0
            per_interval[a] = with_transfers(direct_arrivals(args, start, a, a + length, share), args.transfer_share)
        return per_interval[a]

    rows = []
    for queue, (site, mix, _, _) in QUEUES.items():
        zone = zoneinfo.ZoneInfo(SITE_TIMEZONE[site])
        for a in interval_starts(start, end, length, zone):
            offered = offered_in(a)
            local = datetime.datetime.fromtimestamp(a, zone).strftime("%Y-%m-%dT%H:%M")
            for channel in mix:
                rows.append([queue, channel, local, f"{offered[(queue, channel)]:.1f}",
                             f"{aht_seconds(args, channel):.1f}", scheduled[queue]])
    return rows


def write_forecast(path, args, start):
    """Writes the file whole (a reader sees the old file or the new, never half of one)."""
    rows = forecast_rows(args, start)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    os.replace(tmp, path)
    print(f"floorsim: wrote {len(rows)} forecast rows ({args.forecast_interval}) to {path}", file=sys.stderr,
          flush=True)
