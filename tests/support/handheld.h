#pragma once
// A fieldflow-agent with its own state folder, for the integration suites.

#include <string>
#include <vector>

#include "support/process.h"

namespace fieldflow::test {

struct Handheld {
    TempDir dir;
    std::string state = dir / "handheld";

    RunResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {binary("fieldflow-agent"), "--state", state});
        return run(std::move(args));
    }
    std::string status_json() const { return (*this)({"status", "--json"}).out; }
    bool status_has(const std::string& fragment) const {
        return status_json().find(fragment) != std::string::npos;
    }
};

// A check-in at T1 of the master fixture with an 8 m fix, as the agent's
// arguments.
inline const std::vector<std::string> check_in_t1{
    "checkin", "--terminal", "T1", "--lat", "31.2304", "--lon", "121.5060", "--accuracy", "8"};

}  // namespace fieldflow::test
