"""The building blocks of the Grafana dashboards that tools/gen_dashboards.py writes: the
datasource and query variables, the grid layout, targets and the panel types. Every panel
and query names the datasource only through the ${datasource} variable.
"""

DS = {"type": "prometheus", "uid": "${datasource}"}
Q = 'queue=~"$queue"'

# Series are taken once over the daemons scraped before anything is added up. Both replicas
# of an HA pair (docs/operations.md#ha-pairs) export every series, told apart by `instance`
# alone, so a plain `sum` counts 12 waiting contacts as 24; shards (docs/scaling.md) export
# disjoint queues, which a dedupe by a series' own labels never merges. Over one daemon both
# helpers change nothing.


def once(expr, labels):
    """`expr` with each queue series once: the max over the daemons exporting it, by all of
    its own labels (`labels`, e.g. "queue, channel"). Rates and increases go inside: the
    replicas' rates of a series are taken once, then added up."""
    return f"max by ({labels}) ({expr})"


def once_per_shard(expr):
    """`expr` with each series of a daemon's own totals (teams, escalation desks, alerts,
    events) once per shard. They have no queue label, so every shard exports the same
    labels: the replicas of a pair differ only in `instance`, shards also in their `shard`
    target label (docs/dashboards.md#shards-and-ha-pairs), so shards still add up."""
    return f"max without (instance) ({expr})"


def datasource_var():
    return {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []}


def query_var(name, label, query, multi=True):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "query": {"query": query, "refId": f"{name}-var"}, "definition": query,
            "refresh": 2, "sort": 1, "multi": multi, "includeAll": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "hide": 0, "options": []}


def choice_var(name, label, query):
    """A variable of exactly one value (no All), the first its query finds until one is chosen."""
    v = query_var(name, label, query, multi=False)
    v.update({"includeAll": False, "current": {}})
    del v["allValue"]
    return v


def queue_vars():
    info = "floorwatch_queue_info"
    return [
        datasource_var(),
        query_var("site", "Site", f"label_values({info}, site)"),
        query_var("market", "Market", f'label_values({info}{{site=~"$site"}}, market)'),
        query_var("team", "Team", f'label_values({info}{{site=~"$site", market=~"$market"}}, team)'),
        query_var("queue", "Queue",
                  f'label_values({info}{{site=~"$site", market=~"$market", team=~"$team"}}, queue)'),
    ]


class Layout:
    def __init__(self):
        self.next_id = 1
        self.x = 0
        self.y = 0
        self.row_h = 0

    def place(self, w, h):
        if self.x + w > 24:
            self.x, self.y = 0, self.y + self.row_h
            self.row_h = 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        pid = self.next_id
        self.next_id += 1
        return pid, pos


def target(expr, legend, ref="A", instant=False, table=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": not instant,
         "instant": instant}
    if table:
        t["format"] = "table"
    return t


def steps(*pairs):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in pairs]}


def stat(layout, title, targets, unit, thresholds, w=6, h=8, decimals=None, description=""):
    pid, pos = layout.place(w, h)
    defaults = {"unit": unit, "thresholds": thresholds, "color": {"mode": "thresholds"}, "mappings": []}
    if decimals is not None:
        defaults["decimals"] = decimals
    return {"id": pid, "type": "stat", "title": title, "description": description, "datasource": DS,
            "gridPos": pos, "targets": targets,
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "orientation": "auto", "textMode": "value_and_name", "colorMode": "background",
                        "graphMode": "none", "justifyMode": "center", "text": {"titleSize": 18, "valueSize": 48}}}


def timeseries(layout, title, targets, unit, w=12, h=8, stack=False, description="", min_zero=True, lines=None):
    """`lines`: thresholds drawn as dashed lines (an alert rule's limit, say)."""
    pid, pos = layout.place(w, h)
    custom = {"drawStyle": "line", "lineWidth": 2, "fillOpacity": 30 if stack else 0, "showPoints": "never",
              "stacking": {"mode": "normal" if stack else "none", "group": "A"}, "spanNulls": False}
    if lines:
        custom["thresholdsStyle"] = {"mode": "dashed"}
    defaults = {"unit": unit, "custom": custom, "color": {"mode": "palette-classic"},
                "thresholds": lines or steps(("green", None))}
    if min_zero:
        defaults["min"] = 0
    return {"id": pid, "type": "timeseries", "title": title, "description": description, "datasource": DS,
            "gridPos": pos, "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "right", "calcs": ["lastNotNull"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


def dashboard(uid, title, panels, variables, refresh, tags, time_from="now-6h"):
    return {"uid": uid, "title": title, "tags": ["floorwatch"] + tags, "timezone": "browser",
            "editable": True, "graphTooltip": 1, "refresh": refresh, "schemaVersion": 39, "version": 1,
            "time": {"from": time_from, "to": "now"},
            "timepicker": {"refresh_intervals": ["5s", "10s", "30s", "1m", "5m"]},
            "templating": {"list": variables}, "annotations": {"list": []}, "links": [], "panels": panels}


def bargauge(layout, title, targets, unit, thresholds, w=12, h=8, description=""):
    """Horizontal bars, one per series, coloured by thresholds: who has the largest value now."""
    pid, pos = layout.place(w, h)
    defaults = {"unit": unit, "min": 0, "thresholds": thresholds, "color": {"mode": "thresholds"}, "mappings": []}
    return {"id": pid, "type": "bargauge", "title": title, "description": description, "datasource": DS,
            "gridPos": pos, "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "orientation": "horizontal", "displayMode": "gradient", "valueMode": "color",
                        "showUnfilled": True}}


def table(layout, title, keys, columns, w=24, h=8, description=""):
    """One row per value of the `keys` labels, one column per (header, expr, unit, decimals):
    each expr an instant query whose result has exactly the `keys` labels, merged on them."""
    pid, pos = layout.place(w, h)
    refs = [chr(ord("A") + i) for i in range(len(columns))]
    targets = [target(c[1], c[0], ref, instant=True, table=True) for ref, c in zip(refs, columns)]
    rename = {f"Value #{ref}": c[0] for ref, c in zip(refs, columns)}
    order = {name: i for i, name in enumerate(keys + [c[0] for c in columns])}
    overrides = [{"matcher": {"id": "byName", "options": header},
                  "properties": [{"id": "unit", "value": unit}, {"id": "decimals", "value": decimals}]}
                 for header, _, unit, decimals in columns]
    return {"id": pid, "type": "table", "title": title, "description": description, "datasource": DS,
            "gridPos": pos, "targets": targets,
            "fieldConfig": {"defaults": {"unit": "none", "custom": {"align": "auto", "cellOptions": {"type": "auto"}},
                                         "thresholds": steps(("text", None)), "mappings": []},
                            "overrides": overrides},
            "options": {"showHeader": True, "cellHeight": "sm", "sortBy": [{"displayName": keys[0], "desc": False}],
                        "footer": {"show": False, "reducer": ["sum"], "fields": ""}},
            "transformations": [{"id": "merge", "options": {}},
                                {"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": rename,
                                                               "indexByName": order}}]}
