#pragma once

namespace fieldflow::core {

// Builds a std::visit visitor from lambdas, one per alternative.
template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};

}  // namespace fieldflow::core
