#pragma once
// The master data the handheld downloaded (docs/agent.md, "Master data"),
// and the plan that comes with it (agent/plan_held.h):
// its rep's terminals, the products and the distributors, kept in the
// outbox's database with the version they are. Sync collects a Downlink's
// parts as they come (schemas/protocol.capnp) and applies them only once
// the last one is in, in one transaction: a connection lost before that
// leaves the version held as it was, and the next sync asks from it again.

#include <SQLiteCpp/Database.h>

#include <kj/array.h>
#include <capnp/common.h>
#include <capnp/blob.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/plan_held.h"

namespace fieldflow::agent {

// The version held; 0 when nothing was downloaded yet.
std::uint64_t master_version(SQLite::Database& db);
std::uint64_t terminals_known(SQLite::Database& db);

// The role of the handheld's own rep (retail, otc, commercial) as the
// master data held names it; empty when it names none (a gateway from
// before MasterDelta.repRole, or a rep the master data lacks) or nothing
// was downloaded yet. Only a commercial rep is offered the upload.
std::string rep_role(SQLite::Database& db);
// The master version to name in the hello: the one held, or 0 (send it
// whole) when it was applied before the rep's role came with it.
std::uint64_t master_version_to_ask(SQLite::Database& db);

struct KnownTerminal {
    std::string id;
    std::string name;
    double lat = 0, lon = 0, radius_m = 0;
    double distance_m = 0;  // from the position it was looked up from
};

// The known terminal closest to (lat, lon); none when none is known.
std::optional<KnownTerminal> nearest_terminal(SQLite::Database& db, double lat, double lon);
// Terminal `id` with its distance from (lat, lon); none when it is not known.
std::optional<KnownTerminal> known_terminal(SQLite::Database& db, const std::string& id, double lat,
                                            double lon);

// A Downlink's parts as they arrive, checked and kept until the last.
class DownlinkParts {
  public:
    // Takes the next `downlink` frame's bytes. Throws std::runtime_error
    // naming what was wrong: a part that does not inflate within the
    // limit, is not a Downlink, or comes out of order.
    void take(capnp::Data::Reader deflated);
    bool started() const { return !words_.empty(); }
    bool complete() const { return parts_ > 0 && words_.size() == parts_; }

    struct Applied {
        bool changed = false;  // false: the device was up to date
        std::uint64_t from = 0, to = 0;
        std::uint64_t terminals = 0, products = 0, distributors = 0;  // rows added or changed
        std::uint64_t removed = 0;
        std::string rep_role;             // as the master section named it; empty: it named none
        std::optional<PlanApplied> plan;  // the plan held was replaced
    };
    // Applies every part, master data and plan, in one transaction, once
    // complete(). Throws std::runtime_error, with nothing applied, when the
    // master delta is not from the version the device holds or the plan is
    // not one.
    Applied apply(SQLite::Database& db) const;

  private:
    std::vector<kj::Array<capnp::word>> words_;
    std::uint32_t parts_ = 0;
};

}  // namespace fieldflow::agent
