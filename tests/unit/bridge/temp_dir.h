// Test helper: a fresh directory under /tmp, removed with everything in it at the end.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace floorwatch::bridge::testing {

class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/floorwatch-bridge-test-XXXXXX";
    path_ = mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void Write(const std::string& path, const std::string& text, bool append = true) {
  std::ofstream out(path,
                    append ? std::ios::app | std::ios::binary : std::ios::trunc | std::ios::binary);
  out << text;
}

}  // namespace floorwatch::bridge::testing
