// `fieldflow loadgen` in this process: what is not its answer — a device
// that failed — goes to the log on stderr, at the level --log-level allows.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "support/process.h"
#include "tools/commands.h"
#include "tools/run_fieldflow.h"

using namespace fieldflow;
using fieldflow::test::run_fieldflow;

namespace {

// The log writes to the process's stderr itself, not through std::cerr:
// file descriptor 2 is pointed at a file while `run` runs.
template <typename Run>
std::string logged(const std::string& file, Run run) {
    std::fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int into = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(into >= 0);
    dup2(into, STDERR_FILENO);
    close(into);
    run();
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("tools loadgen: each device that cannot connect is logged at error level, exit 1") {
    test::TempDir dir;
    tools::write_sample_master_data(dir / "master", 1, 6, 2);
    // Nothing listens on port 1 of loopback: every connection is refused at once.
    std::vector<std::string> args = {"loadgen",  "--gateway",    "127.0.0.1:1",
                                     "--master", dir / "master", "--agents",
                                     "2",        "--records",    "10"};
    test::Ran ran;
    auto log = logged(dir / "log.txt", [&] { ran = run_fieldflow(args); });
    CHECK(ran.code == 1);
    CHECK(ran.out.find("acked 0 of 20 exactly once: no") != std::string::npos);
    CHECK(log.find(" error loadgen: device failed device=lg-00001 error=") != std::string::npos);
    CHECK(log.find(" error loadgen: device failed device=lg-00002 error=") != std::string::npos);

    args.insert(args.end(), {"--log-level", "off"});
    auto quiet = logged(dir / "quiet.txt", [&] { ran = run_fieldflow(args); });
    CHECK(ran.code == 1);
    CHECK(quiet.empty());
}
