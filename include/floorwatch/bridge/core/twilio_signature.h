// X-Twilio-Signature, as Twilio documents it
// (https://www.twilio.com/docs/usage/webhooks/webhooks-security): HMAC-SHA1 keyed by the
// account's auth token over the full URL Twilio called followed by every POST parameter's
// name and value, sorted by name (byte order; values of a repeated name in byte order too),
// with no delimiters; the digest in base64. OpenSSL does the HMAC, the base64 and the
// constant-time comparison. Pure (no I/O), thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "floorwatch/bridge/core/twilio_record.h"

namespace floorwatch::bridge {

// The base64 signature Twilio sends for `url` and `params` signed with `auth_token`.
std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const FormParams& params);

// Whether `signature` (the header's value; empty when absent) is that signature. Compares in
// constant time, so a forger learns nothing from how long the answer takes.
bool TwilioSignatureValid(std::string_view auth_token, std::string_view url,
                          const FormParams& params, std::string_view signature);

}  // namespace floorwatch::bridge
