#pragma once
// The gateway's command line read in-process (gateway::parse_options), with
// what it writes to standard output and error caught.

#include <doctest/doctest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "gateway/options.h"

namespace fieldflow::test {

struct ParsedOptions {
    std::variant<gateway::Options, int> result;
    std::string out, err;

    const gateway::Options& options() const {
        REQUIRE_MESSAGE(std::holds_alternative<gateway::Options>(result), err);
        return std::get<gateway::Options>(result);
    }
    int exit_code() const {
        REQUIRE_MESSAGE(std::holds_alternative<int>(result), "the options were taken");
        return std::get<int>(result);
    }
    // The refusal's first line: what was wrong, before the usage.
    std::string first_error_line() const { return err.substr(0, err.find('\n')); }
};

// `args` after the program's name.
inline ParsedOptions parse_gateway_options(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"fieldflow-gateway"};
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    auto result = gateway::parse_options(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return {std::move(result), out.str(), err.str()};
}

}  // namespace fieldflow::test
