#include "core/distribution_book.h"

namespace fieldflow::core {

std::string_view name(RowKind kind) {
    switch (kind) {
        case RowKind::shipment:
            return "shipment";
        case RowKind::flow:
        case RowKind::flow_conflict:
            return "flow";
        case RowKind::stock:
            return "stock";
    }
    return "unknown";
}

}  // namespace fieldflow::core
