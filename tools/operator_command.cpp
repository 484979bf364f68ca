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

const char* const usage =
    "usage: fieldflow operator add NAME --role viewer|reviewer|admin --db DB   (password on "
    "stdin)\n"
    "       fieldflow operator remove NAME --db DB\n"
    "       fieldflow operator list --db DB\n";

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

int operator_command(const Args& args) {
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    const std::string& action = args[0];
    bool named = args.size() >= 2 && args[1].rfind("--", 0) != 0;
    if ((action == "add" || action == "remove") && !named) {
        std::cerr << usage;
        return 2;
    }
    if (action == "add") {
        auto flags =
            parse_flags("operator add", Args(args.begin() + 2, args.end()), {"role", "db", "by"});
        if (!flags.ok) return 2;
        const std::string *role_text = flags.get("role"), *db = flags.get("db");
        if (!role_text || !db) {
            std::cerr << "fieldflow operator add: --role and --db are required\n";
            return 2;
        }
        auto role = store::role_named(*role_text);
        if (!role) {
            std::cerr << "fieldflow operator add: --role expects viewer, reviewer or admin, got \""
                      << *role_text << "\"\n";
            return 2;
        }
        auto password = read_password(args[1]);
        if (!password) {
            std::cerr << "fieldflow operator add: no password on stdin\n";
            return 2;
        }
        try {
            store::GatewayStore store(*db);
            store.operators().put(args[1], *role, *password, operator_name(flags));
        } catch (const std::invalid_argument& e) {
            std::cerr << "fieldflow operator add: " << e.what() << '\n';
            return 1;
        }
        std::cout << "operator " << args[1] << " may log in as " << store::name(*role) << '\n';
        return 0;
    }
    if (action == "remove") {
        auto flags =
            parse_flags("operator remove", Args(args.begin() + 2, args.end()), {"db", "by"});
        if (!flags.ok) return 2;
        auto db = existing_store("operator remove", flags);
        if (db.empty()) return 1;
        store::GatewayStore store(db);
        if (!store.operators().remove(args[1], operator_name(flags))) {
            std::cerr << "fieldflow operator remove: there is no operator " << args[1] << '\n';
            return 1;
        }
        std::cout << "removed operator " << args[1] << '\n';
        return 0;
    }
    if (action == "list") {
        auto flags = parse_flags("operator list", Args(args.begin() + 1, args.end()), {"db"});
        if (!flags.ok) return 2;
        auto db = existing_store("operator list", flags);
        if (db.empty()) return 1;
        store::GatewayStore store(db);
        std::cout << "operator,role\n";
        for (const auto& o : store.operators().list())
            std::cout << o.name << ',' << store::name(o.role) << '\n';
        return 0;
    }
    std::cerr << usage;
    return 2;
}

}  // namespace fieldflow::tools
