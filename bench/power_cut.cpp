// Power cuts against the agent's outbox and the gateway's group commit
// (tests/support/power_cut_trials.h), as many as asked for; prints the
// table of docs/benchmarks.md and exits 1 when a cut lost, doubled or
// damaged anything.
//
//   fieldflow-bench-power-cut [--capture N] [--sync N] [--commit N] [--seed N] [--progress]

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "support/power_cut_trials.h"

using fieldflow::test::PowerCutPlan;

namespace {

long number(const std::string& flag, const char* value, long most) {
    char* end = nullptr;
    long n = value ? std::strtol(value, &end, 10) : -1;
    if (!value || *end != '\0' || n < 0 || n > most) {
        std::cerr << "fieldflow-bench-power-cut: " << flag << " wants a number from 0 to " << most
                  << "\n";
        std::exit(2);
    }
    return n;
}

int count(const std::string& flag, const char* value) {
    return static_cast<int>(number(flag, value, 1'000'000));
}

}  // namespace

int main(int argc, char** argv) {
    PowerCutPlan plan;
    plan.capture_cuts = 400;
    plan.sync_cuts = 300;
    plan.commit_cuts = 300;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "--progress") {
            plan.progress = &std::cerr;
            continue;
        }
        const char* value = i + 1 < argc ? argv[++i] : nullptr;
        if (flag == "--capture") {
            plan.capture_cuts = count(flag, value);
        } else if (flag == "--sync") {
            plan.sync_cuts = count(flag, value);
        } else if (flag == "--commit") {
            plan.commit_cuts = count(flag, value);
        } else if (flag == "--seed") {
            plan.seed = static_cast<unsigned>(number(flag, value, 4'294'967'295));
        } else {
            std::cerr << "usage: fieldflow-bench-power-cut [--capture N] [--sync N] [--commit N] "
                         "[--seed N] [--progress]\n";
            return 2;
        }
    }
    auto started = std::chrono::steady_clock::now();
    auto tallies = fieldflow::test::run_power_cuts(plan);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::cout << "| phase | cuts | of them torn | trials that ended first | records at stake | "
                 "lost | duplicated | damaged databases |\n|---|---|---|---|---|---|---|---|\n";
    int cuts = 0, bad = 0;
    for (const auto& t : tallies) {
        std::cout << "| " << t.phase << " | " << t.cuts << " | " << t.torn << " | " << t.finished
                  << " | " << t.promised << " | " << t.lost << " | " << t.duplicated << " | "
                  << t.damaged << " |\n";
        cuts += t.cuts;
        bad += t.lost + t.duplicated + t.damaged;
    }
    std::cout << "\nWhere the power went off (the call that failed first):\n\n"
                 "| phase | call | cuts |\n|---|---|---|\n";
    for (const auto& t : tallies)
        for (const auto& [call, n] : t.cut_at)
            std::cout << "| " << t.phase << " | " << call << " | " << n << " |\n";
    std::cout << "\n"
              << cuts << " cuts in " << static_cast<int>(seconds + 0.5) << " s, seed " << plan.seed
              << ".\n";
    for (const auto& t : tallies)
        for (const auto& f : t.failures) std::cerr << t.phase << ": " << f << "\n";
    return bad == 0 ? 0 : 1;
}
