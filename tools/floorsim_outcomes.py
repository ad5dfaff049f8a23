"""floorsim_outcomes: the customer-outcome side of tools/floorsim.py.

Customers (a share of new contacts are repeat contacts of a customer seen in the last few
simulated hours; those who abandoned or escalated come back more often), why abandons
happened, escalations while connected (escalated contacts talk longer; some are raised a
tier; a customer who escalated before escalates again far more often: repeat escalations),
the chat conversation (customer messages and agent replies), and after an ended contact
sometimes a survey and, more rarely and later, a quality evaluation. Every draw comes from
its own random generator, so the outcomes do not shift the arrivals and handle times of a
seeded run.

All durations here are simulated seconds; Simulator.after() applies --time-scale.
"""

import collections
import math
import random

MESSAGING = ("chat", "social")  # channels whose contacts exchange contact.message events
REPEAT_SHARE = 0.18  # of new contacts in a queue that has recent customers
RECENT_HOURS = 4.0  # how long (simulated) a customer whose contact closed counts as recent
RECENT_MAX = 20_000  # recent customers kept per queue
# Shares of contacts, in the ranges commonly quoted for first-line contact centres (rules of
# thumb, not measurements): 5-10 % of handled contacts escalate; 10-20 % of contacts answer
# a post-contact survey; quality assurance evaluates a few % of contacts.
ESCALATION_SHARE = 0.07  # of answered contacts, while connected
REPEAT_ESCALATION_SHARE = 0.35  # of answered contacts whose customer escalated before: the issue is still open
RETURN_WEIGHT = {"ended": 1, "escalated": 3, "abandoned": 2}  # how likely a closed contact's customer returns
RAISE_SHARE = 0.2  # of escalated contacts: a second escalation, one tier higher
SURVEY_SHARE = 0.15  # of ended contacts
EVALUATION_SHARE = 0.05  # of ended contacts
QA_FORM, QA_PASS_SCORE = "qa-v1", 80
KEY_SHARE = 0.08  # of voice abandons: the caller pressed a key to leave (callback, voicemail)
MAX_WAIT = {"voice": 300.0, "chat": 600.0, "social": 600.0}  # then the queue drops it: "timeout"
LONG_WAIT = {"voice": 60.0, "chat": 120.0, "social": 300.0, "email": 14400.0}  # makes surveys worse

# reason -> weight; the last two are not in the daemon's escalation_reasons (they count as "other")
ESCALATION_REASONS = {"refund": 25, "delivery": 20, "product": 22, "complaint": 20, "legal": 5,
                      "fraud": 5, "data-protection": 3}
DESKS = {"legal": "legal-desk", "fraud": "fraud-desk", "data-protection": "legal-desk"}

# CSAT 1..5 weights by trouble: 0 none, 1 waited long or escalated, 2 both or unresolved, 3 worse
CSAT_WEIGHTS = ([2, 3, 7, 30, 58], [5, 7, 14, 36, 38], [18, 20, 24, 24, 14], [32, 24, 22, 14, 8])
NPS_MEAN = {1: 1.5, 2: 3.5, 3: 6.0, 4: 8.2, 5: 9.4}  # NPS 0..10 follows the CSAT


def lognormal(rng, median, sigma, low, high):
    return min(high, max(low, rng.lognormvariate(math.log(median), sigma)))


