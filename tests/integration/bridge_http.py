"""The HTTP adapters in tests: records shaped exactly as the platforms document them, and a
client that POSTs them as the platform would.

Amazon Connect (built with json, never copied from the pages):
  contact events, as EventBridge delivers them:
    https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html
    (the envelope: version, id, detail-type "Amazon Connect Contact Event", source
    aws.connect, account, time, region, resources; detail: eventType, contactId,
    initialContactId, previousContactId, channel, instanceArn, initiationMethod,
    initiationTimestamp, disconnectTimestamp, queueInfo {queueArn, queueType,
    enqueueTimestamp}, agentInfo {agentArn, connectedToAgentTimestamp});
  agent event stream records, as the Kinesis stream holds them:
    https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html
    (AWSAccountId, AgentARN, CurrentAgentSnapshot {AgentStatus {ARN, Name, StartTimestamp},
    Configuration {RoutingProfile {ARN, DefaultOutboundQueue, InboundQueues [{ARN, Name}],
    Name}, Username, ...}, Contacts [{Channel, ContactId, InitiationMethod, Queue, State,
    StateStartTimestamp, ...}]}, EventId, EventTimestamp, EventType, InstanceARN, Version).
Twilio TaskRouter event callbacks:
  https://www.twilio.com/docs/taskrouter/api/event/reference (form parameters EventType,
  AccountSid, WorkspaceSid, WorkspaceName, EventDescription, ResourceType, ResourceSid,
  Timestamp, and the Task / Worker field data), signed as
  https://www.twilio.com/docs/usage/webhooks/webhooks-security says (HMAC-SHA1 of the URL and
  the sorted parameters, base64) by `twilio_signature`, written here with Python's hmac,
  independent of the bridge's C++.
"""

import base64
import datetime
import hashlib
import hmac
import json
import re
import urllib.error
import urllib.parse
import urllib.request

INSTANCE = "arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012"


def iso(ms):
    """ms since the epoch as AWS writes timestamps: 2021-08-04T17:29:04.000Z."""
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def contact_event(event_type, contact, ms, queue=None, enqueued=None, agent=None, connected=None,
                  disconnected=None, method="INBOUND", previous=None, channel="VOICE"):
    detail = {"eventType": event_type, "contactId": contact, "initialContactId": previous or contact,
              "channel": channel, "instanceArn": INSTANCE, "initiationMethod": method,
              "initiationTimestamp": iso(ms)}
    if previous:
        detail["previousContactId"] = previous
    if disconnected:
        detail["disconnectTimestamp"] = iso(disconnected)
    if queue:
        detail["queueInfo"] = {"queueArn": f"{INSTANCE}/queue/{queue}", "queueType": "STANDARD",
                               "enqueueTimestamp": iso(enqueued or ms)}
    if agent:
        detail["agentInfo"] = {"agentArn": f"{INSTANCE}/agent/{agent}",
                               "connectedToAgentTimestamp": iso(connected or ms)}
    return {"version": "0", "id": f"e-{contact}-{event_type}-{ms}",
            "detail-type": "Amazon Connect Contact Event", "source": "aws.connect",
            "account": "123456789012", "time": iso(ms), "region": "us-west-2",
            "resources": [f"{INSTANCE}/contact/{contact}", INSTANCE], "detail": detail}


def agent_event(event_type, agent, ms, status="Available", queues=(), contacts=(), snapshot=True):
    record = {"AWSAccountId": "123456789012", "AgentARN": f"{INSTANCE}/agent/{agent}",
              "EventId": f"ev-{agent}-{event_type}-{ms}", "EventTimestamp": iso(ms),
              "EventType": event_type, "InstanceARN": INSTANCE, "Version": "2017-10-01"}
    if snapshot:
        inbound = [{"ARN": f"{INSTANCE}/queue/{q}", "Name": q} for q in queues]
        inbound.append({"ARN": f"{INSTANCE}/queue/agent/{agent}", "Name": None})  # its own queue
        record["CurrentAgentSnapshot"] = {
            "AgentStatus": {"ARN": f"{INSTANCE}/agent-state/s-{status}", "Name": status,
                            "StartTimestamp": iso(ms)},
            "Configuration": {"AgentHierarchyGroups": None, "FirstName": "(Removed)",
                              "LastName": "(Removed)", "Username": agent,
                              "RoutingProfile": {"ARN": f"{INSTANCE}/routing-profile/rp-1",
                                                 "DefaultOutboundQueue": inbound[0],
                                                 "InboundQueues": inbound, "Name": "Basic"}},
            "Contacts": [{"Channel": "VOICE", "ContactId": cid, "InitialContactId": None,
                          "InitiationMethod": "INBOUND", "State": state,
                          "Queue": {"ARN": f"{INSTANCE}/queue/{queues[0] if queues else 'q'}"},
                          "QueueTimestamp": None, "StateStartTimestamp": iso(ms)}
                         for cid, state in contacts]}
    return record


def post(url, body, headers=None):
    """(status, body text) of a POST."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def listen_port(bridge, platform):
    m = re.search(platform + r" listening on \S+:(\d+)", bridge.read_log())
    assert m, bridge.read_log()
    return int(m.group(1))


def twilio_signature(token, url, params):
    data = url + "".join(k + v for k, v in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def twilio_callback(event_type, ms, **fields):
    """The parameters TaskRouter POSTs for one event, as (name, value) pairs."""
    params = [("AccountSid", "AC" + "0" * 31 + "1"), ("WorkspaceSid", "WS" + "0" * 31 + "1"),
              ("WorkspaceName", "Support desk"), ("EventType", event_type),
              ("EventDescription", f"event {event_type}"), ("Timestamp", str(ms // 1000)),
              ("TimestampMs", str(ms))]
    if "TaskSid" in fields:
        params += [("ResourceType", "task"), ("ResourceSid", fields["TaskSid"]),
                   ("TaskAttributes", json.dumps({"from": "+15005550006"})), ("TaskAge", "3"),
                   ("TaskPriority", "0"), ("TaskChannelSid", "TC" + "0" * 32),
                   ("TaskChannelUniqueName", fields.pop("TaskChannelUniqueName", "voice"))]
    elif "WorkerName" in fields:
        params += [("ResourceType", "worker"), ("ResourceSid", "WK" + "0" * 32)]
    params += list(fields.items())
    return params


def form(params):
    return urllib.parse.urlencode(params)
