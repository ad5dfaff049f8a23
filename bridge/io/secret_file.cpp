#include "floorwatch/bridge/io/secret_file.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace floorwatch::bridge {

std::string ReadSecretFile(const std::string& path, std::string* secret) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path + ": " + std::strerror(errno);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return "cannot read " + path;
  std::string s = text.str();
  const size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return path + " is empty";
  s = s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
  *secret = std::move(s);
  return {};
}

bool SecretEquals(std::string_view given, std::string_view secret) {
  unsigned char a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), a);
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

}  // namespace floorwatch::bridge
