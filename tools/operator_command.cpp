// `fieldflow operator add|remove|list`: who may log in to the gateway's
// web pages, and with which role. The password is read from stdin (one
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

}  // namespace

int operator_command(const OperatorOptions& o) {
    if (o.action == "add") {
        auto role = store::role_named(o.role);
        if (!role) {
            std::cerr << "fieldflow operator add: --role is viewer, reviewer or admin, not \""
                      << o.role << "\"\n";
            return 2;
        }
        auto password = read_password(o.name);
        if (!password) {
            std::cerr << "fieldflow operator add: no password on stdin\n";
            return 2;
        }
        try {
            store::GatewayStore store(o.db);
            store.operators().put(o.name, *role, *password, operator_name(o.by));
        } catch (const std::invalid_argument& e) {
            std::cerr << "fieldflow operator add: " << e.what() << '\n';
            return 1;
        }
        std::cout << "operator " << o.name << " may log in as " << store::name(*role) << '\n';
        return 0;
    }
    std::string command = "operator " + o.action;
    if (!existing_store(command.c_str(), o.db)) return 1;
    store::GatewayStore store(o.db);
    if (o.action == "remove") {
        if (!store.operators().remove(o.name, operator_name(o.by))) {
            std::cerr << "fieldflow operator remove: there is no operator " << o.name << '\n';
            return 1;
        }
        std::cout << "removed operator " << o.name << '\n';
        return 0;
    }
    std::cout << "operator,role\n";
    for (const auto& op : store.operators().list())
        std::cout << op.name << ',' << store::name(op.role) << '\n';
    return 0;
}

}  // namespace fieldflow::tools
