#include "agent/catalog_command.h"

#include "core/master_data.h"

namespace fieldflow::agent {

int load_catalog(Outbox& outbox, const std::string& products_csv, std::ostream& out,
                 std::ostream& errors) {
    auto load = core::load_products(products_csv);
    for (const auto& e : load.errors)
        errors << e.file << ':' << e.line << ": " << e.message << '\n';
    if (load.data.products.empty()) throw Refused("no products loaded from " + products_csv);
    std::vector<Outbox::CatalogEntry> entries;
    for (const auto& [id, p] : load.data.products)
        entries.push_back({p.id, p.name, p.gtin, p.drug_code_prefix});
    outbox.replace_catalog(entries);
    out << "catalogue: " << entries.size() << " products\n";
    return load.errors.empty() ? 0 : 1;
}

}  // namespace fieldflow::agent
