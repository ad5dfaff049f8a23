// Twilio TaskRouter callbacks: the form decoding and fields (bridge/core/twilio_record.cpp),
// X-Twilio-Signature (twilio_signature.cpp) and the mapping (twilio_mapper.cpp).
//
// Signatures: Twilio's worked example, "Secure webhooks",
// https://www.twilio.com/docs/usage/webhooks/webhooks-security (formerly
// https://www.twilio.com/docs/usage/security#validating-requests): auth token 12345, URL
// https://mycompany.com/myapp.php?foo=1&bar=2, POST CallSid=CA1234567890ABCDE,
// Caller=+12349013030, Digits=1234, From=+12349013030, To=+18005551212 ->
// 0/KCTR6DLpKmkAf8muzZqo1nDgQ=. The older edition of that example, in twilio-php's
// docs/usage/validation.rst (Caller and From +14158675309), gives RSOYDt4T1cUTdK1PDd93/VVr8B8=.
// Callback parameters: https://www.twilio.com/docs/taskrouter/api/event/reference
// (EventType, AccountSid, WorkspaceSid, ResourceType, ResourceSid, Timestamp, and per type
// the Task's TaskSid, TaskQueueName, TaskChannelUniqueName..., the Worker's WorkerName,
// WorkerActivityName...).
#include <doctest/doctest.h>

#include "floorwatch/bridge/core/twilio_mapper.h"
#include "floorwatch/bridge/core/twilio_signature.h"
#include "mapper_script.h"

using namespace floorwatch;
using namespace floorwatch::bridge;
using namespace floorwatch::bridge::testing;

