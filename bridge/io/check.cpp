// CheckOptions and MakeAdapter (io/runner.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "floorwatch/bridge/core/agent_namer.h"
#include "floorwatch/bridge/io/asterisk_adapter.h"
#include "floorwatch/bridge/io/connect_adapter.h"
#include "floorwatch/bridge/io/runner.h"
#include "floorwatch/bridge/io/secret_file.h"
#include "floorwatch/bridge/io/twilio_adapter.h"

namespace floorwatch::bridge {
namespace {

std::string CheckReadable(const std::string& path, bool may_be_missing) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    struct stat st;
    const bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    return regular ? std::string() : path + ": not a regular file";
  }
  if (errno == ENOENT && may_be_missing) return {};
  return "cannot read " + path + ": " + std::strerror(errno);
}

// The state dir, or the nearest directory above it that exists, must be writable.
std::string CheckStateDir(const std::string& dir) {
  std::string at = dir;
  struct stat st;
  while (stat(at.c_str(), &st) != 0) {
    if (errno != ENOENT) return "--state-dir " + dir + ": " + std::strerror(errno);
    const size_t slash = at.rfind('/');
    at = slash == std::string::npos ? "." : slash == 0 ? "/" : at.substr(0, slash);
  }
  if (!S_ISDIR(st.st_mode)) return "--state-dir " + dir + ": " + at + " is not a directory";
  if (access(at.c_str(), W_OK | X_OK) != 0) {
    return "--state-dir " + dir + ": " + at + " is not writable";
  }
  return {};
}

std::string CheckEndpoints(const CommonOptions& c) {
  for (const std::string& e : c.publish) {
    if (std::string error = CheckEndpoint(e, true); !error.empty()) return "--publish " + error;
  }
  for (const std::string& e : c.push) {
    if (std::string error = CheckEndpoint(e, false); !error.empty()) return "--push " + error;
  }
  if (!c.replay.empty()) {
    if (std::string error = CheckEndpoint(c.replay, true); !error.empty()) {
      return "--replay " + error;
    }
  }
  if (!c.metrics.empty()) {
    if (std::string error = CheckHostPort(c.metrics); !error.empty()) return "--metrics " + error;
  }
  return {};
}

// --listen and the key or token file of the HTTP adapters; the file must hold a secret.
std::string CheckHttp(const std::string& listen, const std::string& flag, const std::string& file) {
  if (std::string error = CheckHostPort(listen); !error.empty()) return "--listen " + error;
  std::string secret;
  if (std::string error = ReadSecretFile(file, &secret); !error.empty()) {
    return flag + " " + error;
  }
  return {};
}

std::string CheckPlatform(const Options& o, bool starting) {
  if (o.platform == "asterisk") {
    const AsteriskOptions& a = o.asterisk;
    if (a.has_agent_pattern) {
      if (std::string error = AgentNamer::Validate(a.agent_pattern); !error.empty()) return error;
    }
    return CheckReadable(a.queue_log, starting && !a.once);
  }
  if (o.platform == "connect" && !o.connect.listen.empty()) {
    return CheckHttp(o.connect.listen, "--api-key-file", o.connect.api_key_file);
  }
  if (o.platform == "twilio") {
    if (std::string error = CheckPublicUrl(o.twilio.public_url); !error.empty()) {
      return "--public-url " + error;
    }
    return CheckHttp(o.twilio.listen, "--auth-token-file", o.twilio.auth_token_file);
  }
  return {};
}

}  // namespace

std::string CheckOptions(const Options& o, bool starting) {
  if (std::string error = CheckEndpoints(o.common); !error.empty()) return error;
  if (!o.common.state_dir.empty()) {
    if (std::string error = CheckStateDir(o.common.state_dir); !error.empty()) return error;
  }
  return CheckPlatform(o, starting);
}

std::unique_ptr<Adapter> MakeAdapter(const Options& options, std::string* error) {
  if (options.platform == "asterisk") return std::make_unique<AsteriskAdapter>(options.asterisk);
  if (options.platform == "connect") return std::make_unique<ConnectAdapter>(options.connect);
  if (options.platform == "twilio") return std::make_unique<TwilioAdapter>(options.twilio);
  *error = "platform '" + options.platform + "' is not in this build";
  return nullptr;
}

}  // namespace floorwatch::bridge
