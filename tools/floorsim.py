#!/usr/bin/python3
"""floorsim: a living contact centre that publishes floorwatch protocol v1 events over ZeroMQ.

Queues on several sites and channels (voice, chat, email) receive arrivals that follow a
daily curve (two peaks, quiet nights). Agents log in, become available, take the oldest
waiting contact among their skills, talk, do after-contact work and sometimes take a break.
Customers abandon when their patience (exponential, per channel) runs out; some contacts
are transferred while talking, and waiting contacts overflow between sibling queues.

Customer outcomes (tools/floorsim_outcomes.py; --no-outcomes switches them off): contacts name
their customer (about 18% are repeats of a recent one), abandons say why, a few contacts are
escalated while connected (and talk longer; a customer who escalated before escalates again
more often), chats exchange messages, and some ended contacts get a survey and, later, a
quality evaluation. Agents log in with their team (vendor, site
and market, e.g. vendor-a-paris-fr: config/demo.yaml lists them).

Time is real: every event carries the wall-clock time at which it happens, so the daemon's
"oldest wait" and windows are right. --time-scale shrinks every duration (handle times,
patience, breaks) and --day-seconds compresses the daily curve, for demos and tests.

The simulator keeps its own ground-truth tally (what it did, not what it sent) and writes it
as JSON to --tally-file when it stops (SIGTERM/SIGINT or --duration), so tests can compare
the daemon's figures with the truth.

--surge-at S adds a surge for demos and alert tests: from S seconds after the start, for
--surge-seconds, the arrivals of --surge-queues are multiplied by --surge-factor (the daily
curve still applies), so queues back up and alerts fire. tools/demo.sh uses one.

--write-forecast PATH writes, before the first event, an intraday forecast for the run's day
(tools/floorsim_forecast.py) that floorwatch's forecast.file can load: right by the
simulator's own arrival model, except the interval where the surge begins, which expects
only --surge-forecast-share of the surge. --forecast-only writes it and exits.

    tools/floorsim.py --endpoint tcp://127.0.0.1:5570 --socket pub --bind
    tools/floorsim.py ... --surge-at 20 --surge-seconds 120 --surge-factor 5 --surge-queues sales-de
    tools/floorsim.py ... --write-forecast build/forecast.csv --forecast-interval 15m
"""

import argparse
import heapq
import itertools
import json
import math
import os
import random
import signal
import sys
import time

import zmq

from floorsim_forecast import add_forecast_arguments, write_forecast
from floorsim_model import (CHANNEL_PROFILES, QUEUES, TRANSFER_TARGETS, Contact, Surge, Tally, arrival_intensity,
                            count_by_queue_channel, make_agents)
from floorsim_outcomes import Outcomes
from replay_publisher import ReplayingPublisher  # tools/: the reference replay source

