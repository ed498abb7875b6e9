#include "publish/tool.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "core/fd.h"

extern char** environ;  // NOLINT: POSIX declares it nowhere

namespace jitsynth::publish {

Status RunTool(std::vector<std::string> argv) {
  ASSIGN_OR_RETURN(Pipe output, MakePipe());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output.write.get(), STDERR_FILENO);
  std::vector<char*> pointers;
  for (std::string& a : argv) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  const std::string command = fmt::format("{} {} {}", argv[0], argv[1], argv[2]);
  if (spawned != 0) {
    return FailedPrecondition(
        fmt::format("cannot run {}: {}", command, ErrnoMessage(spawned)));
  }
  output.write.reset();  // EOF once the tool exits
  std::string printed;
  char chunk[4096];
  ssize_t n;
  while ((n = ::read(output.read.get(), chunk, sizeof chunk)) != 0) {
    if (n > 0)
      printed.append(chunk, static_cast<size_t>(n));
    else if (errno != EINTR)
      break;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  while (!printed.empty() && printed.back() == '\n') printed.pop_back();
  const std::string last_line = printed.substr(printed.rfind('\n') + 1);
  const std::string how = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                            : fmt::format("signal {}", WTERMSIG(status));
  return Internal(fmt::format("{} failed ({}): {}", command, how, last_line));
}

}  // namespace jitsynth::publish
