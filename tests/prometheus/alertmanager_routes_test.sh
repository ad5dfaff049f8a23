#!/usr/bin/env bash
# Where the shipped dashboards/alertmanager.yml sends floorwatch's alerts, checked with
# `amtool config routes test`: floorwatchd's own alerts (queue, no team), the Prometheus
# rules' alerts (team), the SRE's, and a queue no route names. The last case expects a wrong
# receiver and must fail, so this script cannot pass by checking nothing.
set -uo pipefail
config="$1"
failed=0
route() {  # route EXPECTED_RECEIVER LABEL=VALUE...
  local want="$1"; shift
  if amtool config routes test --config.file="$config" --verify.receivers="$want" "$@" >/dev/null; then
    echo "ok: $* -> $want"
  else
    echo "FAILED: $* -> $(amtool config routes test --config.file="$config" "$@"), expected $want"
    failed=1
  fi
}
route retail-floor alertname=BreachAhead queue=sales-de channel=voice severity=warning
route retail-oncall alertname=LongestWait queue=sales-de channel=voice severity=critical
route retail-floor alertname=CsatLow team=retail queue=sales-de severity=warning
route care-floor alertname=BreachAhead queue=support-en channel=chat severity=warning
route care-oncall alertname=ServiceLevelLow team=care severity=critical
route sre alertname=FloorwatchDown
route floor-default alertname=QueueBacklog queue=billing-fr channel=voice severity=warning
if amtool config routes test --config.file="$config" --verify.receivers=retail-floor \
    alertname=QueueBacklog queue=support-en >/dev/null 2>&1; then
  echo "FAILED: the negative control passed (amtool did not verify the receiver)"
  failed=1
fi
exit $failed
