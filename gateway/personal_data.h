#pragma once
// Who sees a rep's personal data in the console, and the trace each look
// leaves. A record's exact fix and the photos from the field are shown only
// to the roles allowed them (by default reviewers and admins, who judge the
// records); everyone else sees the distance to the store and the verdict.
// Nothing in a list carries them: they are opened one record at a time, and
// each opening is an audit entry naming who opened what.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "store/operator_accounts.h"
#include "store/review_queue.h"

namespace fieldflow::core {
struct MasterData;
}
namespace fieldflow::store {
class GatewayStore;
}

namespace fieldflow::gateway {

struct PersonalDataRoles {
    std::set<store::Role> location{store::Role::reviewer, store::Role::admin};
    std::set<store::Role> photos{store::Role::reviewer, store::Role::admin};
};

// "reviewer,admin" as roles; "none" for no role. Throws std::invalid_argument
// naming the word that is not a role.
std::set<store::Role> parse_roles(std::string_view text);
std::string roles_text(const std::set<store::Role>& roles);

// A record's payload as the console shows it: a check-in's latitude and
// longitude give way to distanceM, its distance in whole metres from its
// terminal in `master` (none when it had no fix or the terminal is unknown).
// A record whose fix its retention dropped gives the distance kept in its
// place, and fixDropped.
nlohmann::json payload_without_fix(nlohmann::json payload, const core::MasterData& master,
                                   const store::FlaggedRecord& row);

// Writes the audit entry for `who` having opened `what` of `record` (0 when
// the data belongs to no one record), in a transaction of its own.
void audit_opened(store::GatewayStore& store, const std::string& who, std::string_view what,
                  std::int64_t record, const std::string& detail);

}  // namespace fieldflow::gateway
