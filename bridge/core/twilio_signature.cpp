#include "floorwatch/bridge/core/twilio_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace floorwatch::bridge {

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const FormParams& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& p : params) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::string data(url);
  for (const auto* p : sorted) data.append(p->first).append(p->second);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  std::string base64(4 * ((length + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), digest,
                                static_cast<int>(length));
  base64.resize(n);
  return base64;
}

bool TwilioSignatureValid(std::string_view auth_token, std::string_view url,
                          const FormParams& params, std::string_view signature) {
  const std::string expected = TwilioSignature(auth_token, url, params);
  // The length of a SHA-1 signature is public (28 characters); the bytes are compared in
  // constant time.
  return signature.size() == expected.size() &&
         CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

}  // namespace floorwatch::bridge
