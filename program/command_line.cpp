#include "program/command_line.h"

#include <charconv>
#include <iostream>

namespace fieldflow::program {

std::optional<int> parse(CLI::App& app, int argc, const char* const* argv,
                         const std::function<std::string(const std::string&)>& where) {
    try {
        app.parse(argc, argv);
        return std::nullopt;
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        std::cout << e.what() << '\n';
        return 0;
    } catch (const CLI::ParseError& e) {
        // help() shows the subcommand the mistake was made in, when there is one.
        std::string place = where ? where(e.what()) : std::string();
        std::cerr << app.get_name() << ": " << (place.empty() ? "" : place + ": ") << e.what()
                  << "\n\n"
                  << app.help();
        return usage_exit;
    }
}

Endpoint endpoint(const std::string& text, const std::string& flag, bool any_port) {
    auto fail = [&] {
        return CLI::ValidationError(flag, "expects HOST:PORT, got \"" + text + "\"");
    };
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) throw fail();
    Endpoint out;
    out.host = text.substr(0, colon);
    if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    auto [end, error] = std::from_chars(first, last, out.port);
    if (error != std::errc() || end != last)
        throw CLI::ValidationError(flag, "port must be 0 to 65535, got \"" + text + "\"");
    if (out.port == 0 && !any_port)
        throw CLI::ValidationError(flag, "port must be 1 to 65535, got \"" + text + "\"");
    return out;
}

CLI::Validator host_port() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            try {
                endpoint(value, "", true);
                return {};
            } catch (const CLI::ValidationError&) {
                return "expects HOST:PORT, got \"" + value + "\"";
            }
        },
        "HOST:PORT");
}

std::vector<Endpoint> endpoints(const std::string& text, const std::string& flag) {
    std::vector<Endpoint> out;
    for (std::size_t from = 0;;) {
        auto comma = text.find(',', from);
        auto one = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (one.empty())
            throw CLI::ValidationError(flag, "expects HOST:PORT[,HOST:PORT...], got \"" + text +
                                                 "\" with an empty address");
        out.push_back(endpoint(one, flag));
        if (comma == std::string::npos) return out;
        from = comma + 1;
    }
}

CLI::Validator host_ports() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            try {
                endpoints(value, "");
                return {};
            } catch (const CLI::ValidationError& e) {
                return std::string(e.what()).substr(std::string(": ").size());
            }
        },
        "HOST:PORT[,HOST:PORT...]");
}

}  // namespace fieldflow::program
