#include "gateway/personal_data.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

#include "core/geo.h"
#include "core/master_data.h"
#include "store/gateway_store.h"

namespace fieldflow::gateway {

std::set<store::Role> parse_roles(std::string_view text) {
    std::set<store::Role> roles;
    if (text == "none") return roles;
    while (true) {
        auto comma = text.find(',');
        std::string_view word = text.substr(0, comma);
        auto role = store::role_named(word);
        if (!role)
            throw std::invalid_argument("\"" + std::string(word) +
                                        "\" is not a role: viewer, reviewer or admin, "
                                        "comma-separated, or none");
        roles.insert(*role);
        if (comma == std::string_view::npos) return roles;
        text.remove_prefix(comma + 1);
    }
}

std::string roles_text(const std::set<store::Role>& roles) {
    std::string text;
    for (auto role : roles) (text += text.empty() ? "" : ",") += store::name(role);
    return text.empty() ? "none" : text;
}

nlohmann::json payload_without_fix(nlohmann::json payload, const core::MasterData& master,
                                   const store::FlaggedRecord& row) {
    if (!payload.is_object() || !payload.contains("lat")) return payload;
    auto lat = payload["lat"], lon = payload["lon"];
    payload.erase("lat");
    payload.erase("lon");
    if (row.fix_dropped) {
        payload["fixDropped"] = true;
        if (row.kept_distance_m) payload["distanceM"] = *row.kept_distance_m;
        return payload;
    }
    const core::Terminal* terminal = master.terminal(payload.value("terminal", std::string()));
    if (terminal && lat.is_number() && lon.is_number() && payload.value("fix", "") != "noFix")
        payload["distanceM"] = std::lround(
            core::distance_m(terminal->lat, terminal->lon, lat.get<double>(), lon.get<double>()));
    return payload;
}

void audit_opened(store::GatewayStore& store, const std::string& who, std::string_view what,
                  std::int64_t record, const std::string& detail) {
    store::sql::Transaction transaction(store.db(), store::sql::TransactionKind::write);
    store.audit().append(store::Audited::personal_data, record, who, std::string(what), detail);
    transaction.commit();
}

}  // namespace fieldflow::gateway