class Simulator:
    def __init__(self, args, publisher, start):
        self.args = args
        self.publisher = publisher
        self.rng = random.Random(args.seed)
        self.timers = []  # heap of (time, n, callable)
        self.counter = itertools.count()
        self.contact_ids = itertools.count(1)
        self.seq = 0
        self.waiting = {q: [] for q in QUEUES}  # queue -> list of contacts, oldest first
        self.contacts = {}
        self.agents = make_agents(args.agent_scale)
        self.tally = Tally(args.sl_threshold)
        self.start = start  # the daily curve's and the surge's origin (wall-clock)
        self.surge = args.surge
        self.outcomes = Outcomes(self, not args.no_outcomes, args.seed, QUEUES)

    # ---- plumbing ---------------------------------------------------------------------------
    def at(self, when, action):
        heapq.heappush(self.timers, (when, next(self.counter), action))

    def after(self, seconds, action, now):
        self.at(now + seconds * self.args.time_scale, action)

    def send(self, now, topic, event):
        event["ts"] = int(now * 1000)
        self.seq = self.publisher.publish(topic, event)  # stamps source, seq and id
        self.tally.events_sent += 1

    def contact_event(self, now, kind, contact, **fields):
        self.send(now, f"contact.{contact.queue}", dict(type=f"contact.{kind}", contact=contact.id, **fields))

    def agent_state(self, now, agent, state, **fields):
        agent.state = state
        self.send(now, f"agent.{agent.id}", dict(type="agent.state", agent=agent.id, state=state, **fields))

    # ---- arrivals ---------------------------------------------------------------------------
    def arrival_rate(self, now):
        """Contacts per second for the whole centre at time `now`."""
        return self.args.rate / 60.0 * arrival_intensity(self.args, self.start, now)

    def schedule_next_arrival(self, now):
        # Thinning: draw at the peak rate, accept with the curve's share.
        peak = self.args.rate / 60.0
        gap = self.rng.expovariate(peak)
        self.at(now + gap, self.arrive)

    def arrive(self, now):
        self.schedule_next_arrival(now)
        if self.rng.random() > self.arrival_rate(now) / (self.args.rate / 60.0):
            return
        self.new_contact(now, self.rng.choices(list(QUEUES), weights=[q[2] for q in QUEUES.values()])[0])

    def new_contact(self, now, queue):
        mix = QUEUES[queue][1]
        channel = self.rng.choices(list(mix), weights=list(mix.values()))[0]
        contact = Contact(f"c-{next(self.contact_ids):07d}", queue, channel, now)
        contact.customer = self.outcomes.customer(now, queue, channel)
        self.contacts[contact.id] = contact
        self.enqueue(now, contact, "queued")

    def surge_arrive(self, now):
        """The surge's extra arrivals: a second thinned process, only on the surge's queues."""
        if now >= self.start + self.surge.at + self.surge.seconds:
            return
        peak = self.args.rate / 60.0 * self.surge.extra_share()
        self.at(now + self.rng.expovariate(peak), self.surge_arrive)
        if self.rng.random() <= self.arrival_rate(now) / (self.args.rate / 60.0):
            self.new_contact(now, self.rng.choices(self.surge.queues, weights=self.surge.weights)[0])

    def enqueue(self, now, contact, how, from_queue=None):
        contact.state, contact.queued_at, contact.agent = "waiting", now, None
        self.waiting[contact.queue].append(contact)
        self.tally.of(contact.queue, contact.channel)["offered"] += 1
        if how == "queued":
            priority = 5 if contact.queue == "vip" else 0
            customer = {} if contact.customer is None else {"customer": contact.customer}
            self.contact_event(now, "queued", contact, queue=contact.queue, channel=contact.channel,
                               priority=priority, **customer)
        patience = CHANNEL_PROFILES[contact.channel][2]
        contact.patience_token += 1
        token = contact.patience_token
        if patience is not None:
            self.after(self.rng.expovariate(1.0 / patience), lambda t, c=contact, k=token: self.give_up(t, c, k), now)
        max_wait = self.outcomes.max_wait(contact.channel)
        if max_wait is not None:  # the queue's longest wait: then it drops the contact
            self.after(max_wait, lambda t, c=contact, k=token: self.give_up(t, c, k, timed_out=True), now)
        overflow = QUEUES[contact.queue][3]
        if overflow and contact.channel != "email":
            self.after(60.0, lambda t, c=contact, k=token, o=overflow: self.overflow(t, c, k, o), now)
        self.dispatch(now)

    def give_up(self, now, contact, token, timed_out=False):
        if contact.state != "waiting" or contact.patience_token != token:
            return
        self.waiting[contact.queue].remove(contact)
        contact.state = "gone"
        t = self.tally.of(contact.queue, contact.channel)
        t["abandoned"] += 1
        reason = self.outcomes.abandon_reason(contact, timed_out)
        if reason is None:
            self.contact_event(now, "abandoned", contact)
        else:
            self.tally.outcome(contact.queue, contact.channel)["abandoned_by_reason"][reason] += 1
            self.contact_event(now, "abandoned", contact, reason=reason)
        self.outcomes.closed(now, contact, abandoned=True)
        del self.contacts[contact.id]

    def overflow(self, now, contact, token, target):
        if contact.state != "waiting" or contact.patience_token != token or self.rng.random() > 0.5:
            return
        self.waiting[contact.queue].remove(contact)
        self.tally.of(contact.queue, contact.channel)["transferred_out"] += 1
        contact.queue = target
        self.contact_event(now, "transferred", contact, queue=target)
        self.enqueue(now, contact, "transferred")

    # ---- agents -----------------------------------------------------------------------------
    def login_all(self, now):
        for i, agent in enumerate(self.agents):
            self.at(now + 0.02 * i, lambda t, a=agent: self.login(t, a))

    def login(self, now, agent):
        agent.state = "not_ready"
        self.send(now, f"agent.{agent.id}", dict(type="agent.login", agent=agent.id, queues=agent.skills,
                                                  team=agent.team, site=agent.site,
                                                  capacity={"voice": 1, "chat": 2, "email": 1}))
        self.after(self.rng.uniform(1, 4), lambda t, a=agent: self.ready(t, a), now)

    def ready(self, now, agent):
        self.agent_state(now, agent, "available")
        self.dispatch(now)

    def dispatch(self, now):
        """Offer the oldest waiting contact of its skills to each available agent."""
        for agent in self.agents:
            if agent.state != "available" or agent.contact is not None:
                continue
            best = None
            for queue in agent.skills:
                if self.waiting[queue]:
                    candidate = self.waiting[queue][0]
                    vip = candidate.queue == "vip"
                    if best is None or (vip, -candidate.queued_at) > (best.queue == "vip", -best.queued_at):
                        best = candidate
            if best is None:
                continue
            self.waiting[best.queue].remove(best)
            best.state = "ringing"
            agent.contact = best
            best.agent = agent
            self.agent_state(now, agent, "on_contact")
            self.after(self.rng.uniform(2, 6), lambda t, a=agent, c=best: self.answer(t, a, c), now)

    def answer(self, now, agent, contact):
        contact.state, contact.answered_at = "talking", now
        contact.segment += 1
        contact.waited += now - contact.queued_at
        t = self.tally.of(contact.queue, contact.channel)
        wait_ms = int(now * 1000) - int(contact.queued_at * 1000)  # as the daemon sees it: whole ms
        t["answered"] += 1
        t["wait_ms"] += wait_ms
        if wait_ms <= round(self.tally.sl_threshold_s * 1000):
            t["answered_in_sl"] += 1
        self.contact_event(now, "answered", contact, agent=agent.id)
        talk = self.rng.lognormvariate(math.log(CHANNEL_PROFILES[contact.channel][0]) - 0.18, 0.6)
        talk = self.outcomes.plan(now, contact, talk)  # escalations and messages while connected
        self.after(talk, lambda t, a=agent, c=contact: self.finish(t, a, c), now)

    def finish(self, now, agent, contact):
        t = self.tally.of(contact.queue, contact.channel)
        t["handled"] += 1
        t["talk_ms"] += int(now * 1000) - int(contact.answered_at * 1000)
        if self.rng.random() < self.args.transfer_share and contact.channel != "email":
            t["transferred_out"] += 1
            target = TRANSFER_TARGETS[contact.queue]
            from_queue, from_channel = contact.queue, contact.channel
            contact.queue = target
            self.contact_event(now, "transferred", contact, queue=target)
            agent.contact = None
            self.start_acw(now, agent, contact, from_queue, from_channel, keep=True)
            self.enqueue(now, contact, "transferred")
            return
        self.contact_event(now, "ended", contact)
        contact.state = "ended"
        self.outcomes.ended(now, agent, contact)  # a survey soon, an evaluation later, sometimes
        agent.contact = None
        self.start_acw(now, agent, contact, contact.queue, contact.channel, keep=False)

    def start_acw(self, now, agent, contact, queue, channel, keep):
        self.agent_state(now, agent, "acw")
        acw = self.rng.expovariate(1.0 / CHANNEL_PROFILES[channel][1])
        ended_at = now

        def wrap(t):
            self.tally.of(queue, channel)["acw_ms"] += int(t * 1000) - int(ended_at * 1000)
            self.send(t, f"contact.{queue}", dict(type="contact.wrapped", contact=contact.id, agent=agent.id))
            if not keep:
                self.contacts.pop(contact.id, None)
            if self.rng.random() < self.args.break_share:
                self.agent_state(t, agent, "not_ready", reason=self.rng.choice(["break", "lunch", "coaching"]))
                self.after(self.rng.uniform(300, 900), lambda t2, a=agent: self.ready(t2, a), t)
            else:
                self.agent_state(t, agent, "available")
                self.dispatch(t)

        self.after(acw, wrap, now)

    # ---- run --------------------------------------------------------------------------------
    def run(self, stop):
        now = time.time()
        self.login_all(now)
        self.schedule_next_arrival(now)
        if self.surge and self.surge.extra_share() > 0:
            self.at(self.start + self.surge.at, self.surge_arrive)
        deadline = now + self.args.duration if self.args.duration else None
        while not stop["now"]:
            now = time.time()
            if deadline and now >= deadline:
                break
            while self.timers and self.timers[0][0] <= now:
                when, _, action = heapq.heappop(self.timers)
                action(when)
            self.publisher.poll_replays()
            wait = (self.timers[0][0] - time.time()) if self.timers else 0.05
            if wait > 0:
                time.sleep(min(wait, 0.05))

    def ground_truth(self):
        agents = {"available": 0, "on_contact": 0, "acw": 0, "not_ready": 0}
        for a in self.agents:
            if a.state in agents:
                agents[a.state] += 1
        # Waiting as the protocol sees it: queued and not answered yet (ringing included);
        # active: answered and not ended.
        waiting = count_by_queue_channel(self.contacts.values(), ("waiting", "ringing"))
        active = count_by_queue_channel(self.contacts.values(), ("talking",))
        return {"events_sent": self.tally.events_sent, "last_seq": self.seq, "source": self.args.source,
                "per_queue_channel": self.tally.per, "waiting": waiting, "active": active, "agents": agents,
                "outcomes": self.tally.outcomes}


