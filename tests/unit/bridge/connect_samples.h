// Test records shaped exactly as AWS documents them:
//   contact events (EventBridge):
//     https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html
//     ("Sample contact event for when a voice call is connected to an agent", "... is
//     disconnected": the envelope, `detail` with eventType, contactId, initialContactId,
//     previousContactId, channel, instanceArn, initiationMethod, the timestamps,
//     queueInfo {queueArn, queueType, enqueueTimestamp}, AgentInfo {AgentArn,
//     connectedToAgentTimestamp}; the samples capitalise AgentInfo/AgentArn while the data
//     model's list writes agentInfo/agentArn: both are built here);
//   agent event stream records:
//     https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html and
//     the STATE_CHANGE samples of
//     https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-streams.html
//     (AWSAccountId, AgentARN, CurrentAgentSnapshot {AgentStatus, Configuration
//     {RoutingProfile {InboundQueues[]}}, Contacts[]}, EventId, EventTimestamp, EventType,
//     InstanceARN, PreviousAgentSnapshot, Version "2017-10-01").
#pragma once

#include <string>
#include <vector>

namespace floorwatch::bridge::testing {

inline const std::string kInstance =
    "arn:aws:connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012";

inline std::string QueueArn(const std::string& q) { return kInstance + "/queue/" + q; }
inline std::string AgentArn(const std::string& a) { return kInstance + "/agent/" + a; }

struct ContactFields {
  std::string queue;         // queueInfo (absent when empty)
  std::string enqueued;      // queueInfo.enqueueTimestamp
  std::string agent;         // AgentInfo (absent when empty)
  std::string connected;     // AgentInfo.connectedToAgentTimestamp
  std::string disconnected;  // disconnectTimestamp
  std::string method = "INBOUND";
  std::string previous;  // previousContactId
  std::string channel = "VOICE";
  bool lower_case_agent_info = false;  // agentInfo/agentArn, as the data model lists them
};

// One "Amazon Connect Contact Event" as EventBridge delivers it (`time` = the envelope's).
inline std::string ContactEvent(const std::string& type, const std::string& contact,
                                const std::string& time, const ContactFields& f = {}) {
  std::string d = "{\"eventType\":\"" + type + "\",\"contactId\":\"" + contact +
                  "\",\"initialContactId\":\"" + (f.previous.empty() ? contact : f.previous) + "\"";
  if (!f.previous.empty()) d += ",\"previousContactId\":\"" + f.previous + "\"";
  d += ",\"channel\":\"" + f.channel + "\",\"instanceArn\":\"" + kInstance +
       "\",\"initiationMethod\":\"" + f.method + "\",\"initiationTimestamp\":\"" + time + "\"";
  if (!f.disconnected.empty()) d += ",\"disconnectTimestamp\":\"" + f.disconnected + "\"";
  if (!f.queue.empty()) {
    d += ",\"queueInfo\":{\"queueArn\":\"" + QueueArn(f.queue) + "\",\"queueType\":\"STANDARD\"";
    if (!f.enqueued.empty()) d += ",\"enqueueTimestamp\":\"" + f.enqueued + "\"";
    d += "}";
  }
  if (!f.agent.empty()) {
    d += f.lower_case_agent_info ? ",\"agentInfo\":{\"agentArn\":\""
                                 : ",\"AgentInfo\":{\"AgentArn\":\"";
    d += AgentArn(f.agent) + "\"";
    if (!f.connected.empty()) d += ",\"connectedToAgentTimestamp\":\"" + f.connected + "\"";
    d += "}";
  }
  d += "}";
  return "{\"version\":\"0\",\"id\":\"abcabcab-abca-abca-abca-abcabcabcabc\",\"detail-type\":"
         "\"Amazon Connect Contact Event\",\"source\":\"aws.connect\",\"account\":"
         "\"111122223333\",\"time\":\"" +
         time + "\",\"region\":\"us-west-2\",\"resources\":[\"" + kInstance + "/contact/" +
         contact + "\",\"" + kInstance + "\"],\"detail\":" + d + "}";
}

struct AgentFields {
  std::string status = "Available";         // AgentStatus.Name
  std::vector<std::string> queues;          // InboundQueues (their ARN's last element)
  std::vector<std::string> contact_states;  // Contacts[].State
  bool snapshot = true;
};

inline std::string AgentSnapshot(const std::string& agent, const AgentFields& f) {
  std::string queues;
  for (const std::string& q : f.queues) {
    if (!queues.empty()) queues += ",";
    queues += "{\"ARN\":\"" + QueueArn(q) + "\",\"Name\":\"" + q + "\"}";
  }
  std::string contacts;
  for (size_t i = 0; i < f.contact_states.size(); ++i) {
    if (i > 0) contacts += ",";
    contacts +=
        "{\"Channel\":\"VOICE\",\"ConnectedToAgentTimestamp\":\"2018-10-25T18:55:21.021Z\","
        "\"ContactId\":\"ContactId-" +
        std::to_string(i + 1) +
        "\",\"InitialContactId\":null,\"InitiationMethod\":\"INBOUND\",\"Queue\":{\"ARN\":\"" +
        QueueArn("BasicQueue") +
        "\",\"Name\":\"BasicQueue\"},\"QueueTimestamp\":null,"
        "\"State\":\"" +
        f.contact_states[i] + "\",\"StateStartTimestamp\":\"2018-10-25T18:55:27.027Z\"}";
  }
  return "{\"AgentStatus\":{\"ARN\":\"" + kInstance + "/agent-state/s-1\",\"Name\":\"" + f.status +
         "\",\"StartTimestamp\":\"2018-10-25T18:43:59.059Z\"},\"Configuration\":{"
         "\"AgentHierarchyGroups\":null,\"FirstName\":\"(Removed)\",\"LastName\":\"(Removed)\","
         "\"RoutingProfile\":{\"ARN\":\"" +
         kInstance +
         "/routing-profile/rp-1\","
         "\"DefaultOutboundQueue\":{\"ARN\":\"" +
         QueueArn("BasicQueue") + "\",\"Name\":\"BasicQueue\"},\"InboundQueues\":[" + queues +
         "],\"Name\":\"Basic Routing Profile\"},\"Username\":\"" + agent + "\"},\"Contacts\":[" +
         contacts + "]}";
}

// One agent event stream record, as the Kinesis stream holds it.
inline std::string AgentEvent(const std::string& type, const std::string& agent,
                              const std::string& time, const AgentFields& f = {}) {
  std::string s = "{\"AWSAccountId\":\"012345678901\",\"AgentARN\":\"" + AgentArn(agent) + "\"";
  if (f.snapshot) s += ",\"CurrentAgentSnapshot\":" + AgentSnapshot(agent, f);
  s += ",\"EventId\":\"477f2c4f-cd1a-4785-b1a8-97023dc1229d\",\"EventTimestamp\":\"" + time +
       "\",\"EventType\":\"" + type + "\",\"InstanceARN\":\"" + kInstance +
       "\",\"Version\":\"2017-10-01\"}";
  return s;
}

}  // namespace floorwatch::bridge::testing