namespace {

const char* const kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

FormParams Example(const std::string& caller) {
  // In the order a form might carry them: the signature sorts them.
  return {{"To", "+18005551212"},
          {"CallSid", "CA1234567890ABCDE"},
          {"Digits", "1234"},
          {"From", caller},
          {"Caller", caller}};
}

FormParams Decoded(std::string_view body) {
  FormParams p;
  REQUIRE(DecodeForm(body, &p));
  return p;
}

// A TaskRouter callback body, form-encoded as TaskRouter POSTs it.
std::string Callback(const std::string& type, const std::string& fields,
                     const std::string& timestamp = "1628097544") {
  return "AccountSid=AC00000000000000000000000000000001&WorkspaceSid="
         "WS00000000000000000000000000000001"
         "&EventType=" +
         type + "&EventDescription=Event+" + type + "&Timestamp=" + timestamp +
         (fields.empty() ? "" : "&" + fields);
}

const std::string kTask =
    "ResourceType=task&TaskSid=WT1&TaskChannelUniqueName=voice&TaskAge=12&TaskPriority=0";

struct Script {
  TwilioMapper mapper;
  TwilioOutcome last = TwilioOutcome::kMapped;
  Events Apply(const std::string& body) {
    TwilioEvent e;
    REQUIRE(ParseTwilioEvent(Decoded(body), &e) == TwilioParse::kOk);
    std::vector<OutEvent> events;
    last = mapper.Apply(e, events);
    Events out;
    for (const OutEvent& ev : events) {
      std::string d = Describe(ev);
      if (ev.type == EventType::kContactTransferred) d += " " + ev.queue;
      while (!d.empty() && d.back() == ' ') d.pop_back();  // an abandon without a reason
      out.push_back(d);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("Twilio's published example signature is reproduced") {
  CHECK(TwilioSignature("12345", kUrl, Example("+12349013030")) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  CHECK(TwilioSignature("12345", kUrl, Example("+14158675309")) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

TEST_CASE("the example's signature is valid, a forged, missing or wrong-URL one is not") {
  const FormParams p = Example("+12349013030");
  CHECK(TwilioSignatureValid("12345", kUrl, p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  CHECK_FALSE(TwilioSignatureValid("12345", kUrl, p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));
  CHECK_FALSE(TwilioSignatureValid("12345", kUrl, p, "1/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  CHECK_FALSE(TwilioSignatureValid("12345", kUrl, p, ""));
  CHECK_FALSE(TwilioSignatureValid("12345", "https://mycompany.com/myapp.php", p,
                                   "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  CHECK_FALSE(TwilioSignatureValid("54321", kUrl, p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  FormParams changed = p;
  changed[2].second = "9999";  // Digits
  CHECK_FALSE(TwilioSignatureValid("12345", kUrl, changed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST_CASE("the signature is over the decoded values of the form") {
  const FormParams p = Decoded(
      "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030"
      "&To=%2B18005551212");
  CHECK(TwilioSignature("12345", kUrl, p) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST_CASE("form decoding: escapes, plus as space, empty and valueless pairs") {
  const FormParams p = Decoded("a=1&b=x+y%20z&&c=&d&%E2%82%AC=%e2%82%ac");
  CHECK(p == FormParams{{"a", "1"}, {"b", "x y z"}, {"c", ""}, {"d", ""}, {"€", "€"}});
  FormParams bad;
  CHECK_FALSE(DecodeForm("a=%2", &bad));
  CHECK_FALSE(DecodeForm("a=%zz", &bad));
  CHECK_FALSE(DecodeForm("%", &bad));
}

TEST_CASE("a callback's time is TimestampMs, else Timestamp in seconds") {
  TwilioEvent e;
  REQUIRE(ParseTwilioEvent(Decoded(Callback("task.created", kTask)), &e) == TwilioParse::kOk);
  CHECK(e.ts_ms == 1628097544000);
  REQUIRE(ParseTwilioEvent(Decoded(Callback("task.created", "TimestampMs=1628097544123")), &e) ==
          TwilioParse::kOk);
  CHECK(e.ts_ms == 1628097544123);
  CHECK(ParseTwilioEvent(Decoded(Callback("task.created", "", "soon")), &e) ==
        TwilioParse::kBadTimestamp);
  CHECK(ParseTwilioEvent(Decoded("Timestamp=1628097544"), &e) == TwilioParse::kNoEventType);
}

// Found by the fuzzer: the daemon refuses such a ts, so the bridge must not publish it.
TEST_CASE("a timestamp past the year 9999 is refused") {
  TwilioEvent e;
  CHECK(ParseTwilioEvent(Decoded(Callback("task.created", "TimestampMs=1620000000000000001")),
                         &e) == TwilioParse::kBadTimestamp);
}

TEST_CASE("TaskChannelUniqueName gives the channel") {
  CHECK(TwilioChannel("voice") == Channel::kVoice);
  CHECK(TwilioChannel("default") == Channel::kVoice);
  CHECK(TwilioChannel("chat") == Channel::kChat);
  CHECK(TwilioChannel("sms") == Channel::kChat);
  CHECK(TwilioChannel("email") == Channel::kEmail);
  CHECK(TwilioChannel("video") == Channel::kVideo);
}

TEST_CASE("a task entered, accepted, wrapped up and completed: queued, answered, ended, wrapped") {
  Script s;
  CHECK(
      s.Apply(Callback("task-queue.entered", kTask + "&TaskQueueSid=WQ1&TaskQueueName=Support")) ==
      Events{"contact.queued WT1 Support"});
  CHECK(s.Apply(Callback("reservation.accepted",
                         kTask + "&WorkerSid=WK1&WorkerName=alice&ReservationSid=WR1")) ==
        Events{"contact.answered WT1 alice"});
  CHECK(s.Apply(Callback("task.wrapup", kTask)) == Events{"contact.ended WT1"});
  CHECK(s.Apply(Callback("task.completed", kTask + "&TaskCompletedReason=done")) ==
        Events{"contact.wrapped WT1"});
}

TEST_CASE("a task canceled before anyone accepted it is abandoned") {
  Script s;
  s.Apply(Callback("task-queue.entered", kTask + "&TaskQueueName=Support"));
  CHECK(s.Apply(Callback("task.canceled", kTask + "&TaskCanceledReason=hangup")) ==
        Events{"contact.abandoned WT1"});
  CHECK(s.Apply(Callback("reservation.accepted", kTask + "&WorkerName=alice")).empty());
  CHECK(s.last == TwilioOutcome::kOutOfOrder);
}

TEST_CASE("a task entering a second queue is transferred there") {
  Script s;
  s.Apply(Callback("task-queue.entered", kTask + "&TaskQueueName=Support"));
  CHECK(s.Apply(Callback("task-queue.entered", kTask + "&TaskQueueName=Escalations")) ==
        Events{"contact.transferred WT1 Escalations"});
  CHECK(s.Apply(Callback("task-queue.entered", kTask + "&TaskQueueName=Escalations")).empty());
  CHECK(s.last == TwilioOutcome::kDuplicate);
}

TEST_CASE("a task completed without a wrap-up step is ended and wrapped at once") {
  Script s;
  s.Apply(Callback("task-queue.entered", kTask + "&TaskQueueName=Support"));
  s.Apply(Callback("reservation.accepted", kTask + "&WorkerName=alice"));
  CHECK(s.Apply(Callback("task.completed", kTask)) ==
        Events{"contact.ended WT1", "contact.wrapped WT1"});
}

TEST_CASE("callbacks about unknown tasks and of other types publish nothing") {
  Script s;
  CHECK(s.Apply(Callback("reservation.accepted", kTask + "&WorkerName=alice")).empty());
  CHECK(s.last == TwilioOutcome::kUnknownTask);
  CHECK(s.Apply(Callback("reservation.created", kTask + "&WorkerName=alice")).empty());
  CHECK(s.last == TwilioOutcome::kUnmappedType);
  CHECK(s.Apply(Callback("task-queue.entered", kTask)).empty());
  CHECK(s.last == TwilioOutcome::kMissingField);
}

TEST_CASE("worker activities: Available, others not_ready with the activity, Offline a logout") {
  Script s;
  const std::string worker = "ResourceType=worker&WorkerSid=WK1&WorkerName=alice";
  CHECK(s.Apply(Callback("worker.activity.update", worker + "&WorkerActivityName=Available")) ==
        Events{"agent.login alice", "agent.state alice available"});
  CHECK(s.Apply(Callback("worker.activity.update", worker + "&WorkerActivityName=Break")) ==
        Events{"agent.state alice not_ready Break"});
  CHECK(s.Apply(Callback("worker.activity.update", worker + "&WorkerActivityName=Offline")) ==
        Events{"agent.logout alice"});
  CHECK(s.Apply(Callback("worker.activity.update", worker + "&WorkerActivityName=Available")) ==
        Events{"agent.login alice", "agent.state alice available"});
}

TEST_CASE("a restored twilio state goes on exactly as the running one") {
  Script a;
  a.Apply(Callback("task-queue.entered", kTask + "&TaskQueueName=Support"));
  a.Apply(Callback("worker.activity.update", "WorkerName=alice&WorkerActivityName=Available"));
  std::string saved;
  BinaryWriter w(saved);
  a.mapper.Save(w);
  Script b;
  BinaryReader r(saved);
  REQUIRE(b.mapper.Load(r));
  CHECK(r.remaining() == 0);
  const std::string next = Callback("reservation.accepted", kTask + "&WorkerName=alice");
  CHECK(b.Apply(next) == a.Apply(next));
  CHECK(b.Apply(Callback("worker.activity.update", "WorkerName=alice&WorkerActivityName=Busy")) ==
        Events{"agent.state alice not_ready Busy"});
}
