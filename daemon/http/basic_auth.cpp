#include "floorwatch/http/basic_auth.h"

#include <algorithm>
#include <cstring>

namespace floorwatch {
namespace {

constexpr size_t kRemembered = 16;

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool DecodeBase64(std::string_view in, std::string& out) {
  out.clear();
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64Value(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return bits < 6;  // a lone trailing sextet is malformed
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users)
    : users_(std::move(users)), scratch_(std::make_unique<crypt_data>()) {}

bool BasicAuth::Check(std::string_view authorization) {
  if (!enabled()) return true;
  if (std::find(accepted_.begin(), accepted_.end(), authorization) != accepted_.end()) return true;
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0) {
    return false;
  }
  std::string decoded;
  if (!DecodeBase64(authorization.substr(kScheme.size()), decoded)) return false;
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  const auto user = users_.find(decoded.substr(0, colon));
  if (user == users_.end()) return false;
  const std::string password = decoded.substr(colon + 1);
  std::memset(scratch_.get(), 0, sizeof(crypt_data));
  const char* hashed = crypt_r(password.c_str(), user->second.c_str(), scratch_.get());
  if (hashed == nullptr || !ConstantTimeEqual(hashed, user->second)) return false;
  if (accepted_.size() >= kRemembered) accepted_.erase(accepted_.begin());
  accepted_.emplace_back(authorization);
  return true;
}

}  // namespace floorwatch
