"""floorsim_model: the simulated contact centre's shape, for tools/floorsim.py.

The queues, channels and agent pools, the daily arrival curve, the ground-truth tally, the
plain records the simulator moves around, and the optional arrival surge.
"""

import math

CHANNEL_PROFILES = {
    # mean handle (talk) s, mean after-contact work s, mean patience s (None: never abandons)
    "voice": (240.0, 45.0, 110.0),
    "chat": (360.0, 30.0, 240.0),
    "email": (480.0, 60.0, None),
}

# queue id -> (site, channel mix, share of arrivals, overflow target)
QUEUES = {
    "sales-de": ("berlin", {"voice": 0.7, "chat": 0.3}, 0.24, None),
    "sales-fr": ("paris", {"voice": 0.75, "chat": 0.25}, 0.14, "sales-de"),
    "support-en": ("dublin", {"voice": 0.5, "chat": 0.3, "email": 0.2}, 0.26, None),
    "billing": ("berlin", {"voice": 0.8, "email": 0.2}, 0.14, None),
    "vip": ("berlin", {"voice": 1.0}, 0.04, None),
    "tech-us": ("austin", {"voice": 0.6, "chat": 0.4}, 0.18, "support-en"),
}

# site -> list of (agent count, skills, vendor): the in-house staff and the outsourcers
AGENT_POOLS = {
    "berlin": [(10, ["sales-de", "vip"], "inhouse"), (7, ["billing"], "vendor-a"),
               (3, ["sales-de", "billing", "vip"], "inhouse")],
    "paris": [(7, ["sales-fr"], "vendor-a"), (2, ["sales-fr", "sales-de"], "vendor-a")],
    "dublin": [(12, ["support-en"], "vendor-b"), (3, ["support-en", "tech-us"], "vendor-b")],
    "austin": [(9, ["tech-us"], "inhouse")],
}

# site -> market (as the queues' labels in config/demo.yaml name it)
SITE_MARKET = {"berlin": "de", "paris": "fr", "dublin": "uk", "austin": "us"}

# site -> time zone (as config/demo.yaml sets its queues'): the forecast's local intervals
SITE_TIMEZONE = {"berlin": "Europe/Berlin", "paris": "Europe/Paris", "dublin": "Europe/Dublin",
                 "austin": "America/Chicago"}


def team_of(site, vendor):
    """An agent's team (agent.login "team"): one per site and vendor, e.g. "vendor-a-paris-fr"."""
    return f"{vendor}-{site}-{SITE_MARKET[site]}"


def teams():
    """{team id: {vendor, site, market}}: the teams config/demo.yaml's `teams:` must list."""
    return {team_of(site, vendor): {"vendor": vendor, "site": site, "market": SITE_MARKET[site]}
            for site, pools in AGENT_POOLS.items() for _, _, vendor in pools}


ABANDON_REASONS = ("customer", "timeout", "no_agents", "key")  # contact.abandoned "reason"

TRANSFER_TARGETS = {"sales-de": "billing", "sales-fr": "billing", "support-en": "tech-us",
                    "billing": "sales-de", "vip": "billing", "tech-us": "support-en"}


def daily_curve(fraction_of_day):
    """Arrival intensity over a day (0..1 of the day), peak 1.0 at 10:30 and 14:30, ~0.08 at night."""
    hour = 24.0 * fraction_of_day
    morning = math.exp(-((hour - 10.5) ** 2) / (2 * 1.6 ** 2))
    afternoon = 0.85 * math.exp(-((hour - 14.5) ** 2) / (2 * 2.0 ** 2))
    return 0.08 + 0.92 * max(morning, afternoon)


def arrival_intensity(args, start, now):
    """The daily curve at wall-clock time `now` of a run that began at `start` at curve hour
    --start-hour, one curve every --day-seconds."""
    fraction = ((now - start) / args.day_seconds + args.start_hour / 24.0) % 1.0
    return daily_curve(fraction)


