#include "store/device_enrolment.h"

#include <algorithm>
#include <cctype>

#include "store/device_token.h"

namespace fieldflow::store {

std::string device_id_problem(const std::string& device) {
    constexpr std::size_t longest = 64;
    if (device.empty() || device.size() > longest)
        return "a device id is 1 to " + std::to_string(longest) + " bytes, not " +
               std::to_string(device.size());
    bool plain = std::all_of(device.begin(), device.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
    });
    if (!plain)
        return "device id \"" + device + "\" has characters other than letters, digits, . _ -";
    return {};
}

Enrolment enroll_device(GatewayStore& store, const std::string& device, const std::string& rep,
                        const core::MasterData* master, const std::string& by, std::int64_t at_ms) {
    if (auto problem = device_id_problem(device); !problem.empty()) return {std::nullopt, problem};
    if (rep.empty()) return {std::nullopt, "a device needs the rep who carries it"};
    if (master && !master->rep(rep))
        return {std::nullopt, "rep " + rep + " is not in the master data"};
    auto token = new_device_token();
    store.enroll(device, rep, token_sha256(token), at_ms, by);
    return {token, {}};
}

Revocation revoke_device(GatewayStore& store, const std::string& device, const std::string& by,
                         const std::string& reason, std::int64_t at_ms) {
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos) return Revocation::no_reason;
    return store.revoke(device, at_ms, by, reason) ? Revocation::done : Revocation::not_enrolled;
}

}  // namespace fieldflow::store
