// WriteAll and Errno (state/file_io.h), shared by the daemon's and the bridge's state files.
#include "floorwatch/state/file_io.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

using namespace floorwatch;

TEST_CASE("WriteAll writes every byte, more than a pipe takes at once") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  // 256 KiB: a pipe buffer holds 64 KiB, so the writer sees short writes while we read.
  const std::string data(256 * 1024, 'x');
  const pid_t writer = fork();
  REQUIRE(writer >= 0);
  if (writer == 0) {
    close(fds[0]);
    _exit(WriteAll(fds[1], data) ? 0 : 1);
  }
  close(fds[1]);
  std::string got;
  char buffer[8192];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) got.append(buffer, n);
  close(fds[0]);
  int status = -1;
  REQUIRE(waitpid(writer, &status, 0) == writer);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(got == data);
}

TEST_CASE("WriteAll reports a failed write") {
  const int fd = open("/dev/null", O_RDONLY);
  REQUIRE(fd >= 0);
  CHECK_FALSE(WriteAll(fd, "bytes"));
  CHECK(errno == EBADF);
  close(fd);
}

TEST_CASE("Errno names what failed and why") {
  errno = ENOENT;
  CHECK(Errno("cannot open x") == "cannot open x: No such file or directory");
}
