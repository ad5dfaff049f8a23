#!/usr/bin/python3
"""replay_publisher: the reference for an event source that offers replay (docs/protocol.md).

An ACD adapter that uses this (or does the same in its own language) loses nothing when
floorwatchd restarts, is killed, or its SUB socket drops messages at the high-water mark:

1. Every event gets `source`, a `seq` that grows by one per event, and an `id`.
2. The event is published live (PUB or PUSH) and kept in a ring buffer of the last N.
3. A ROUTER socket (the `replay` endpoint in the daemon's input config) answers
   {"type":"replay.request","source":S,"from_seq":F} with every buffered event from F on,
   each one frame holding the same JSON that was published, then
   {"type":"replay.end","source":S,"next_seq":N}. If the buffer no longer reaches back to F,
   {"type":"replay.truncated","source":S,"oldest_seq":O} comes first.

Single-threaded like a ZeroMQ socket wants: call poll_replays() often from the publishing
loop (it never blocks), or use serve() to publish JSON lines from stdin:

    tools/replay_publisher.py --endpoint tcp://127.0.0.1:5570 --socket pub --bind \\
        --replay tcp://127.0.0.1:5572 --source acd-1 < events.jsonl

with the daemon's input set to
    {endpoint: "tcp://127.0.0.1:5570", socket: sub, replay: "tcp://127.0.0.1:5572"}
"""

import argparse
import collections
import json
import sys
import time

import zmq


def stamp(event, source, seq):
    """`event` as a source publishes it (item 1 above): with `source`, `seq` and, unless it has
    one, an `id` made of the two; compact JSON. Every publisher here stamps through this."""
    event["source"] = source
    event["seq"] = seq
    event.setdefault("id", f"{source}-{seq}")
    return json.dumps(event, separators=(",", ":"))


class ReplayingPublisher:
    def __init__(self, ctx, source, endpoint, socket="pub", bind=False, replay=None,
                 ring_size=100_000, one_frame=False, first_seq=1):
        self.source = source
        self.next_seq = first_seq
        self.one_frame = one_frame
        self.ring = collections.deque(maxlen=ring_size)  # (seq, payload bytes), oldest first
        self.sock = ctx.socket(zmq.PUB if socket == "pub" else zmq.PUSH)
        self.sock.setsockopt(zmq.SNDHWM, 1_000_000)
        self.sock.setsockopt(zmq.LINGER, 5000)
        (self.sock.bind if bind else self.sock.connect)(endpoint)
        self.router = None
        self.replays_served = 0
        if replay:
            self.router = ctx.socket(zmq.ROUTER)
            self.router.setsockopt(zmq.SNDHWM, 0)  # a replay is never dropped half-way
            self.router.setsockopt(zmq.LINGER, 0)
            self.router.bind(replay)

    def publish(self, topic, event):
        """Stamps source, seq and (unless set) id on `event`, sends it, returns its seq."""
        seq = self.next_seq
        self.next_seq += 1
        payload = stamp(event, self.source, seq).encode()
        self.ring.append((seq, payload))
        if self.one_frame:
            self.sock.send(payload)
        else:
            self.sock.send_multipart([topic.encode(), payload])
        return seq

    def poll_replays(self):
        """Answers every replay request waiting on the ROUTER; never blocks."""
        if self.router is None:
            return
        while True:
            try:
                frames = self.router.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            identity, request = frames[0], frames[-1]
            try:
                req = json.loads(request)
                from_seq = int(req["from_seq"])
                ok = req.get("type") == "replay.request"
            except (ValueError, KeyError, TypeError):
                ok = False
            if not ok:
                continue  # not a request: nothing to answer
            self._answer(identity, req.get("source"), from_seq)

    def _answer(self, identity, source, from_seq):
        def send(payload):
            self.router.send_multipart([identity, payload])

        def control(kind, **fields):
            send(json.dumps(dict(type=kind, source=source, **fields), separators=(",", ":")).encode())

        if source == self.source:
            oldest = self.ring[0][0] if self.ring else self.next_seq
            if from_seq < oldest:
                control("replay.truncated", oldest_seq=oldest)
            for seq, payload in self.ring:  # ascending: a deque keeps publication order
                if seq >= from_seq:
                    send(payload)
        control("replay.end", next_seq=self.next_seq)
        self.replays_served += 1

    def close(self):
        self.sock.close()
        if self.router is not None:
            self.router.close()


def serve(args):
    ctx = zmq.Context()
    pub = ReplayingPublisher(ctx, args.source, args.endpoint, args.socket, args.bind, args.replay,
                             args.ring)
    sent = 0
    for line in sys.stdin:
        line = line.strip()
        if line:
            event = json.loads(line)
            pub.publish(event.pop("_topic", event.get("type", "")), event)
            sent += 1
        pub.poll_replays()
    # Stay a while so late replay requests are still answered.
    deadline = time.time() + args.linger
    while time.time() < deadline:
        pub.poll_replays()
        time.sleep(0.02)
    print(f"replay_publisher: {sent} events, {pub.replays_served} replays served", file=sys.stderr)
    pub.close()
    ctx.term()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--socket", choices=["pub", "push"], default="pub")
    p.add_argument("--bind", action="store_true")
    p.add_argument("--replay", help="ROUTER endpoint to bind for replay requests")
    p.add_argument("--source", required=True)
    p.add_argument("--ring", type=int, default=100_000, help="events kept for replay")
    p.add_argument("--linger", type=float, default=5.0, help="seconds to keep answering replays after stdin ends")
    serve(p.parse_args())


if __name__ == "__main__":
    main()
