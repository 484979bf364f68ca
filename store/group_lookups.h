#pragma once
// The answers GatewayStore::look_up_together reads for a group of batches,
// and the statements it reads them with. Private to the gateway's store.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/gateway_store.h"
#include "store/sql.h"

namespace fieldflow::store {

struct GatewayStore::Answers {
    explicit Answers(sql::Database& db);
    // By how many devices they ask about.
    sql::RepeatedStatement credentials, open_visits, seqs, check_ins;

    // An answer for the span [from, to] of a device, good for any span inside it.
    template <class T>
    struct Spanned {
        std::int64_t from = 0, to = 0;
        std::vector<T> found;
    };
    struct Known {
        std::map<std::string, std::optional<Credential>> credentials;
        std::map<std::string, Spanned<std::uint64_t>> seqs;
        std::map<std::string, Spanned<StoredCheckIn>> check_ins;
    };
    sql::WriterScoped<Known> known;
};

// A credential of `device` from a row holding its rep, token digest,
// enrolment and revocation times from column `first` on.
Credential credential_from_row(std::string device, const sql::Statement& row, int first);

}  // namespace fieldflow::store
