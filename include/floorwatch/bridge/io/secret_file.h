// The connect adapter's API key (--api-key-file) and the twilio adapter's auth token
// (--auth-token-file): read once at start (and by --check), compared in constant time.
#pragma once

#include <string>
#include <string_view>

namespace floorwatch::bridge {

// Reads the secret in `path` (surrounding whitespace and the final newline dropped). Returns
// an error ("cannot read ...", "... is empty") or empty when `secret` was set.
std::string ReadSecretFile(const std::string& path, std::string* secret);

// Whether `given` equals `secret`, comparing their SHA-256 digests in constant time, so
// neither the bytes nor the length of the secret leak through timing.
bool SecretEquals(std::string_view given, std::string_view secret);

}  // namespace floorwatch::bridge