class Outcomes:
    """The outcome events of a Simulator (`sim`): it calls these at the contact's milestones.
    Disabled (--no-outcomes), every method leaves the feed as it was before outcomes."""

    def __init__(self, sim, enabled, seed, queues):
        self.sim, self.enabled = sim, enabled
        self.rng = random.Random(None if seed is None else f"outcomes-{seed}")
        self.recent = {q: collections.deque(maxlen=RECENT_MAX) for q in queues}  # (closed at, customer)
        self.issued = set()
        self.escalated_customers = set()  # customers with an escalation: theirs are repeat escalations

    # ---- customers --------------------------------------------------------------------------
    def customer(self, now, queue, channel):
        """The customer of a new contact: a recent one of `queue` (a repeat) or a new one."""
        if not self.enabled:
            return None
        recent = self.recent[queue]
        horizon = now - RECENT_HOURS * 3600 * self.sim.args.time_scale
        while recent and recent[0][0] < horizon:
            recent.popleft()
        if recent and self.rng.random() < REPEAT_SHARE:
            self.sim.tally.outcome(queue, channel)["repeat"] += 1
            return self.rng.choice(recent)[1]
        while True:  # unique, so that only the drawn repeats are repeats for the daemon
            customer = f"cust-{self.rng.randrange(10 ** 9):09d}"
            if customer not in self.issued:
                self.issued.add(customer)
                return customer

    def closed(self, now, contact, abandoned):
        """The contact ended or was abandoned: its customer may come back (abandoners and
        escalated customers more: their issue is less often settled)."""
        if contact.customer is not None:
            how = "abandoned" if abandoned else "escalated" if contact.tier else "ended"
            for _ in range(RETURN_WEIGHT[how]):
                self.recent[contact.queue].append((now, contact.customer))

    # ---- abandons ---------------------------------------------------------------------------
    def max_wait(self, channel):
        """Simulated seconds after which the queue drops a waiting contact, or None."""
        return MAX_WAIT.get(channel) if self.enabled else None

    def abandon_reason(self, contact, timed_out):
        """contact.abandoned's "reason" (None: leave it out)."""
        if not self.enabled:
            return None
        if timed_out:
            return "timeout"
        staffed = ("available", "on_contact", "acw")
        if not any(contact.queue in a.skills and a.state in staffed for a in self.sim.agents):
            return "no_agents"
        if contact.channel == "voice" and self.rng.random() < KEY_SHARE:
            return "key"
        return "customer"

    # ---- while connected --------------------------------------------------------------------
    def connected(self, contact, segment):
        return contact.state == "talking" and contact.segment == segment

    def plan(self, now, contact, talk):
        """At an answer: plans the segment's escalations and messages; returns its talk time
        (longer when escalated)."""
        if not self.enabled:
            return talk
        talk = self.plan_escalation(now, contact, talk)
        if contact.channel in MESSAGING:
            self.plan_messages(now, contact, now + talk * self.sim.args.time_scale)
        return talk

    def plan_escalation(self, now, contact, talk):
        again = contact.customer in self.escalated_customers
        if contact.tier or self.rng.random() >= (REPEAT_ESCALATION_SHARE if again else ESCALATION_SHARE):
            return talk
        talk *= self.rng.uniform(1.5, 2.5)
        reason = self.rng.choices(list(ESCALATION_REASONS), weights=list(ESCALATION_REASONS.values()))[0]
        steps = [(talk * self.rng.uniform(0.2, 0.55), 2, reason)]
        if self.rng.random() < RAISE_SHARE:
            raised = reason if self.rng.random() < 0.7 else self.rng.choice(["complaint", "legal"])
            steps.append((talk * self.rng.uniform(0.65, 0.9), 3, raised))
        for after, tier, why in steps:
            self.sim.after(after, lambda t, k=tier, r=why, s=contact.segment: self.escalate(t, contact, s, k, r),
                           now)
        return talk

    def escalate(self, now, contact, segment, tier, reason):
        if not self.connected(contact, segment) or tier <= contact.tier:
            return
        desk = DESKS.get(reason, f"escalations-l{tier}")
        self.sim.contact_event(now, "escalated", contact, tier=tier, reason=reason, team=desk)
        tally = self.sim.tally.outcome(contact.queue, contact.channel)
        tally["raised" if contact.tier else "escalated"] += 1
        if not contact.tier and contact.customer is not None:
            if contact.customer in self.escalated_customers:
                tally["repeat_escalated"] += 1
            self.escalated_customers.add(contact.customer)
        contact.tier = tier

    def plan_messages(self, now, contact, finish_at):
        # Usually the customer writes first, right after the answer; else the agent greets.
        if self.rng.random() < 0.8:
            first, after = "customer", self.rng.uniform(1, 6)
        else:
            first, after = "agent", self.rng.uniform(2, 10)
        when = now + after * self.sim.args.time_scale
        if when < finish_at:
            self.sim.at(when, lambda t, s=contact.segment: self.message(t, contact, s, first, finish_at))

    def message(self, now, contact, segment, sender, finish_at):
        """Sends one message, and plans the other side's next one while the contact lasts."""
        if not self.connected(contact, segment):
            return
        self.sim.contact_event(now, "message", contact, **{"from": sender})
        self.sim.tally.outcome(contact.queue, contact.channel)["messages"] += 1
        scale = self.sim.args.time_scale
        if sender == "customer":
            if self.rng.random() < 0.04:
                return  # "thanks, bye": left unreplied
            # The agent replies before closing: squeezed in when the contact is about to end.
            when = min(now + lognormal(self.rng, 18, 0.6, 3, 90) * scale, now + (finish_at - now) / 2)
            nxt = "agent"
        else:
            when, nxt = now + lognormal(self.rng, 35, 0.7, 4, 150) * scale, "customer"
            if when >= finish_at - 15 * scale:
                return
        self.sim.at(when, lambda t: self.message(t, contact, segment, nxt, finish_at))

    # ---- after the end ----------------------------------------------------------------------
    def ended(self, now, agent, contact):
        """The contact ended (not transferred): maybe a survey soon, an evaluation later."""
        if not self.enabled:
            return
        self.closed(now, contact, abandoned=False)
        long_wait = contact.waited / self.sim.args.time_scale > LONG_WAIT.get(contact.channel, 120.0)
        where = dict(contact=contact.id, queue=contact.queue, channel=contact.channel, agent=agent.id)
        if self.rng.random() < SURVEY_SHARE:
            if contact.channel == "voice":  # the IVR survey straight after the call
                delay = self.rng.uniform(5, 40)
            else:  # a link in the transcript or the reply
                delay = lognormal(self.rng, 120, 0.8, 10, 1200)
            fields = self.survey(long_wait, contact.tier > 0)
            self.sim.after(delay, lambda t: self.send(t, "survey", dict(where, **fields)), now)
        if self.rng.random() < EVALUATION_SHARE:
            fields = self.evaluation(contact.tier > 0)
            # Evaluators score recent contacts within the shift (a median of 5 minutes); real
            # QA often runs hours later, but the demo should show quality within a minute or two.
            delay = lognormal(self.rng, 300, 0.6, 60, 7200)
            self.sim.after(delay, lambda t: self.send(t, "evaluated", dict(where, **fields)), now)

    def survey(self, long_wait, escalated):
        resolved = self.rng.random() < 0.9 - 0.15 * long_wait - 0.3 * escalated
        trouble = min(3, int(long_wait) + int(escalated) + (0 if resolved else 2))
        csat = self.rng.choices(range(1, 6), weights=CSAT_WEIGHTS[trouble])[0]
        nps = min(10, max(0, round(self.rng.gauss(NPS_MEAN[csat], 1.3))))
        return dict(csat=csat, nps=nps, resolved=resolved)

    def evaluation(self, escalated):
        score = round(min(100.0, max(0.0, self.rng.gauss(84 - 8 * escalated, 9))), 1)
        fields = dict(score=score, form=QA_FORM)
        if self.rng.random() < 0.3:  # some evaluators mark it themselves
            fields["passed"] = score >= QA_PASS_SCORE
        return fields

    def send(self, now, kind, fields):
        self.sim.send(now, f"contact.{fields['queue']}", dict(type=f"contact.{kind}", **fields))
        counted = "surveys" if kind == "survey" else "evaluations"
        self.sim.tally.outcome(fields["queue"], fields["channel"])[counted] += 1
