#include "floorwatch/http/basic_auth.h"

#include <doctest/doctest.h>

using namespace floorwatch;

namespace {
std::string Hash(const char* password) {
  crypt_data data{};
  return crypt_r(password, "$2b$04$abcdefghijklmnopqrstuu", &data);  // cost 4: fast in tests
}
std::string Header(const std::string& user_colon_password) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "Basic ";
  size_t i = 0;
  for (; i + 2 < user_colon_password.size(); i += 3) {
    const uint32_t v = (uint8_t(user_colon_password[i]) << 16) |
                       (uint8_t(user_colon_password[i + 1]) << 8) |
                       uint8_t(user_colon_password[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  const size_t rest = user_colon_password.size() - i;
  if (rest > 0) {
    uint32_t v = uint8_t(user_colon_password[i]) << 16;
    if (rest == 2) v |= uint8_t(user_colon_password[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}
}  // namespace

TEST_CASE("base64 decodes with and without padding, and refuses junk") {
  std::string out;
  CHECK(DecodeBase64("YWxpY2U6czNjcmV0", out));
  CHECK(out == "alice:s3cret");
  CHECK(DecodeBase64("YQ==", out));
  CHECK(out == "a");
  CHECK_FALSE(DecodeBase64("YW*j", out));
  CHECK_FALSE(DecodeBase64("Y", out));
}

TEST_CASE("without users every request passes") {
  BasicAuth auth({});
  CHECK_FALSE(auth.enabled());
  CHECK(auth.Check(""));
}

TEST_CASE("the right user and password pass; anything else is refused") {
  BasicAuth auth({{"alice", Hash("s3cret")}});
  CHECK(auth.Check(Header("alice:s3cret")));
  CHECK(auth.Check(Header("alice:s3cret")));  // remembered
  CHECK_FALSE(auth.Check(""));
  CHECK_FALSE(auth.Check(Header("alice:wrong")));
  CHECK_FALSE(auth.Check(Header("bob:s3cret")));
  CHECK_FALSE(auth.Check(Header("alices3cret")));
  CHECK_FALSE(auth.Check("Bearer abc"));
  CHECK_FALSE(auth.Check("Basic !!!"));
}

TEST_CASE("a password may contain colons") {
  BasicAuth auth({{"alice", Hash("a:b:c")}});
  CHECK(auth.Check(Header("alice:a:b:c")));
}