def make_publisher(args):
    ctx = zmq.Context()
    publisher = ReplayingPublisher(ctx, args.source, args.endpoint, args.socket, args.bind,
                                   replay=args.replay, ring_size=args.ring, one_frame=args.one_frame)
    if args.socket == "pub":
        time.sleep(args.pub_settle)  # let SUB peers connect before the first event (slow joiner)
    return ctx, publisher


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", default="tcp://127.0.0.1:5570")
    p.add_argument("--socket", choices=["pub", "push"], default="pub")
    p.add_argument("--bind", action="store_true", help="bind the endpoint (default: connect)")
    p.add_argument("--one-frame", action="store_true", help="send [payload] instead of [topic, payload]")
    p.add_argument("--rate", type=float, default=60.0, help="arrivals per minute for the whole centre at peak")
    p.add_argument("--agent-scale", type=float, default=1.0, help="multiply every agent pool")
    p.add_argument("--time-scale", type=float, default=1.0, help="multiply every duration (0.05: 20x faster)")
    p.add_argument("--day-seconds", type=float, default=86400.0, help="length of one daily curve")
    p.add_argument("--start-hour", type=float, default=None, help="curve hour at start (default: local time now)")
    p.add_argument("--transfer-share", type=float, default=0.06)
    p.add_argument("--break-share", type=float, default=0.06)
    p.add_argument("--sl-threshold", type=float, default=20.0, help="for the ground-truth answered_in_sl")
    p.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: run until signalled)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--source", default="floorsim")
    p.add_argument("--pub-settle", type=float, default=0.5)
    p.add_argument("--tally-file", default=None, help="write the ground truth as JSON here on exit")
    p.add_argument("--replay", default=None,
                   help="bind a ROUTER here and answer replay requests from the last --ring events")
    p.add_argument("--ring", type=int, default=200_000, help="events kept for replay")
    p.add_argument("--linger", type=float, default=0.0,
                   help="seconds to go on answering replay requests after stopping")
    p.add_argument("--surge-at", type=float, default=None,
                   help="start a surge this many (wall-clock) seconds after the start (default: none)")
    p.add_argument("--surge-seconds", type=float, default=60.0, help="how long the surge lasts (wall-clock)")
    p.add_argument("--surge-factor", type=float, default=4.0, help="arrivals of the surge queues multiplied by this")
    p.add_argument("--surge-queues", default="sales-de", help="comma-separated queues the surge hits")
    add_forecast_arguments(p)
    p.add_argument("--no-outcomes", action="store_true",
                   help="no customer-outcome events or fields (escalations, messages, surveys, evaluations, "
                        "customers, abandon reasons, queue timeouts)")
    args = p.parse_args()
    if args.start_hour is None:
        lt = time.localtime()
        args.start_hour = lt.tm_hour + lt.tm_min / 60.0
    if args.forecast_only and not args.write_forecast:
        p.error("--forecast-only needs --write-forecast PATH")
    args.surge = None
    if args.surge_at is not None:
        try:
            args.surge = Surge(args.surge_at, args.surge_seconds, args.surge_factor,
                               [q for q in args.surge_queues.split(",") if q])
        except ValueError as e:
            p.error(str(e))
    return args


def write_tally(path, truth):
    with open(path + ".tmp", "w") as f:
        json.dump(truth, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


def main():
    args = parse_args()
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    start = time.time()
    if args.write_forecast:
        write_forecast(args.write_forecast, args, start)
        if args.forecast_only:
            return
    ctx, publisher = make_publisher(args)
    sim = Simulator(args, publisher, start)
    print(f"floorsim: {len(sim.agents)} agents, {len(QUEUES)} queues, peak {args.rate:g} contacts/min, "
          f"{args.socket} {'bind' if args.bind else 'connect'} {args.endpoint}"
          + (f"; {args.surge.describe()}" if args.surge else ""), file=sys.stderr, flush=True)
    sim.run(stop)
    truth = sim.ground_truth()
    linger_until = time.time() + args.linger
    while time.time() < linger_until:
        publisher.poll_replays()  # a daemon may still be filling a gap
        time.sleep(0.02)
    if args.tally_file:
        write_tally(args.tally_file, truth)
    print(f"floorsim: stopped after {truth['events_sent']} events, {publisher.replays_served} replays served",
          file=sys.stderr, flush=True)
    publisher.close()
    ctx.term()


if __name__ == "__main__":
    main()
