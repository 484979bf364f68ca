#include "core/names.h"

#include <stdexcept>

namespace fieldflow::core {

Names::Names() {
    texts_.emplace_back();
    ids_.emplace(texts_.front(), empty);
}

NameId Names::intern(std::string_view text) {
    if (auto found = ids_.find(text); found != ids_.end()) return found->second;
    auto id = static_cast<NameId>(texts_.size());
    texts_.emplace_back(text);
    ids_.emplace(texts_.back(), id);
    return id;
}

void Names::restore(NameId id, std::string_view text) {
    if (id == empty) return;
    while (texts_.size() <= id) texts_.emplace_back();
    if (!texts_[id].empty() || ids_.count(text))
        throw std::invalid_argument("name " + std::to_string(id) + " restored twice");
    texts_[id] = text;
    ids_.emplace(texts_[id], id);
}

std::optional<NameId> Names::find(std::string_view text) const {
    if (auto found = ids_.find(text); found != ids_.end()) return found->second;
    return std::nullopt;
}

const std::string& Names::text(NameId id) const {
    return texts_.at(id);
}

}  // namespace fieldflow::core
