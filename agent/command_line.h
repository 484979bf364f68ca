#pragma once
// The agent's command line: `fieldflow-agent --state DIR COMMAND [--option value]...`.

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace fieldflow::agent {

// A mistake in how the program was called; exit code 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    const char* name;  // without the leading "--"; "" for words before the options
    bool takes_value = true;
    bool required = false;
    bool takes_list = false;  // a flag followed by any number of words
};

class CommandLine {
  public:
    // Throws UsageError naming what was wrong.
    CommandLine(const std::vector<std::string>& args,
                const std::map<std::string, std::vector<OptionSpec>>& commands);

    const std::string& state() const { return state_; }
    const std::string& command() const { return command_; }
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::string required(const std::string& name) const;

    // Typed values; a value that is not what is asked for is a UsageError.
    double number(const std::string& name) const;
    long long integer(const std::string& name) const;
    std::optional<long long> integer_or(const std::string& name) const;
    // Words after a flag that takes a list (e.g. scan --image a.png b.png).
    const std::vector<std::string>& rest() const { return rest_; }
    // Words before the first option (e.g. upload flows FILE), for a command
    // whose options include one named "".
    const std::vector<std::string>& words() const { return words_; }

  private:
    std::string state_;
    std::string command_;
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> rest_;
    std::vector<std::string> words_;
};

extern const char* const usage;

}  // namespace fieldflow::agent
