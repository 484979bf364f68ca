#pragma once
// Interned text. The distribution books repeat a few thousand party,
// product and lot ids across millions of rows; each is kept once and rows
// carry a 32-bit number instead.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fieldflow::core {

using NameId = std::uint32_t;

class Names {
  public:
    static constexpr NameId empty = 0;  // the empty text, e.g. a flow without a lot

    Names();
    NameId intern(std::string_view text);
    // Puts `text` under a number handed out earlier (restoring from a store);
    // numbers need not be dense, texts must be distinct.
    void restore(NameId id, std::string_view text);
    std::optional<NameId> find(std::string_view text) const;
    const std::string& text(NameId id) const;
    // One past the largest number in use: the size of a table indexed by NameId.
    std::size_t bound() const { return texts_.size(); }

  private:
    std::deque<std::string> texts_;  // a deque: growing it never moves the keys' bytes
    std::unordered_map<std::string_view, NameId> ids_;
};

}  // namespace fieldflow::core
