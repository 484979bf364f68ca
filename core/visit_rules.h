#pragma once
// The rules a store visit's records must satisfy. Each rule is a pure
// function of the record and the facts it needs, returning the reason it
// fails or nothing; validate() composes them.

#include <cstdint>
#include <optional>
#include <string>

#include "core/anomalies.h"
#include "core/channel_facts.h"
#include "core/master_data.h"
#include "core/reason.h"
#include "core/record.h"
#include "core/scan_content.h"

namespace fieldflow::core {

// The device's visit that is open at the time a record is judged, as the
// store knows it from the records committed before.
struct OpenVisit {
    std::string terminal;
    std::uint64_t check_in_seq = 0;

    bool operator==(const OpenVisit&) const = default;
};

std::optional<Reason> rep_known(const MasterData& master, const std::string& rep);
std::optional<Reason> terminal_known(const MasterData& master, const std::string& terminal);
std::optional<Reason> product_known(const MasterData& master, const std::string& product);
std::optional<Reason> within_territory(const Rep& rep, const Terminal& terminal);
std::optional<Reason> within_geofence(const Terminal& terminal, const CheckIn& fix);
// The metres a fix's stated accuracy adds to a geofence's radius: a fix is
// only known to within it, so the rep gets the benefit of it; a negative or
// missing accuracy gives none. The handheld asks the same before it saves.
double accuracy_benefit_m(double accuracy_m);
std::optional<Reason> fix_trusted(const CheckIn& fix);
std::optional<Reason> quantity_not_negative(std::int64_t qty);
std::optional<Reason> closes_open_visit(const CheckOut& out, const std::optional<OpenVisit>& open);
std::optional<Reason> inside_open_visit(const std::string& terminal,
                                        const std::optional<OpenVisit>& open);

// Facts from the store that only some records need.
struct StoredFacts {
    std::optional<std::string> pack_seen_at;  // for a scan: where the same pack was scanned before
    bool corrected_record_stored = false;     // the record named by `corrects` is in the store
    // The store of the visit the corrected record was made in, as
    // visit_of_corrected() finds it; none when it was made in none.
    std::optional<std::string> corrected_visit;
    const ChannelFacts* channel = nullptr;  // the distribution books, when the gateway has them
    Tolerance tolerance;                    // for stock against the books
    // For a record with a photo: the earlier record of another visit that
    // carried the same photo (device, seq, terminal, time), as the store
    // describes it; absent when the photo is new.
    std::optional<std::string> photo_sent_with;
};

// A photo is evidence of one visit: the same one sent with another record
// is flagged, naming that record.
std::optional<Reason> photo_not_reused(const StoredFacts& facts);

// A correction must name an earlier record of the same device that the
// gateway has; otherwise it is flagged, and kept.
std::optional<Reason> correction_known(const Record& record, const StoredFacts& facts);

// The store of the visit a stored record was made in, given the reasons it
// was judged with: its own store, unless it was found outside any visit
// there. A correction is judged by that visit rather than by the visit open
// when it arrives: a rep sees a rejected count hours later, away from the
// store, and corrects it with no visit open.
std::optional<std::string> visit_of_corrected(const Record& corrected,
                                              const std::vector<Reason>& reasons);

// What a record says by itself, against master data alone: the part of its
// judgement that needs nothing the store holds, so that it can be made on
// whichever thread reads the record rather than on the one that books it.
struct OwnFindings {
    Verdict verdict;                     // every reason found without the store
    std::optional<ScanContent> content;  // a scan's code, as classified
};
OwnFindings examine(const Record& record, const MasterData& master);

// The full judgement of one record: what examine() found for this very
// record, then the rules that need the store's facts.
Verdict validate(const Record& record, const MasterData& master, OwnFindings own,
                 const std::optional<OpenVisit>& open, const StoredFacts& facts);
Verdict validate(const Record& record, const MasterData& master,
                 const std::optional<OpenVisit>& open, const StoredFacts& facts = {});

// The open visit after `record` is booked with `verdict`.
std::optional<OpenVisit> next_open_visit(const Record& record, const Verdict& verdict,
                                         const std::optional<OpenVisit>& open);

}  // namespace fieldflow::core
