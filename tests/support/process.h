#pragma once
// Child processes for the integration suites: the real binaries, started,
// read line by line, signalled and reaped, with deadlines on every wait.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/scratch_store.h"

namespace fieldflow::test {

// Path of a built binary (fieldflow-gateway, fieldflow-agent, fieldflow).
std::string binary(const std::string& name);

// A fresh directory under the system temp dir, removed when destroyed.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    // A gateway store named `name` that lives as long as this folder: a
    // file in it, or a PostgreSQL database (support/scratch_store.h).
    std::string store(const std::string& name);
    // A store named `name` that starts as a copy of the one at `original`.
    std::string store_copy(const std::string& name, const std::string& original);

  private:
    std::filesystem::path path_;
    std::map<std::string, std::unique_ptr<ScratchStore>> stores_;
};

class Process {
  public:
    // Starts argv[0] with the rest as arguments; stdout is piped to us,
    // stderr goes to `stderr_file` (or is inherited when empty).
    explicit Process(std::vector<std::string> argv, const std::string& stderr_file = {});
    ~Process();  // kills (SIGKILL) and reaps a child still running
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }

    // The next line of stdout without its newline; nullopt at end of output or timeout.
    std::optional<std::string> read_line(
        std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Reads lines until one contains `needle`; returns it, or nullopt on EOF/timeout.
    std::optional<std::string> wait_for_line(
        const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Everything left on stdout until the child closes it.
    std::string read_all(std::chrono::milliseconds timeout = std::chrono::seconds(120));

    void signal(int sig);
    // Exit code, or 128 + signal number when killed; nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));

  private:
    bool fill(std::chrono::steady_clock::time_point deadline);

    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string buffer_;
    bool eof_ = false;
    std::optional<int> status_;
};

struct RunResult {
    int code = -1;
    std::string out;
};

// Runs to completion and returns exit code and stdout.
RunResult run(std::vector<std::string> argv,
              std::chrono::milliseconds timeout = std::chrono::seconds(120));

// The whole content of the file at `path`, byte for byte; empty when it
// cannot be read.
std::string read_file(const std::string& path);

// Adds operator `name` with `role` to the store `db` through
// `fieldflow operator add`, typing `password` at its prompt; its exit code.
int add_operator(const std::string& db, const std::string& name, const std::string& role,
                 const std::string& password, const std::string& territories = {});

}  // namespace fieldflow::test
