"""The customer-outcome dashboards of tools/gen_dashboards.py: "Escalations" (the escalation
desk lead's board: backlog by tier and desk, the oldest open, why contacts escalate, how
often, repeats) and "Teams and vendors" (the vendor manager's: each team's and each
vendor x market's CSAT, NPS, quality, AHT, handled contacts and escalation ratio).

Figures per window come from the daemon's windowed counts (docs/metrics.md#customer-outcomes),
each series taken once over the replicas of an HA pair, then summed before they are
divided, so a panel is right across queues, channels, shards and replicas; means are
weighted by the counts behind them. A ratio with nothing behind it is left out
(denominator `> 0`) rather than shown as NaN. The vendor x market ratios and means are the
recording rules of dashboards/prometheus-rules.yml (group floorwatch-outcomes).
"""

from gen_dashboards_common import (Q, Layout, bargauge, choice_var, dashboard, datasource_var, once, once_per_shard,
                                   query_var, queue_vars, stat, steps, table, target, timeseries)

WC = "floorwatch_queue_window_contacts"
W = 'window="$window"'
QW = f"{Q}, {W}"
AGE = steps(("green", None), ("orange", 3600), ("red", 7200))  # EscalationOpenLong fires past 2 h
RATE = steps(("green", None), ("orange", 0.10), ("red", 0.15))
REPEAT = steps(("green", None), ("orange", 0.20), ("red", 0.25))  # RepeatRatioHigh: above 25 %
CSAT = steps(("red", None), ("orange", 0.70), ("green", 0.80))  # CsatLow: under 70 %
NPS = steps(("red", None), ("orange", 0), ("green", 30))
QUALITY = steps(("red", None), ("orange", 70), ("green", 80))  # the demo's quality_pass_score


def qsum(outcome, by=""):
    """The queues' count of `outcome` in the chosen window, summed (by `by`)."""
    group = f" by ({by})" if by else ""
    counts = once(f'{WC}{{{QW}, outcome="{outcome}"}}', "queue, channel, window, outcome")
    return f"sum{group} ({counts})"


def qratio(num, den, by=""):
    return f"{qsum(num, by)} / ({qsum(den, by)} > 0)"


def escalation_resolution(by=""):
    """Mean (end - opening) of resolved escalations, weighted by how many each queue resolved."""
    group = f" by ({by})" if by else ""
    weighted = (f"(floorwatch_queue_escalation_resolution_seconds{{{QW}}} >= 0)"
                f' * ignoring (outcome) {WC}{{{QW}, outcome="escalation_resolved"}}')
    return f'sum{group} ({once(weighted, "queue, channel, window")}) / ({qsum("escalation_resolved", by)} > 0)'


def repeat_ratio(by=""):
    """repeat / new contacts (offered - transferred in), as the daemon's repeat_ratio."""
    return f'{qsum("repeat", by)} / (({qsum("offered", by)} - {qsum("transferred_in", by)}) > 0)'


def escalation_stats(L):
    return [
        stat(L, "Open escalations", [target(f"sum ({once(f'floorwatch_queue_escalations_open{{{Q}}}', 'queue, channel, tier')})", "open")], "none",
             steps(("blue", None)), w=4, h=5, decimals=0,
             description="How many escalations are open now in the selected queues?"),
        stat(L, "Oldest open escalation", [target(f"max (floorwatch_queue_oldest_escalation_seconds{{{Q}}})", "oldest")],
             "dthms", AGE, w=4, h=5,
             description="How long has the oldest open escalation been waiting for its desk? Red past 2 h."),
        stat(L, "Escalation rate ($window)", [target(qratio("escalated", "handled"), "escalated / handled")],
             "percentunit", RATE, w=4, h=5, decimals=1,
             description="What share of handled contacts escalated in the window?"),
        stat(L, "Repeat escalations ($window)", [target(qratio("repeat_escalated", "escalated"), "of escalations")],
             "percentunit", steps(("green", None), ("orange", 0.2), ("red", 0.3)), w=4, h=5, decimals=1,
             description="What share of the window's escalations came from a customer escalated within the "
                         "repeat window before?"),
        stat(L, "Escalation resolution ($window)", [target(escalation_resolution(), "mean")], "dthms",
             steps(("text", None)), w=4, h=5,
             description="How long, on average, did the escalations resolved in the window take?"),
        stat(L, "Repeat contacts ($window)", [target(repeat_ratio(), "of new contacts")], "percentunit", REPEAT,
             w=4, h=5, decimals=1,
             description="What share of new contacts came from a customer seen within the repeat window? "
                         "Red above 25 %."),
    ]


