#include "tools/option_types.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace fieldflow::tools {

namespace {

// CLI11 prefixes a validator's message with the flag and a colon; these
// messages read as one sentence that starts with the flag instead.
[[noreturn]] void refuse(const std::string& message) {
    throw CLI::ValidationError(message);
}

std::string quoted(const std::string& text) {
    return '"' + text + '"';
}

}  // namespace

std::string alternatives(std::initializer_list<const char*> allowed) {
    std::string text;
    std::size_t i = 0;
    for (const char* a : allowed) {
        if (i > 0) text += i + 1 == allowed.size() ? " or " : ", ";
        text += a;
        ++i;
    }
    return text;
}

CLI::Option* add_count(CLI::App& app, const std::string& flag, unsigned& out, unsigned low,
                       unsigned high, const std::string& help) {
    auto* option = app.add_option_function<std::string>(
        flag,
        [&out, flag, low, high](const std::string& text) {
            unsigned long long value = 0;
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (error != std::errc() || end != text.data() + text.size() || value < low ||
                value > high)
                refuse(flag + " expects a whole number from " + std::to_string(low) + " to " +
                       std::to_string(high) + ", got " + quoted(text));
            out = static_cast<unsigned>(value);
        },
        help);
    return option->type_name("N:" + std::to_string(low) + ".." + std::to_string(high))
        ->default_str(std::to_string(out));
}

CLI::Option* add_amount(CLI::App& app, const std::string& flag, std::function<void(double)> take,
                        double shown, const std::string& help) {
    auto* option = app.add_option_function<std::string>(
        flag,
        [take = std::move(take), flag](const std::string& text) {
            double value = -1;
            try {
                std::size_t end = 0;
                value = std::stod(text, &end);
                if (end != text.size()) value = -1;
            } catch (const std::exception&) {
            }
            if (!(value >= 0) || !std::isfinite(value))
                refuse(flag + " is a number >= 0, not " + quoted(text));
            take(value);
        },
        help);
    std::ostringstream text;
    text << shown;
    return option->type_name("NUMBER:>=0")->default_str(text.str());
}

namespace {

core::Period month(const std::string& name, const std::string& text) {
    auto period = core::parse_period(text);
    if (!period) refuse(name + " is a month, YYYY-MM, not " + quoted(text));
    return *period;
}

}  // namespace

CLI::Option* add_period(CLI::App& app, const std::string& name, core::Period& out,
                        const std::string& help) {
    return app
        .add_option_function<std::string>(
            name, [&out, name](const std::string& text) { out = month(name, text); }, help)
        ->type_name("YYYY-MM");
}

CLI::Option* add_period(CLI::App& app, const std::string& name, std::optional<core::Period>& out,
                        const std::string& help) {
    return app
        .add_option_function<std::string>(
            name, [&out, name](const std::string& text) { out = month(name, text); }, help)
        ->type_name("YYYY-MM");
}

CLI::Option* add_choice(CLI::App& app, const std::string& flag, std::string& out,
                        std::initializer_list<const char*> allowed, const std::string& help) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    std::string listed = alternatives(allowed);
    std::string type;
    for (const auto& n : names) type += (type.empty() ? "" : "|") + n;
    auto* option = app.add_option_function<std::string>(
        flag,
        [&out, flag, names, listed](const std::string& text) {
            if (std::find(names.begin(), names.end(), text) == names.end())
                refuse(flag + " is " + listed + ", not " + quoted(text));
            out = text;
        },
        help);
    option->type_name(type);
    if (!out.empty()) option->default_str(out);
    return option;
}

}  // namespace fieldflow::tools
