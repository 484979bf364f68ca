// `fieldflow device enroll|revoke|list`: which handhelds may upload, and
// for which rep. Enrolling prints the device's credential once; the store
// keeps only its SHA-256. A revocation takes effect at the device's next
// batch, on a connection already open too.

#include <chrono>
#include <iostream>

#include "core/clock.h"
#include "store/device_token.h"
#include "store/gateway_store.h"
#include "tools/commands.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

namespace {

const char* const usage =
    "usage: fieldflow device enroll --device ID --rep ID --db DB [--master DIR]\n"
    "       fieldflow device revoke DEVICE --db DB\n"
    "       fieldflow device list --db DB\n";

}  // namespace

int device_command(const Args& args) {
    if (args.empty()) {
        std::cerr << usage;
        return 2;
    }
    const std::string& action = args[0];
    if (action == "enroll") {
        auto flags = parse_flags("device enroll", Args(args.begin() + 1, args.end()),
                                 {"device", "rep", "db", "master", "by"});
        if (!flags.ok) return 2;
        const std::string *device = flags.get("device"), *rep = flags.get("rep"),
                          *db = flags.get("db");
        if (!device || !rep || !db) {
            std::cerr << "fieldflow device enroll: --device, --rep and --db are required\n";
            return 2;
        }
        if (flags.get("master")) {
            auto master = master_data("device enroll", flags);
            if (!master) return 2;
            const core::Rep* known = master->rep(*rep);
            if (!known) {
                std::cerr << "fieldflow device enroll: rep " << *rep
                          << " is not in the master data\n";
                return 1;
            }
        }
        store::GatewayStore store(*db);
        auto token = store::new_device_token();
        store.enroll(*device, *rep, store::token_sha256(token), core::unix_now_ms(),
                     operator_name(flags));
        std::cerr << "enrolled " << *device << " for rep " << *rep
                  << "; the credential below is shown once:\n";
        std::cout << token << '\n';
        return 0;
    }
    if (action == "revoke") {
        if (args.size() < 2 || args[1].rfind("--", 0) == 0) {
            std::cerr << usage;
            return 2;
        }
        auto flags = parse_flags("device revoke", Args(args.begin() + 2, args.end()), {"db", "by"});
        if (!flags.ok) return 2;
        auto db = existing_store("device revoke", flags);
        if (db.empty()) return 1;
        store::GatewayStore store(db);
        if (!store.revoke(args[1], core::unix_now_ms(), operator_name(flags))) {
            std::cerr << "fieldflow device revoke: " << args[1]
                      << " is not enrolled, or already revoked\n";
            return 1;
        }
        std::cout << "revoked " << args[1] << '\n';
        return 0;
    }
    if (action == "list") {
        auto flags = parse_flags("device list", Args(args.begin() + 1, args.end()), {"db"});
        if (!flags.ok) return 2;
        auto db = existing_store("device list", flags);
        if (db.empty()) return 1;
        store::GatewayStore store(db);
        std::cout << "device,rep,enrolled_at,revoked_at\n";
        for (const auto& c : store.credentials())
            std::cout << c.device << ',' << c.rep << ',' << iso8601_utc(c.enrolled_at_ms) << ','
                      << (c.revoked_at_ms ? iso8601_utc(*c.revoked_at_ms) : "") << '\n';
        return 0;
    }
    std::cerr << usage;
    return 2;
}

}  // namespace fieldflow::tools