def escalation_backlog(L):
    desk = 'team=~"$escalation_team"'
    return [
        timeseries(L, "Open escalations by tier", [target(
            f"sum by (tier) ({once(f'floorwatch_queue_escalations_open{{{Q}}}', 'queue, channel, tier')})", "tier {{tier}}")], "none", stack=True,
            description="At which tier do the open escalations sit?"),
        timeseries(L, "Open escalations by escalation team", [target(
            f"sum by (team) ({once_per_shard(f'floorwatch_escalations_open{{{desk}}}')})", "{{team}}")], "none", stack=True,
            description="Which escalation team holds the backlog?"),
        bargauge(L, "Oldest open escalation per escalation team", [target(
            f"max by (team) (floorwatch_escalations_oldest_open_seconds{{{desk}}})", "{{team}}")], "dthms", AGE,
            description="Which escalation team has let an escalation wait longest?"),
        bargauge(L, "Oldest open escalation per queue", [target(
            f"max by (queue, channel) (floorwatch_queue_oldest_escalation_seconds{{{Q}}})",
            "{{queue}} {{channel}}")], "dthms", AGE,
            description="Where are the contacts whose escalation has waited longest?"),
    ]


def escalation_trends(L):
    return [
        timeseries(L, "Escalations in the last hour, by reason", [target(
            f"sum by (reason) ({once(f'increase(floorwatch_queue_escalations_total{{{Q}}}[1h])', 'queue, channel, tier, reason')})", "{{reason}}")], "none",
            description="Why do contacts escalate? Escalations opened or raised in the hour before each point."),
        timeseries(L, "Escalation rate by queue ($window)", [target(
            qratio("escalated", "handled", "queue"), "{{queue}}")], "percentunit",
            description="Which queues' first-line handling lets most contacts escalate?"),
        timeseries(L, "Repeat escalations by queue ($window)", [
            target(qsum("repeat_escalated", "queue"), "{{queue}} repeat"),
            target(qsum("escalated", "queue"), "{{queue}} all", "B")], "none",
            description="How many of each queue's escalations were repeat escalations?"),
        timeseries(L, "Escalation resolution time by queue ($window)", [target(
            escalation_resolution("queue"), "{{queue}}")], "s",
            description="How long do each queue's resolved escalations take, on average?"),
        timeseries(L, "Repeat contact ratio by queue ($window)", [target(repeat_ratio("queue"), "{{queue}}")],
            "percentunit", w=24, lines=steps(("transparent", None), ("red", 0.25)),
            description="Where is first-contact resolution slipping? The dashed line is RepeatRatioHigh's 25 %."),
    ]


def escalations():
    L = Layout()
    variables = queue_vars() + [
        choice_var("window", "Window", f"label_values({WC}, window)"),
        query_var("escalation_team", "Escalation team", "label_values(floorwatch_escalations_open, team)"),
    ]
    panels = escalation_stats(L) + escalation_backlog(L) + escalation_trends(L)
    return dashboard("floorwatch-escalations", "floorwatch: escalations", panels, variables, "30s", ["outcomes"])


# ---- teams and vendors --------------------------------------------------------------------
VM = 'vendor=~"$vendor", market=~"$market", window="$window"'
TW = 'team=~"$team", window="$window"'


def team_figures(by):
    """{figure: expr} per `by` (team) from the teams' own series, summed over shards (a team's
    agents may work queues of several) once each replica pair is taken once."""
    def wc(outcome):
        counts = once_per_shard(f'floorwatch_team_window_contacts{{{TW}, outcome="{outcome}"}}')
        return f"sum by ({by}) ({counts})"

    def mean(metric, weight):
        weighted = f'({metric}{{{TW}}} >= 0) * ignoring (outcome) floorwatch_team_window_contacts{{{TW}, outcome="{weight}"}}'
        return f"sum by ({by}) ({once_per_shard(weighted)}) / ({wc(weight)} > 0)"

    return {"handled": wc("handled"), "aht": mean("floorwatch_team_aht_seconds", "handled"),
            "escalation": f'{wc("escalated")} / ({wc("handled")} > 0)',
            "csat": f'{wc("csat_satisfied")} / ({wc("csat_responses")} > 0)',
            "nps": f'100 * ({wc("nps_promoters")} - {wc("nps_detractors")}) / ({wc("nps_responses")} > 0)',
            "quality": mean("floorwatch_team_quality_score", "evaluated"),
            "passed": f'{wc("quality_passed")} / ({wc("evaluated")} > 0)',
            "surveys": wc("surveyed"), "evaluations": wc("evaluated")}


def vendor_market_figures():
    """The same per (vendor, market): ratios and means from the recording rules (`sum by` only
    drops the window label: one window is chosen, so each group holds one series); counts
    from the teams' series, each replica pair taken once, since the rules' counts add up
    both replicas (their ratios do not change, numerator and denominator doubling alike)."""
    def rule(name):
        return f"sum by (vendor, market) ({name}{{{VM}}})"

    def count(outcome):
        teams = once_per_shard(f'floorwatch_team_window_contacts{{{W}, outcome="{outcome}"}}')
        return (f"sum by (vendor, market) ({teams} * on (team) group_left (vendor, market)"
                f' group by (team, vendor, market) (floorwatch_team_info{{vendor=~"$vendor", market=~"$market"}}))')

    return {"handled": count("handled"), "aht": rule("vendor_market_window:floorwatch_team_aht_seconds:mean"),
            "escalation": rule("vendor_market_window:floorwatch_team_escalation:ratio"),
            "csat": rule("vendor_market_window:floorwatch_team_csat:ratio"),
            "nps": rule("vendor_market_window:floorwatch_team_nps:net_percent"),
            "quality": rule("vendor_market_window:floorwatch_team_quality_score:mean"),
            "passed": rule("vendor_market_window:floorwatch_team_quality_pass:ratio"),
            "surveys": count("surveyed"), "evaluations": count("evaluated")}


