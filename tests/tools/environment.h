#pragma once
// Helpers of the command tests: a variable set for one scope, and text as
// a Chinese Windows export would hold it.

#include <doctest/doctest.h>
#include <iconv.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace fieldflow::test {

// Sets a variable for one scope, as a shell's `LC_ALL=... fieldflow` would.
class Environment {
  public:
    Environment(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value, 1);
    }
    ~Environment() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }
    Environment(const Environment&) = delete;
    Environment& operator=(const Environment&) = delete;

  private:
    const char* name_;
    std::optional<std::string> old_;
};

// UTF-8 text in GBK (as GB 18030, which contains it).
inline std::string utf8_to_gbk(const std::string& text) {
    iconv_t convert = iconv_open("GB18030", "UTF-8");
    REQUIRE(convert != iconv_t(-1));
    std::string in = text, out(text.size() * 2 + 4, '\0');
    char* from = in.data();
    char* to = out.data();
    std::size_t left = in.size(), room = out.size();
    bool ok = iconv(convert, &from, &left, &to, &room) != std::size_t(-1);
    iconv_close(convert);
    REQUIRE(ok);
    out.resize(out.size() - room);
    return out;
}

}  // namespace fieldflow::test