class Tally:
    """What the simulated centre did, per queue and channel: the ground truth."""

    def __init__(self, sl_threshold_s):
        self.sl_threshold_s = sl_threshold_s
        self.per = {}
        self.outcomes = {}  # "queue/channel" -> the customer-outcome events sent there
        self.events_sent = 0

    def of(self, queue, channel):
        key = f"{queue}/{channel}"
        if key not in self.per:
            self.per[key] = dict(queue=queue, channel=channel, offered=0, answered=0,
                                 answered_in_sl=0, abandoned=0, transferred_out=0, handled=0,
                                 talk_ms=0, acw_ms=0, wait_ms=0)
        return self.per[key]

    def outcome(self, queue, channel):
        """The outcome counts of a queue/channel: repeat contacts, escalations (first and
        raised; first ones of a customer escalated before), abandons by reason, messages,
        surveys and evaluations sent."""
        key = f"{queue}/{channel}"
        if key not in self.outcomes:
            self.outcomes[key] = dict(repeat=0, escalated=0, raised=0, repeat_escalated=0, messages=0, surveys=0,
                                      evaluations=0, abandoned_by_reason={r: 0 for r in ABANDON_REASONS})
        return self.outcomes[key]


class Contact:
    __slots__ = ("id", "queue", "channel", "queued_at", "agent", "answered_at", "state", "patience_token",
                 "customer", "segment", "tier", "waited")

    def __init__(self, cid, queue, channel, now):
        self.id, self.queue, self.channel = cid, queue, channel
        self.queued_at, self.agent, self.answered_at = now, None, None
        self.state = "waiting"
        self.patience_token = 0
        self.customer = None  # the customer id (None with --no-outcomes)
        self.segment = 0  # counts answers: timers of an earlier agent segment see a change
        self.tier = 0  # escalation tier reached (0: not escalated)
        self.waited = 0.0  # wall-clock seconds waited, over every queue it went through


class Agent:
    __slots__ = ("id", "site", "skills", "state", "contact", "team")

    def __init__(self, aid, site, skills, team):
        self.id, self.site, self.skills, self.team = aid, site, skills, team
        self.state, self.contact = "logged_out", None


def make_agents(agent_scale):
    """Every pool of AGENT_POOLS, each multiplied by agent_scale (at least one agent a pool)."""
    agents = []
    for site, pools in AGENT_POOLS.items():
        for count, skills, vendor in pools:
            for _ in range(max(1, round(count * agent_scale))):
                agents.append(Agent(f"agent-{len(agents) + 1:03d}", site, skills, team_of(site, vendor)))
    return agents


def count_by_queue_channel(contacts, states):
    """{"queue/channel": n} of the contacts in one of `states`."""
    out = {}
    for c in contacts:
        if c.state in states:
            key = f"{c.queue}/{c.channel}"
            out[key] = out.get(key, 0) + 1
    return out


class Surge:
    """A burst of extra arrivals: from `at` seconds after the start, for `seconds`, the
    arrivals of `queues` are multiplied by `factor` (on top of the daily curve)."""

    def __init__(self, at, seconds, factor, queues):
        unknown = [q for q in queues if q not in QUEUES]
        if unknown:
            raise ValueError(f"--surge-queues: unknown queue(s) {', '.join(unknown)}; known: {', '.join(QUEUES)}")
        if factor < 1 or seconds < 0 or at < 0:
            raise ValueError("--surge-at and --surge-seconds must be >= 0, --surge-factor >= 1")
        self.at, self.seconds, self.factor, self.queues = at, seconds, factor, list(queues)
        self.weights = [QUEUES[q][2] for q in self.queues]

    def extra_share(self):
        """The extra arrivals as a share of the whole centre's rate."""
        return (self.factor - 1) * sum(self.weights)

    def describe(self):
        return (f"surge x{self.factor:g} on {','.join(self.queues)} from {self.at:g} s "
                f"for {self.seconds:g} s")
