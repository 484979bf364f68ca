#include "gateway/master_pages.h"

#include <algorithm>

#include "store/master_store.h"

namespace fieldflow::gateway {

using nlohmann::json;

json master_versions(store::GatewayStore& store) {
    auto versions = store::MasterStore(store.db(), store::MasterStore::Tables::existing).versions();
    std::reverse(versions.begin(), versions.end());
    json out = json::array();
    for (const auto& v : versions) {
        json row{{"version", v.number},
                 {"imported_at_ms", v.imported_at_ms},
                 {"source", v.source},
                 {"by", v.by}};
        for (auto [name, counts] : {std::pair{"products", &v.products},
                                    {"terminals", &v.terminals},
                                    {"distributors", &v.distributors},
                                    {"reps", &v.reps}})
            row[name] = {{"added", counts->added},
                         {"changed", counts->changed},
                         {"removed", counts->removed}};
        out.push_back(std::move(row));
    }
    return {{"versions", out}};
}

}  // namespace fieldflow::gateway
