// HTTP basic authentication against bcrypt hashes (http.web_config_file, Prometheus
// web-config format). bcrypt is slow on purpose (tens of ms per check), so the few most
// recently accepted Authorization values are remembered and not re-hashed; refused ones are
// never remembered. Used on the HTTP thread only.
#pragma once

#include <crypt.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace floorwatch {

class BasicAuth {
 public:
  explicit BasicAuth(std::map<std::string, std::string> users);
  bool enabled() const { return !users_.empty(); }
  // `authorization`: the request's Authorization header ("Basic dXNlcjpwYXNz"), maybe empty.
  bool Check(std::string_view authorization);

 private:
  std::map<std::string, std::string> users_;  // user -> bcrypt hash
  std::vector<std::string> accepted_;         // recently accepted header values, newest last
  std::unique_ptr<crypt_data> scratch_;       // crypt_r's work area (32 KiB): allocated once
};

// Standard base64 (RFC 4648) decoding; nullopt-like empty result with ok=false on bad input.
bool DecodeBase64(std::string_view in, std::string& out);

}  // namespace floorwatch
