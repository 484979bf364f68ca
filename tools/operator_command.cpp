// `fieldflow operator add|scope|remove|list`: who may log in to the
// gateway's web pages, with which role, in which territories. The password is read from stdin (one
// line; without echo when stdin is a terminal), never from the command
// line, where other users of the machine could see it in the process list.

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "store/gateway_store.h"
#include "tools/commands.h"

namespace fieldflow::tools {

namespace {

std::optional<std::string> read_password(const std::string& name) {
    bool terminal = isatty(STDIN_FILENO);
    termios saved{};
    if (terminal) {
        std::cerr << "password for " << name << ": " << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string password;
    bool got = static_cast<bool>(std::getline(std::cin, password));
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << '\n';
    }
    if (!got) return std::nullopt;
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
}

// Every territory when the list is absent (or --all).
std::optional<std::vector<std::string>> territories_of(const OperatorOptions& o,
                                                       const std::string& command) {
    if (!o.territories) return std::vector<std::string>{};
    try {
        return store::territories_named(*o.territories);
    } catch (const std::invalid_argument& e) {
        std::cerr << "fieldflow " << command << ": --territories: " << e.what() << '\n';
        return std::nullopt;
    }
}

std::string in_words(const std::vector<std::string>& territories) {
    return territories.empty() ? "every territory" : store::territory_list(territories);
}

}  // namespace

int operator_command(const OperatorOptions& o) {
    if (o.action == "add") {
        auto role = store::role_named(o.role);
        if (!role) {
            std::cerr << "fieldflow operator add: --role is viewer, reviewer or admin, not \""
                      << o.role << "\"\n";
            return 2;
        }
        auto territories = territories_of(o, "operator add");
        if (!territories) return 2;
        auto password = read_password(o.name);
        if (!password) {
            std::cerr << "fieldflow operator add: no password on stdin\n";
            return 2;
        }
        try {
            store::GatewayStore store(o.db);
            store.operators().put(o.name, *role, *password, operator_name(o.by), *territories);
        } catch (const std::invalid_argument& e) {
            std::cerr << "fieldflow operator add: " << e.what() << '\n';
            return 1;
        }
        std::cout << "operator " << o.name << " may log in as " << store::name(*role) << " in "
                  << in_words(*territories) << '\n';
        return 0;
    }
    if (o.action == "scope" && !o.territories && !o.all_territories) {
        std::cerr << "fieldflow operator scope: name the territories with --territories, or give "
                     "--all\n";
        return 2;
    }
    std::string command = "operator " + o.action;
    if (!existing_store(command.c_str(), o.db)) return 1;
    store::GatewayStore store(o.db);
    if (o.action == "scope") {
        auto territories = territories_of(o, command);
        if (!territories) return 2;
        if (!store.operators().rescope(o.name, *territories, operator_name(o.by))) {
            std::cerr << "fieldflow operator scope: there is no operator " << o.name << '\n';
            return 1;
        }
        std::cout << "operator " << o.name << " now sees " << in_words(*territories)
                  << "; their sessions ended\n";
        return 0;
    }
    if (o.action == "remove") {
        if (!store.operators().remove(o.name, operator_name(o.by))) {
            std::cerr << "fieldflow operator remove: there is no operator " << o.name << '\n';
            return 1;
        }
        std::cout << "removed operator " << o.name << '\n';
        return 0;
    }
    std::cout << "operator,role,territories\n";
    for (const auto& op : store.operators().list()) {
        auto territories = store::territory_list(op.territories);
        // Codes hold no quotes; a list of several holds commas.
        if (op.territories.size() > 1) territories = std::string("\"").append(territories) + '"';
        std::cout << op.name << ',' << store::name(op.role) << ',' << territories << '\n';
    }
    return 0;
}

}  // namespace fieldflow::tools
