#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>
#include <utility>

namespace fieldflow::test {

namespace {
using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}
}  // namespace

std::string binary(const std::string& name) {
    return std::string(FIELDFLOW_BIN_DIR) + "/" + name;
}

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "fieldflow-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    stores_.clear();
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::store_copy(const std::string& name, const std::string& original) {
    auto& kept = stores_[name];
    kept = std::make_unique<ScratchStore>(path_, name, original);
    return kept->location();
}

std::string TempDir::store(const std::string& name) {
    auto& kept = stores_[name];
    if (!kept) kept = std::make_unique<ScratchStore>(path_, name);
    return kept->location();
}

Process::Process(std::vector<std::string> argv, const std::string& stderr_file) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        dup2(pipe_fds[1], STDOUT_FILENO);
        if (!stderr_file.empty()) {
            int fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) dup2(fd, STDERR_FILENO);
        }
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, STDIN_FILENO);
        std::vector<char*> args;
        for (auto& arg : argv) args.push_back(arg.data());
        args.push_back(nullptr);
        execv(args[0], args.data());
        std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    close(pipe_fds[1]);
    out_fd_ = pipe_fds[0];
}

Process::~Process() {
    if (pid_ > 0 && !status_) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
}

bool Process::fill(Clock::time_point deadline) {
    if (eof_) return false;
    pollfd pfd{out_fd_, POLLIN, 0};
    int ready = poll(&pfd, 1, remaining_ms(deadline));
    if (ready <= 0) return false;
    char chunk[4096];
    ssize_t n = ::read(out_fd_, chunk, sizeof chunk);
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        auto newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(0, newline);
            buffer_.erase(0, newline + 1);
            return line;
        }
        if (!fill(deadline)) {
            if (eof_ && !buffer_.empty()) return std::exchange(buffer_, {});
            return std::nullopt;
        }
    }
}

std::optional<std::string> Process::wait_for_line(const std::string& needle,
                                                  std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        auto line = read_line(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
        if (!line) return std::nullopt;
        if (line->find(needle) != std::string::npos) return line;
    }
    return std::nullopt;
}

std::string Process::read_all(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (fill(deadline)) {
    }
    return std::exchange(buffer_, {});
}

void Process::signal(int sig) {
    if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    auto deadline = Clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            status_ = decode_status(status);
            return status_;
        }
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

RunResult run(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
    Process process(std::move(argv));
    RunResult result;
    result.out = process.read_all(timeout);
    auto code = process.wait(timeout);
    result.code = code.value_or(-1);
    return result;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int add_operator(const std::string& db, const std::string& name, const std::string& role,
                 const std::string& password, const std::string& territories) {
    std::string scope = territories.empty() ? "" : " --territories " + territories;
    return run({"/bin/sh", "-c",
                "printf '%s\\n' '" + password + "' | " + binary("fieldflow") + " operator add " +
                    name + " --role " + role + scope + " --db " + db + " >/dev/null"})
        .code;
}

}  // namespace fieldflow::test
