#include "core/line_cap.h"

#include <algorithm>

namespace fieldflow::core {

namespace {
constexpr std::size_t chunk_bytes = 1 << 16;
}

LineCapBuffer::LineCapBuffer(std::istream& source, std::size_t max_line_bytes)
    : source_(source), max_(max_line_bytes) {}

bool LineCapBuffer::was_cut(unsigned line) const {
    return std::binary_search(cut_.begin(), cut_.end(), line);
}

LineCapBuffer::int_type LineCapBuffer::underflow() {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    out_.clear();
    // Hand on every whole line of a chunk at once; a line that runs past the
    // chunk waits in line_, and one past the limit is dropped as it streams.
    while (out_.empty()) {
        if (in_pos_ == in_.size()) {
            in_.resize(chunk_bytes);
            source_.read(in_.data(), static_cast<std::streamsize>(in_.size()));
            in_.resize(static_cast<std::size_t>(source_.gcount()));
            in_pos_ = 0;
            if (in_.empty()) {  // the end: an unterminated last line goes as it is
                if (!skipping_) out_.swap(line_);
                line_.clear();
                skipping_ = false;
                break;
            }
        }
        while (in_pos_ < in_.size()) {
            auto begin = in_.begin() + static_cast<std::ptrdiff_t>(in_pos_);
            auto newline = std::find(begin, in_.end(), '\n');
            auto length = static_cast<std::size_t>(newline - begin);
            bool whole = newline != in_.end();
            in_pos_ += length + (whole ? 1 : 0);
            if (!skipping_ && line_.size() + length > max_) {
                skipping_ = true;
                line_.clear();
                cut_.push_back(line_number_);
            }
            if (!whole) {
                if (!skipping_) line_.insert(line_.end(), begin, newline);
                break;
            }
            if (!skipping_) {
                out_.insert(out_.end(), line_.begin(), line_.end());
                out_.insert(out_.end(), begin, newline);
            }
            out_.push_back('\n');
            line_.clear();
            skipping_ = false;
            ++line_number_;
        }
    }
    if (out_.empty()) return traits_type::eof();
    setg(out_.data(), out_.data(), out_.data() + out_.size());
    return traits_type::to_int_type(*gptr());
}

}  // namespace fieldflow::core
