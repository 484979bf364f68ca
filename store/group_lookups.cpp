// GatewayStore::look_up_together: a group's questions, asked a few dozen
// devices a statement, and the answers given back by the lookups that
// would otherwise ask one device at a time.

#include "store/group_lookups.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace fieldflow::store {

namespace {
using sql::Reset;

// Each device's spans merged into one that covers them all.
std::map<std::string, std::pair<std::int64_t, std::int64_t>> merged(
    const std::vector<GatewayStore::Questions::Span>& spans) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& s : spans) {
        auto [at, added] = out.try_emplace(s.device, s.from, s.to);
        if (added) continue;
        at->second.first = std::min(at->second.first, s.from);
        at->second.second = std::max(at->second.second, s.to);
    }
    return out;
}

// Runs `each` over `items` a statement's worth at a time.
template <class Items, class Each>
void in_chunks(const Items& items, Each each) {
    auto it = items.begin();
    for (std::size_t left = items.size(); left > 0;) {
        std::size_t n = std::min(sql::RepeatedStatement::most, left);
        std::vector<typename Items::const_iterator> chunk;
        for (std::size_t i = 0; i < n; ++i) chunk.push_back(it++);
        each(chunk);
        left -= n;
    }
}

// The devices, each with its span, as a table w(device, lo, hi) for the
// statement's tail to join.
constexpr const char* spans_head = "WITH w (device, lo, hi) AS (VALUES ";
constexpr const char* span_row = "(CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT))";

// As check_ins_around asks, for every device at once: the correlated
// lookups find the neighbours before and after on records_check_ins_in_order.
std::string check_ins_tail() {
    std::string neighbour =
        "(SELECT id FROM records WHERE device = w.device AND kind = 'check_in' ";
    return ") SELECT w.device, r.seq, r.captured_at_ms, r.raw FROM w "
           "JOIN records r ON r.device = w.device AND r.kind = 'check_in' "
           "AND r.captured_at_ms BETWEEN w.lo AND w.hi "
           "UNION ALL SELECT w.device, r.seq, r.captured_at_ms, r.raw FROM w "
           "JOIN records r ON r.id = " +
           neighbour +
           "AND captured_at_ms < w.lo ORDER BY captured_at_ms DESC, seq DESC LIMIT 1) "
           "UNION ALL SELECT w.device, r.seq, r.captured_at_ms, r.raw FROM w "
           "JOIN records r ON r.id = " +
           neighbour + "AND captured_at_ms > w.hi ORDER BY captured_at_ms, seq LIMIT 1)";
}

template <class Chunk>
void bind_spans(sql::Statement& q, const Chunk& chunk) {
    int parameter = 0;
    for (const auto& at : chunk) {
        q.bind(++parameter, at->first);
        q.bind(++parameter, at->second.first);
        q.bind(++parameter, at->second.second);
    }
}
}  // namespace

GatewayStore::Answers::Answers(sql::Database& db)
    : credentials(db,
                  "SELECT device, rep, token_sha256, enrolled_at_ms, revoked_at_ms "
                  "FROM device_credentials WHERE device IN (",
                  "?", ")"),
      open_visits(db, "SELECT device, terminal, check_in_seq FROM open_visits WHERE device IN (",
                  "?", ")"),
      seqs(db, spans_head, span_row,
           ") SELECT w.device, r.seq FROM w JOIN records r "
           "ON r.device = w.device AND r.seq BETWEEN w.lo AND w.hi "
           "UNION SELECT w.device, q.seq FROM w JOIN quarantine q "
           "ON q.device = w.device AND q.sender = w.device "
           "AND q.seq BETWEEN w.lo AND w.hi ORDER BY 1, 2"),
      check_ins(db, spans_head, span_row, check_ins_tail()) {}

void GatewayStore::look_up_together(const Questions& questions) {
    if (db_->write_transaction() == 0) return;
    auto* known = answers_->known.get(*db_);
    if (!known) known = &answers_->known.set(*db_, {});

    std::set<std::string> credentials(questions.credentials.begin(), questions.credentials.end());
    in_chunks(credentials, [&](const auto& chunk) {
        auto& q = answers_->credentials.with(chunk.size());
        Reset reset{q};
        int parameter = 0;
        for (const auto& device : chunk) {
            q.bind(++parameter, *device);
            known->credentials[*device] = std::nullopt;
        }
        while (q.step()) known->credentials[q.text(0)] = credential_from_row(q.text(0), q, 1);
    });

    // Only visits this transaction has not read or written already.
    auto* visits = visits_.get(*db_);
    if (!visits) visits = &visits_.set(*db_, {});
    std::set<std::string> unread;
    for (const auto& device : questions.open_visits)
        if (!visits->contains(device)) unread.insert(device);
    in_chunks(unread, [&](const auto& chunk) {
        auto& q = answers_->open_visits.with(chunk.size());
        Reset reset{q};
        int parameter = 0;
        for (const auto& device : chunk) {
            q.bind(++parameter, *device);
            (*visits)[*device] = std::nullopt;
        }
        while (q.step())
            (*visits)[q.text(0)] =
                core::OpenVisit{q.text(1), static_cast<std::uint64_t>(q.int64(2))};
    });

    send_held();  // what this transaction holds back counts
    auto seqs = merged(questions.seqs);
    in_chunks(seqs, [&](const auto& chunk) {
        auto& q = answers_->seqs.with(chunk.size());
        Reset reset{q};
        bind_spans(q, chunk);
        for (const auto& at : chunk)
            known->seqs[at->first] = {at->second.first, at->second.second, {}};
        while (q.step())
            known->seqs[q.text(0)].found.push_back(static_cast<std::uint64_t>(q.int64(1)));
    });

    auto check_ins = merged(questions.check_ins);
    in_chunks(check_ins, [&](const auto& chunk) {
        auto& q = answers_->check_ins.with(chunk.size());
        Reset reset{q};
        bind_spans(q, chunk);
        for (const auto& at : chunk)
            known->check_ins[at->first] = {at->second.first, at->second.second, {}};
        while (q.step()) {
            auto raw = q.blob(3);
            known->check_ins[q.text(0)].found.push_back(
                {static_cast<std::uint64_t>(q.int64(1)), q.int64(2),
                 std::vector<std::byte>(raw.begin(), raw.end())});
        }
    });
}

