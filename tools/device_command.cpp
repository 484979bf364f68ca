// `fieldflow device enroll|revoke|list`: which handhelds may upload, and
// for which rep. Enrolling prints the device's credential once; the store
// keeps only its SHA-256. A revocation takes effect at the device's next
// batch, on a connection already open too.

#include <chrono>
#include <iostream>

#include "core/clock.h"
#include "store/device_enrolment.h"
#include "store/gateway_store.h"
#include "tools/commands.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

int device_command(const DeviceOptions& o) {
    if (o.action == "enroll") {
        std::optional<core::MasterData> master;
        if (!o.master.empty()) {
            master = master_data("device enroll", o.master);
            if (!master) return 2;
        }
        store::GatewayStore store(o.db);
        auto enrolment = store::enroll_device(store, o.device, o.rep, master ? &*master : nullptr,
                                              operator_name(o.by), core::unix_now_ms());
        if (!enrolment.credential) {
            std::cerr << "fieldflow device enroll: " << enrolment.problem << '\n';
            return 1;
        }
        std::cerr << "enrolled " << o.device << " for rep " << o.rep
                  << "; the credential below is shown once:\n";
        std::cout << *enrolment.credential << '\n';
        return 0;
    }
    std::string command = "device " + o.action;
    if (!existing_store(command.c_str(), o.db)) return 1;
    store::GatewayStore store(o.db);
    if (o.action == "revoke") {
        switch (store::revoke_device(store, o.device, operator_name(o.by), o.reason,
                                     core::unix_now_ms())) {
            case store::Revocation::done:
                break;
            case store::Revocation::no_reason:
                std::cerr << "fieldflow device revoke: --reason is empty: say why " << o.device
                          << " is refused\n";
                return 1;
            case store::Revocation::not_enrolled:
                std::cerr << "fieldflow device revoke: " << o.device
                          << " is not enrolled, or already revoked\n";
                return 1;
        }
        std::cout << "revoked " << o.device << '\n';
        return 0;
    }
    std::cout << "device,rep,enrolled_at,revoked_at\n";
    for (const auto& c : store.credentials())
        std::cout << c.device << ',' << c.rep << ',' << iso8601_utc(c.enrolled_at_ms) << ','
                  << (c.revoked_at_ms ? iso8601_utc(*c.revoked_at_ms) : "") << '\n';
    return 0;
}

}  // namespace fieldflow::tools
