#pragma once
// `fieldflow ARGS...` run in this process, as tools/main.cpp runs it, with
// what it printed on stdout and stderr.

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "program/command_line.h"
#include "program/log.h"
#include "tools/command_line.h"

namespace fieldflow::test {

struct Ran {
    int code = -1;
    std::string out, err;
};

// Points a stream at a buffer of ours until destroyed.
class Capture {
  public:
    explicit Capture(std::ostream& stream) : stream_(stream), saved_(stream.rdbuf(text_.rdbuf())) {}
    ~Capture() { stream_.rdbuf(saved_); }
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;
    std::string text() const { return text_.str(); }

  private:
    std::ostream& stream_;
    std::ostringstream text_;
    std::streambuf* saved_;
};

inline Ran run_fieldflow(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"fieldflow"};
    for (const auto& a : args) argv.push_back(a.c_str());
    Ran ran;
    Capture out(std::cout), err(std::cerr);
    tools::CommandLine command_line;
    if (auto exit =
            program::parse(command_line.app(), static_cast<int>(argv.size()), argv.data())) {
        ran.code = *exit;
    } else {
        program::Log log(command_line.log_level());
        ran.code = command_line.run(log);
    }
    ran.out = out.text();
    ran.err = err.text();
    return ran;
}

}  // namespace fieldflow::test
