#pragma once
// Enrolling and revoking a handheld, the same for `fieldflow device` and
// the console's device pages: the same checks, the same audit entries.

#include <cstdint>
#include <optional>
#include <string>

#include "core/master_data.h"
#include "store/gateway_store.h"

namespace fieldflow::store {

// A credential to show once, or why none was issued.
struct Enrolment {
    std::optional<std::string> credential;
    std::string problem;  // what was wrong, naming the value, when refused
};

// Device ids travel in hellos, logs, file names and the enrolment QR code:
// 1 to 64 bytes of letters, digits, '.', '_' and '-'. Empty when `device`
// is such an id, else why not.
std::string device_id_problem(const std::string& device);

// Enrols (or re-enrols, replacing its credential) `device` for `rep`, after
// checking the id and, with `master`, that the rep is in the master data.
Enrolment enroll_device(GatewayStore& store, const std::string& device, const std::string& rep,
                        const core::MasterData* master, const std::string& by, std::int64_t at_ms);

// A revocation needs a reason (not only blanks), kept in the audit entry
// after the device's id, whether the console or the CLI asks for it.
enum class Revocation { done, not_enrolled, no_reason };
Revocation revoke_device(GatewayStore& store, const std::string& device, const std::string& by,
                         const std::string& reason, std::int64_t at_ms);

}  // namespace fieldflow::store
