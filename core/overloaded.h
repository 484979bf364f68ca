#pragma once

namespace fieldflow::core {

// Builds a std::visit visitor from lambdas, one per alternative.
template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
// C++20 deduces this for aggregates, but clang 14 (the fuzz build) does not yet.
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace fieldflow::core
