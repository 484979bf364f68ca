#pragma once
// A stream that passes text through line by line but never a line longer
// than a limit: such a line is replaced by an empty one (its newline kept,
// so the lines after it keep their numbers) and its number is remembered.
// The CSV parser (libfccp) throws "line too long" past 16 MiB without moving
// on, so a reader that caught it and read on would spin on the same line
// forever; in front of it, a line that long costs only its own row.

#include <cstddef>
#include <istream>
#include <streambuf>
#include <vector>

namespace fieldflow::core {

class LineCapBuffer : public std::streambuf {
  public:
    LineCapBuffer(std::istream& source, std::size_t max_line_bytes);

    // The 1-based numbers of the lines that were cut, in order.
    const std::vector<unsigned>& cut_lines() const { return cut_; }
    bool was_cut(unsigned line) const;
    std::size_t max_line_bytes() const { return max_; }

  protected:
    int_type underflow() override;

  private:
    std::istream& source_;
    std::size_t max_;
    std::vector<char> in_;  // read from the source, not yet looked at
    std::size_t in_pos_ = 0;
    std::vector<char> out_;   // what the reader gets next
    std::vector<char> line_;  // the line being gathered
    unsigned line_number_ = 1;
    bool skipping_ = false;  // inside a line already cut
    std::vector<unsigned> cut_;
};

}  // namespace fieldflow::core