Credential credential_from_row(std::string device, const sql::Statement& row, int first) {
    Credential c;
    c.device = std::move(device);
    c.rep = row.text(first);
    auto blob = row.blob(first + 1);
    auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
    c.token_sha256.assign(bytes, bytes + blob.size());
    c.enrolled_at_ms = row.int64(first + 2);
    if (!row.is_null(first + 3)) c.revoked_at_ms = row.int64(first + 3);
    return c;
}

void GatewayStore::answers_gain(const std::string& device, std::uint64_t seq,
                                std::optional<std::int64_t> check_in_at,
                                std::span<const std::byte> raw) {
    auto* known = answers_->known.get(*db_);
    if (!known) return;
    // A seq past the span asked stays out: a wider question reads the store.
    if (auto at = known->seqs.find(device); at != known->seqs.end()) {
        auto& span = at->second;
        auto n = static_cast<std::int64_t>(seq);
        auto& found = span.found;  // in order, as answered_seqs gives them
        auto place = std::lower_bound(found.begin(), found.end(), seq);
        if (n >= span.from && n <= span.to && (place == found.end() || *place != seq))
            found.insert(place, seq);
    }
    // Any check-in counts, inside the span or as a nearer neighbour of it.
    if (check_in_at)
        if (auto at = known->check_ins.find(device); at != known->check_ins.end())
            at->second.found.push_back({seq, *check_in_at, {raw.begin(), raw.end()}});
}

std::optional<std::vector<std::uint64_t>> GatewayStore::answered_seqs(const std::string& device,
                                                                      std::uint64_t first,
                                                                      std::uint64_t last) {
    auto* known = answers_->known.get(*db_);
    if (!known) return std::nullopt;
    auto at = known->seqs.find(device);
    if (at == known->seqs.end() || at->second.from > static_cast<std::int64_t>(first) ||
        at->second.to < static_cast<std::int64_t>(last))
        return std::nullopt;
    std::vector<std::uint64_t> seqs;
    for (auto seq : at->second.found)
        if (seq >= first && seq <= last) seqs.push_back(seq);
    return seqs;
}

std::optional<std::vector<StoredCheckIn>> GatewayStore::answered_check_ins(
    const std::string& device, std::int64_t from_ms, std::int64_t to_ms) {
    auto* known = answers_->known.get(*db_);
    if (!known) return std::nullopt;
    auto at = known->check_ins.find(device);
    if (at == known->check_ins.end() || at->second.from > from_ms || at->second.to < to_ms)
        return std::nullopt;
    // Those inside the span, and the nearest on each side of it: the answer
    // for a wider span holds them all.
    std::vector<const StoredCheckIn*> sorted;
    for (const auto& c : at->second.found) sorted.push_back(&c);
    auto order = [](const StoredCheckIn* a, const StoredCheckIn* b) {
        return std::tie(a->captured_at_ms, a->seq) < std::tie(b->captured_at_ms, b->seq);
    };
    std::sort(sorted.begin(), sorted.end(), order);
    std::vector<StoredCheckIn> out;
    const StoredCheckIn* before = nullptr;
    const StoredCheckIn* after = nullptr;
    for (const auto* c : sorted) {
        if (c->captured_at_ms < from_ms)
            before = c;
        else if (c->captured_at_ms > to_ms) {
            if (!after) after = c;
        } else {
            out.push_back(*c);
        }
    }
    if (before) out.push_back(*before);
    if (after) out.push_back(*after);
    return out;
}

std::optional<std::optional<Credential>> GatewayStore::answered_credential(
    const std::string& device) {
    auto* known = answers_->known.get(*db_);
    if (!known) return std::nullopt;
    auto at = known->credentials.find(device);
    if (at == known->credentials.end()) return std::nullopt;
    return at->second;
}

}  // namespace fieldflow::store
