#include "core/line_cap.h"

#include <doctest/doctest.h>

#include <iterator>
#include <sstream>
#include <string>

using fieldflow::core::LineCapBuffer;

namespace {

struct Capped {
    Capped(const std::string& text, std::size_t cap) : source(text), buffer(source, cap) {}
    std::string read() {
        std::istream in(&buffer);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    std::istringstream source;
    LineCapBuffer buffer;
};

}  // namespace

TEST_CASE("line cap: lines within the limit pass byte for byte, the last one unterminated too") {
    CHECK(Capped("a,b\r\nc,d\n\ne", 8).read() == "a,b\r\nc,d\n\ne");
    CHECK(Capped("", 8).read().empty());
    // A line that spans many of the buffer's chunks still passes whole.
    std::string long_line(200'000, 'x');
    CHECK(Capped("h\n" + long_line + "\nz\n", 300'000).read() == "h\n" + long_line + "\nz\n");
}

TEST_CASE("line cap: a line past the limit becomes an empty one and its number is kept") {
    std::string huge(300'000, 'y');
    Capped capped("h\n" + huge + "\nz\n" + huge, 1000);
    CHECK(capped.read() == "h\n\nz\n");
    CHECK(capped.buffer.cut_lines() == std::vector<unsigned>{2, 4});
    CHECK(capped.buffer.was_cut(2));
    CHECK_FALSE(capped.buffer.was_cut(3));
    // Exactly at the limit is within it.
    Capped exact("12345\n", 5);
    CHECK(exact.read() == "12345\n");
    CHECK(exact.buffer.cut_lines().empty());
}
