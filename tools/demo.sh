#!/usr/bin/env bash
# The demo: installs and builds floorwatch, then runs floorwatchd fed by the contact-centre
# simulator. Figures at http://127.0.0.1:9464/metrics and /api/v1/queues. Ctrl-C stops both.
#   tools/demo.sh --asterisk   fed instead by floorwatch-bridge replaying a real Asterisk
#                              queue_log (bridge/testdata/asterisk/) at BRIDGE_SPEED (60) x
#                              its own pace (docs/bridge.md, "--speed")
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
asterisk=false
[[ "${1:-}" == "--asterisk" ]] && asterisk=true
config=config/demo.yaml

pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  pkill -TERM -f "build/floorwatchd --config $config" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if $asterisk; then
  # demo.yaml with its input a PULL the bridge's PUSH connects to (it queues while the daemon
  # is down), replay from the bridge's ROUTER on 5572.
  config=build/demo-asterisk.yaml
  { sed -n '/^inputs:/q;p' config/demo.yaml
    echo 'inputs:'
    echo '  - {endpoint: "tcp://127.0.0.1:5570", socket: pull, mode: bind, replay: "tcp://127.0.0.1:5572"}'
    # (without the forecast: the simulator writes it, and the queue_log is another centre)
    sed -n '/^state:/,$p' config/demo.yaml | sed '/^forecast:/,/^  interval:/d'; } > "$config"
else
  # The simulator binds a PUB socket and a replay ROUTER; the daemon's input connects to both.
  # Everything runs 4x faster than real time (a simulated day in 6 hours). Before its first
  # event it writes the forecast for its day that config/demo.yaml reads (forecast.file).
  rm -f build/demo-forecast.csv
  /usr/bin/python3 tools/floorsim.py --endpoint tcp://127.0.0.1:5570 --socket pub --bind \
    --replay tcp://127.0.0.1:5572 \
    --rate "${FLOORSIM_RATE:-60}" --time-scale 0.25 --day-seconds 21600 --start-hour 9.5 \
    --surge-at 15 --surge-seconds 120 --surge-factor 6 --surge-queues sales-de \
    --write-forecast build/demo-forecast.csv --forecast-interval 15m &
  pids+=($!)
  for _ in $(seq 1 50); do
    [ -s build/demo-forecast.csv ] && break
    sleep 0.1
  done
fi
# Restarted when it dies, as systemd would: kill -9 it and watch the figures carry on.
rm -rf build/demo-state
(
  while true; do
    build/floorwatchd --config "$config" && break
    echo "demo: floorwatchd died; restarting it (state: build/demo-state)" >&2
    sleep 0.5
  done
) &
pids+=($!)

for _ in $(seq 1 50); do
  curl -sf http://127.0.0.1:9464/readyz >/dev/null 2>&1 && break
  sleep 0.2
done
if $asterisk; then
  build/floorwatch-bridge asterisk --queue-log bridge/testdata/asterisk/queue_log \
    --agent-pattern '([0-9]+)' --speed "${BRIDGE_SPEED:-60}" --push tcp://127.0.0.1:5570 \
    --replay tcp://127.0.0.1:5572 --source asterisk-demo --metrics 127.0.0.1:9465 &
  pids+=($!)
  echo "demo: floorwatch-bridge replays bridge/testdata/asterisk/queue_log (4.8 days of queue IT)"
  echo "      at ${BRIDGE_SPEED:-60}x, quiet stretches cut to 2 s; its figures: http://127.0.0.1:9465/metrics"
fi
cat <<TXT

floorwatch demo running (Ctrl-C to stop):
  http://127.0.0.1:9464/               the built-in wallboard
  http://127.0.0.1:9464/metrics        Prometheus metrics
  http://127.0.0.1:9464/api/v1/queues  live queue figures as JSON
  e.g.  watch -n1 "curl -s 127.0.0.1:9464/metrics | grep -E '^floorwatch_queue_(waiting_contacts|oldest_wait_seconds)'"
  try   pkill -9 floorwatchd   it restarts with every figure kept; replay fills the gap

TXT
wait -n "${pids[@]}"