COLUMNS = [("Handled", "handled", "none", 0), ("AHT", "aht", "s", 0), ("Escalation ratio", "escalation", "percentunit", 1),
           ("Surveys", "surveys", "none", 0), ("CSAT", "csat", "percentunit", 1), ("NPS", "nps", "none", 0),
           ("Evaluations", "evaluations", "none", 0), ("Quality score", "quality", "none", 1),
           ("Quality pass ratio", "passed", "percentunit", 1)]


def figure_table(L, title, keys, figures, description):
    return table(L, title, keys, [(header, figures[key], unit, decimals) for header, key, unit, decimals in COLUMNS],
                 description=description)


def centre_stats(L):
    return [
        stat(L, "Centre-wide CSAT ($window)", [target(f"window:floorwatch_queue_csat:ratio{{{W}}}", "CSAT")],
             "percentunit", CSAT, h=5, decimals=1,
             description="What share of all surveyed customers, every queue, rated 4 or 5? Red under 70 %."),
        stat(L, "Centre-wide NPS ($window)", [target(f"window:floorwatch_queue_nps:net_percent{{{W}}}", "NPS")],
             "none", NPS, h=5, decimals=0,
             description="Promoters minus detractors, in points of all NPS answers (-100..100)."),
        stat(L, "CSAT by market ($window)", [target(f"market_window:floorwatch_queue_csat:ratio{{{W}}}", "{{market}}")],
             "percentunit", CSAT, h=5, decimals=1,
             description="Which market's customers are least satisfied (by the queues' market label)?"),
        stat(L, "NPS by market ($window)", [target(f"market_window:floorwatch_queue_nps:net_percent{{{W}}}",
                                                   "{{market}}")], "none", NPS, h=5, decimals=0,
             description="Which market's customers would recommend us least?"),
    ]


def team_trends(L, f):
    legend = "{{team}}"
    return [
        timeseries(L, "CSAT by team ($window)", [target(f["csat"], legend)], "percentunit",
                   description="Which team's customers are satisfied, and is it getting better?"),
        timeseries(L, "NPS by team ($window)", [target(f["nps"], legend)], "none", min_zero=False,
                   description="Which team's customers would recommend us?"),
        timeseries(L, "Quality score by team ($window)", [target(f["quality"], legend)], "none",
                   description="How do evaluators score each team's contacts (mean of 0..100)?"),
        timeseries(L, "AHT by team ($window)", [target(f["aht"], legend)], "s",
                   description="How long does each team take per contact, talk plus after-contact work?"),
        timeseries(L, "Handled by team ($window)", [target(f["handled"], legend)], "none",
                   description="How many contacts did each team's agents finish in the window?"),
        timeseries(L, "Escalation ratio by team ($window)", [target(f["escalation"], legend)], "percentunit",
                   description="Whose contacts escalate most often?"),
    ]


def vendor_trends(L):
    legend = "{{vendor}} {{market}}"
    return [
        timeseries(L, "CSAT by vendor and market ($window)", [target(
            f"vendor_market_window:floorwatch_team_csat:ratio{{{VM}}}", legend)], "percentunit",
            description="Does each vendor keep customers satisfied in each market?"),
        timeseries(L, "Quality score by vendor and market ($window)", [target(
            f"vendor_market_window:floorwatch_team_quality_score:mean{{{VM}}}", legend)], "none",
            description="Does each vendor's work pass evaluation in each market (weighted by evaluations)?"),
        # Every shard hears every agent event (docs/scaling.md): a team's agents are taken
        # once (max over the daemons), then added up over the teams.
        timeseries(L, "Agents by state",
                   [target('sum by (state) (max by (team, state) (floorwatch_team_agents{team=~"$team"}))', "{{state}}")],
                   "none", w=24, stack=True, description="How many of the selected teams' agents are logged in, "
                                                          "and what are they doing?"),
    ]


def teams():
    L = Layout()
    info = "floorwatch_team_info"
    variables = [datasource_var(),
                 choice_var("window", "Window", "label_values(floorwatch_team_window_contacts, window)"),
                 query_var("vendor", "Vendor", f"label_values({info}, vendor)"),
                 query_var("market", "Market", f'label_values({info}{{vendor=~"$vendor"}}, market)'),
                 query_var("team", "Team", f'label_values({info}{{vendor=~"$vendor", market=~"$market"}}, team)')]
    panels = centre_stats(L) + [
        figure_table(L, "Vendors and markets ($window)", ["vendor", "market"], vendor_market_figures(),
                     "How does each vendor do in each market, summed over its teams?"),
        figure_table(L, "Teams ($window)", ["team"], team_figures("team"), "How does each team do?"),
    ] + team_trends(L, team_figures("team")) + vendor_trends(L)
    return dashboard("floorwatch-teams", "floorwatch: teams and vendors", panels, variables, "1m", ["outcomes"])
