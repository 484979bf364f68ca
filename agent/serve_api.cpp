#include "agent/serve_api.h"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "agent/master_apply.h"
#include "agent/pin_commands.h"
#include "agent/report_commands.h"
#include "agent/scan_command.h"
#include "agent/plan_command.h"
#include "agent/plan_held.h"
#include "agent/today.h"
#include "agent/ui_files.h"
#include "core/clock.h"
#include "core/geo.h"
#include "core/reason.h"
#include "core/reason_detail.h"
#include "core/scan_rules.h"
#include "core/travel_rules.h"
#include "core/visit_rules.h"
#include "schemas/record_codec.h"

namespace fieldflow::agent {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

std::string dumped(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A field of the request that is missing or not what it must be.
struct BadField : std::runtime_error {
    BadField(std::string name, const std::string& why)
        : std::runtime_error(why), field(std::move(name)) {}
    std::string field;
};

json body_of(const UiRequest& request) {
    if (request.body().empty()) return json::object();
    auto body = json::parse(request.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object())
        throw BadField("body", "the body must be one JSON object");
    return body;
}

std::optional<std::string> text(const json& body, const char* name, bool required) {
    auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
        if (required) throw BadField(name, std::string(name) + " is missing");
        return std::nullopt;
    }
    if (!found->is_string()) throw BadField(name, std::string(name) + " must be text");
    auto value = found->get<std::string>();
    if (value.empty()) {
        if (required) throw BadField(name, std::string(name) + " must not be empty");
        return std::nullopt;
    }
    if (value.size() > 1000) throw BadField(name, std::string(name) + " is too long");
    return value;
}

std::optional<std::int64_t> whole(const json& body, const char* name, bool required) {
    auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
        if (required) throw BadField(name, std::string(name) + " is missing");
        return std::nullopt;
    }
    // What the record's Int32 carries.
    if (!found->is_number_integer() || found->get<std::int64_t>() < INT32_MIN ||
        found->get<std::int64_t>() > INT32_MAX)
        throw BadField(name, std::string(name) + " must be a whole number");
    return found->get<std::int64_t>();
}

// A capture sent from 结果 corrects the earlier record named by "corrects"
// (the new record names it; the old one stays). The mark is dropped however
// the capture ends, so that a refused one never lands on the next capture.
class CorrectionMark {
  public:
    CorrectionMark(Outbox& outbox, const json& body) : outbox_(outbox) {
        auto seq = whole(body, "corrects", false);
        if (!seq) return;
        if (*seq < 1 || static_cast<std::uint64_t>(*seq) >= outbox.next_seq())
            throw BadField("corrects", "corrects names no earlier record of this handheld: " +
                                           std::to_string(*seq));
        outbox.correct_next(static_cast<std::uint64_t>(*seq));
    }
    ~CorrectionMark() { outbox_.correct_next(0); }
    CorrectionMark(const CorrectionMark&) = delete;
    CorrectionMark& operator=(const CorrectionMark&) = delete;

  private:
    Outbox& outbox_;
};

// The open visit's line for the capture about to be made (Outbox::list_next),
// dropped however the capture ends, so that a refused one lists nothing.
class ListingMark {
  public:
    ListingMark(Outbox& outbox, VisitLine line) : outbox_(outbox) {
        outbox.list_next(std::move(line));
    }
    ~ListingMark() { outbox_.list_nothing_next(); }
    ListingMark(const ListingMark&) = delete;
    ListingMark& operator=(const ListingMark&) = delete;

  private:
    Outbox& outbox_;
};

std::optional<std::int64_t> yuan(const json& body, const char* name, bool required) {
    auto found = body.find(name);
    if (found == body.end() || found->is_null()) {
        if (required) throw BadField(name, std::string(name) + " is missing");
        return std::nullopt;
    }
    if (!found->is_number() || !std::isfinite(found->get<double>()) || found->get<double>() < 0 ||
        found->get<double>() > max_price_yuan)
        throw BadField(name, std::string(name) + " must be a price in yuan, 0 or more");
    return fen(found->get<double>());
}

bool flag(const json& body, const char* name) {
    auto found = body.find(name);
    if (found == body.end() || found->is_null()) return false;
    if (!found->is_boolean()) throw BadField(name, std::string(name) + " must be true or false");
    return found->get<bool>();
}

UiResponse ok(const UiRequest& request, const json& body) {
    return json_response(request, http::status::ok, dumped(body));
}

UiResponse no_visit(const UiRequest& request) {
    return api_error(request, http::status::conflict, "no_visit", "没有进行中的拜访：请先签到",
                     "no visit is open: check in first");
}

// A capture needs an open visit, unless it corrects a record whose store the
// handheld still knows: that is where the correction is made.
std::optional<UiResponse> without_store(const UiRequest& request, Outbox& outbox,
                                        const json& body) {
    if (outbox.open_visit()) return std::nullopt;
    if (!body.contains("corrects")) return no_visit(request);
    auto seq = whole(body, "corrects", true);
    if (*seq >= 1 && outbox.store_of(static_cast<std::uint64_t>(*seq))) return std::nullopt;
    return api_error(
        request, http::status::conflict, "no_visit",
        "手持机不知道记录 " + std::to_string(*seq) + " 是在哪家门店做的：请到该门店签到后更正",
        "the handheld does not know which store record " + std::to_string(*seq) +
            " was made in: check in there to correct it");
}

// What the page is told when a capture or a PIN check threw something it
// can act on; nullopt for anything else (a bug, or the disk failing).
std::optional<UiResponse> refusal(const UiRequest& request, const std::exception_ptr& thrown) {
    try {
        std::rethrow_exception(thrown);
    } catch (const BadField& e) {
        return api_error(request, http::status::bad_request, "bad_field",
                         "字段 " + e.field + " 有误：" + e.what(), e.what(),
                         dumped({{"field", e.field}}));
    } catch (const Locked& e) {
        return api_error(request, http::status::locked, "locked", "手持机已锁定：请输入 PIN 解锁",
                         e.what());
    } catch (const Refused& e) {
        return api_error(request, http::status::conflict, "refused",
                         "未能保存：" + std::string(e.what()), e.what());
    } catch (const fieldflow::wire::Unencodable& e) {
        return api_error(request, http::status::bad_request, "unencodable", "内容无法记录，未保存",
                         std::string(e.what()) + "; nothing was saved");
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_FULL)
            return api_error(request, http::status::insufficient_storage, "storage_full",
                             "手持机存储已满：请清理空间；未保存（已排队的记录仍会同步）",
                             "the handheld's storage is full: free some space; nothing was saved");
    } catch (...) {
    }
    return std::nullopt;
}

json nullable(const std::optional<std::string>& value) {
    return value ? json(*value) : json(nullptr);
}

std::string terminal_name(SQLite::Database& db, const std::string& terminal) {
    SQLite::Statement q(db, "SELECT name FROM master_terminals WHERE terminal = ?1");
    q.bind(1, terminal);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

// The open visit as GET /api/state and GET /api/visit show it.
json visit_json(Outbox& outbox, const OpenVisit& open) {
    return {{"terminal", open.terminal},
            {"terminal_name", terminal_name(outbox.database(), open.terminal)},
            {"started_ms", open.since_ms},
            {"seq", open.check_in_seq}};
}

// The photo a field names, which must be one kept here; none when the
// field is absent.
std::optional<std::string> kept_photo_named(const json& body,
                                            const std::filesystem::path& state_dir) {
    auto photo = text(body, "photo", false);
    if (photo && (photo->size() != 64 ||
                  !std::filesystem::is_regular_file(kept_photo_path(state_dir, *photo))))
        throw BadField("photo", "photo names no photo kept here: send it to /api/photos first");
    return photo;
}

// The product a text names: its id, or a GTIN of the catalogue.
std::optional<Outbox::CatalogEntry> product_named(Outbox& outbox, const std::string& text) {
    for (auto& entry : outbox.catalog()) {
        if (entry.product == text) return entry;
        if (!entry.gtin.empty() && !text.empty()) {
            auto digits = [](std::string s) {
                s.erase(0, std::min(s.find_first_not_of('0'), s.size()));
                return s;
            };
            if (digits(entry.gtin) == digits(text)) return entry;
        }
    }
    return std::nullopt;
}

const std::set<std::string>& report_kinds() {
    static const std::set<std::string> kinds{"sale", "purchase", "promotion", "display",
                                             "competitor"};
    return kinds;
}

UiResponse no_pin(const UiRequest& request) {
    return api_error(request, http::status::conflict, "no_pin", "尚未设置 PIN：请先设置 PIN",
                     "no PIN is set on this handheld: set one first");
}

// A wrong PIN, named by `field`: the tries left, or (the last try gone)
// until when no PIN is taken.
UiResponse wrong_pin(const UiRequest& request, const WrongPin& wrong, const char* field) {
    auto zh = wrong.locked_until_ms
                  ? "PIN 错误次数过多：请于 " + core::clock_time(wrong.locked_until_ms) +
                        " 后再试，不会删除任何数据"
                  : "PIN 错误，还可尝试 " + std::to_string(wrong.tries_left) + " 次";
    return api_error(request, http::status::forbidden, "wrong_pin", zh, wrong.what(),
                     dumped({{"field", field},
                             {"tries_left", wrong.tries_left},
                             {"locked_until_ms", wrong.locked_until_ms}}));
}

UiResponse locked_out(const UiRequest& request, std::int64_t until_ms) {
    return api_error(
        request, http::status::too_many_requests, "locked_out",
        "PIN 错误次数过多：请于 " + core::clock_time(until_ms) + " 后再试，不会删除任何数据",
        "too many wrong PINs: try again after " + core::clock_time(until_ms) +
            " (China time); nothing is wiped",
        dumped({{"until_ms", until_ms}}));
}

// A PIN as the body gives it, held to the rules before Argon2id runs: a
// PIN that cannot be right costs no try.
std::string pin_named(const json& body, const char* name) {
    auto pin = *text(body, name, true);
    try {
        check_pin_rules(pin);
    } catch (const Refused& e) {
        throw BadField(name, e.what());
    }
    return pin;
}

}  // namespace

ServeApi::ServeApi(ServeContext context) : context_(std::move(context)) {}

void ServeApi::captured() {
    if (context_.sync) context_.sync->kick();
    context_.publish("state", state_text());
}

std::string ServeApi::state_text() const {
    return dumped(state());
}

json ServeApi::state() const {
    auto& outbox = context_.outbox;
    json out;
    auto lock = outbox.lock_state();
    out["lock"] = {{"status", lock_status_name(lock.status)},
                   {"failures", lock.failures},
                   {"locked_until_ms", lock.locked_until_ms}};
    // Locked, the state tells how much waits, never what: neither the open
    // visit (sealed) nor the codes the scan engine read.
    bool readable = lock.status != LockStatus::locked;
    auto sync = context_.sync ? context_.sync->state() : SyncState{};
    out["online"] = sync.online;
    out["last_sync_ms"] = sync.last_sync_ms ? json(sync.last_sync_ms) : json(nullptr);
    auto ack = outbox.last_ack();
    out["last_delivered_ms"] = ack ? json(ack->at_ms) : json(nullptr);
    out["records_waiting"] = outbox.depth();
    out["photos_waiting"] = outbox.photo_counts().queued;
    if (auto fix = context_.gps.current()) {
        out["fix"] = {{"lat", fix->fix.lat},
                      {"lon", fix->fix.lon},
                      {"accuracy_m", fix->fix.accuracy_m},
                      {"age_s", fix->age_ms / 1000}};
    } else {
        out["fix"] = nullptr;
    }
    auto open = readable ? outbox.open_visit() : std::nullopt;
    out["visit"] = open ? visit_json(outbox, *open) : json(nullptr);
    out["master_version"] = master_version(outbox.database());
    // null until a downlink names it: the page then offers no 上传.
    auto role = rep_role(outbox.database());
    out["rep_role"] = role.empty() ? json(nullptr) : json(role);
    // Codes the scan engine read that could not be saved (no visit open).
    out["unsaved_codes"] = readable ? unsaved_codes_ : json::array();
    // None until the plan downlink brought one.
    auto plan = held_plan(outbox.database());
    out["plan_version"] = plan ? json(plan->version) : json(nullptr);
    return out;
}

json ServeApi::scan_line_json(const std::string& code) {
    auto& outbox = context_.outbox;
    auto now = core::unix_now_ms();
    auto today = core::date_of_ms(now);
    auto scanned = read_scan_line(code, today.year);
    if (!scanned) throw BadField("code", "code is empty");
    const auto& c = scanned->content;
    json scan;
    scan["code"] = c.text;
    scan["kind"] = std::string(core::name(c.kind));
    scan["gtin"] = nullable(c.gtin);
    scan["lot"] = nullable(c.lot);
    scan["expiry"] = c.expiry ? json(c.expiry->iso()) : json(nullptr);
    scan["serial"] = c.drug_code ? json(c.drug_code->serial) : nullable(c.serial);
    scan["product"] = nullptr;
    scan["product_name"] = nullptr;
    json warnings = json::array();
    auto master = catalog_master(outbox.catalog());
    if (c.kind == core::ContentKind::raw) {
        warnings.push_back("unparsed_code");
    } else if (const auto* product = core::product_for(master, c)) {
        scan["product"] = product->id;
        scan["product_name"] = product->name;
    } else {
        warnings.push_back("unknown_product");
    }
    if (core::not_expired(c, today)) warnings.push_back("expired");
    if (today_ != today.iso()) {
        // Read again after a restart or at midnight: the outbox lists the packs by day.
        packs_today_ = outbox.packs_scanned_on(today.iso());
        today_ = today.iso();
    }
    auto pack = c.pack_identity();
    if (!pack.empty() && packs_today_.count(pack)) warnings.push_back("serial_seen_today");
    scan["warnings"] = warnings;
    {
        ListingMark listing(outbox, {0, "scans", dumped(scan), pack, today_});
        save_scan_line(outbox, *scanned);
    }
    if (!pack.empty()) packs_today_.insert(pack);
    scan["seq"] = scanned->seq;
    return scan;
}

void ServeApi::scanned_by_engine(const std::string& code) {
    json failed;
    try {
        if (context_.outbox.open_visit()) {
            auto scan = scan_line_json(code);
            context_.publish("scan", dumped(scan));
            captured();
            return;
        }
        failed = {{"error", "no_visit"},
                  {"message", "没有进行中的拜访：扫到的码未保存，请先签到"},
                  {"message_en", "no visit is open: the code was not saved; check in first"}};
    } catch (const Locked&) {
        failed = {{"error", "locked"},
                  {"message", "手持机已锁定：扫到的码未保存，请先输入 PIN 解锁"},
                  {"message_en",
                   "the handheld is locked: the code was not saved; unlock it "
                   "with the PIN first"}};
    } catch (const std::exception& e) {
        failed = {{"error", "not_saved"},
                  {"message", "扫到的码未能保存"},
                  {"message_en", std::string("the code was not saved: ") + e.what()}};
    }
    failed["code"] = code;
    failed["at_ms"] = core::unix_now_ms();
    unsaved_codes_.push_back(failed);
    // Kept for the page, the most recent ones only.
    if (unsaved_codes_.size() > 100) unsaved_codes_.erase(unsaved_codes_.begin());
    context_.publish("scan_error", dumped(failed));
}

json ServeApi::visit() const {
    auto& outbox = context_.outbox;
    auto open = outbox.open_visit();
    if (!open) return nullptr;
    auto out = visit_json(outbox, *open);
    // As listed with each capture, in the outbox: a restarted agent shows
    // the same lists, also of records the gateway has acked since.
    out["scans"] = json::array();
    out["counts"] = json::array();
    out["reports"] = json::array();
    for (const auto& line : outbox.visit_lines()) {
        auto shown = json::parse(line.shown, nullptr, false);
        if (shown.is_discarded() || !out.contains(line.list)) continue;
        shown["seq"] = line.seq;
        out[line.list].push_back(shown);
    }
    out["unsaved_codes"] = unsaved_codes_;
    return out;
}

json ServeApi::terminals() const {
    auto& db = context_.outbox.database();
    auto fix = context_.gps.current();
    json list = json::array();
    SQLite::Statement q(db,
                        "SELECT terminal, name, address, lat, lon, radius_m FROM master_terminals");
    while (q.executeStep()) {
        json t{{"terminal", q.getColumn(0).getString()},
               {"name", q.getColumn(1).getString()},
               {"address", q.getColumn(2).getString()},
               {"radius_m", q.getColumn(5).getDouble()}};
        t["distance_m"] = fix ? json(std::round(core::distance_m(fix->fix.lat, fix->fix.lon,
                                                                 q.getColumn(3).getDouble(),
                                                                 q.getColumn(4).getDouble())))
                              : json(nullptr);
        list.push_back(t);
    }
    // Nearest first; with no fix, by id.
    std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
        if (a["distance_m"].is_null() || b["distance_m"].is_null())
            return a["terminal"].get<std::string>() < b["terminal"].get<std::string>();
        return a["distance_m"].get<double>() < b["distance_m"].get<double>();
    });
    return list;
}

json ServeApi::results() const {
    json list = json::array();
    for (const auto& acked : context_.outbox.verdicts(200)) {
        json reasons = json::array();
        for (const auto& r : acked.reasons) {
            auto code = core::reason_from_name(r.code);
            json reason{{"code", r.code},
                        {"name", code ? std::string(core::chinese_name(*code)) : r.code},
                        {"detail", r.detail}};
            if (auto chinese = core::chinese_detail(r.detail)) reason["detail_zh"] = *chinese;
            reasons.push_back(reason);
        }
        json item{{"seq", acked.seq},
                  {"kind", acked.kind},
                  {"verdict", acked.verdict},
                  {"reasons", reasons}};
        if (!acked.terminal.empty()) {
            item["terminal"] = acked.terminal;
            item["terminal_name"] = terminal_name(context_.outbox.database(), acked.terminal);
        }
        list.push_back(item);
    }
    return {{"results", list}};
}

UiResponse ServeApi::photo(const UiRequest& request) {
    auto type = request[http::field::content_type];
    std::string extension = type.starts_with("image/jpeg")  ? ".jpg"
                            : type.starts_with("image/png") ? ".png"
                                                            : "";
    if (extension.empty())
        return api_error(request, http::status::unsupported_media_type, "not_an_image",
                         "照片须为 JPEG 或 PNG", "the photo must be image/jpeg or image/png");
    if (request.body().empty())
        return api_error(request, http::status::bad_request, "empty_photo", "照片是空的",
                         "the photo is empty", R"({"field":"body"})");
    // Kept straight from memory: on a sealed outbox the photo never
    // reaches the flash in the clear.
    auto kept = context_.outbox.keep_photo_bytes("upload" + extension,
                                                 {request.body().data(), request.body().size()});
    return ok(request, {{"photo", kept.sha256}});
}

UiResponse ServeApi::checkin(const UiRequest& request, const json& body) {
    auto& outbox = context_.outbox;
    auto terminal = *text(body, "terminal", true);
    auto reason = text(body, "reason", false);
    auto photo = kept_photo_named(body, context_.state_dir);
    auto fix = context_.gps.current();
    if (!fix || fix->status == core::FixStatus::no_fix || fix->status == core::FixStatus::stale_fix)
        return api_error(
            request, http::status::conflict, "no_fix",
            fix ? "GPS 定位已过时：请到室外或稍候再试" : "还没有 GPS 定位：请到室外或稍候再试",
            fix ? "the GPS fix is stale: step outside or wait a moment"
                : "no GPS fix yet: step outside or wait a moment",
            fix ? dumped({{"age_s", fix->age_ms / 1000}}) : std::string());
    core::CheckIn in;
    in.terminal = terminal;
    in.lat = fix->fix.lat;
    in.lon = fix->fix.lon;
    in.accuracy_m = fix->fix.accuracy_m;
    in.fix = fix->status == core::FixStatus::ok ? core::FixJudgement::ok
                                                : core::FixJudgement::low_accuracy;
    in.fix_age_ms = fix->age_ms;
    if (reason) in.reason = *reason;
    auto& db = outbox.database();
    auto at = known_terminal(db, terminal, in.lat, in.lon);
    if (!at && terminals_known(db) > 0)
        throw BadField("terminal",
                       "terminal " + terminal + " is not in this handheld's master data");
    json place = {{"distance_m", nullptr}, {"radius_m", nullptr}, {"inside", nullptr}};
    if (at) {
        // As the gateway judges it (core::within_geofence).
        bool inside = at->distance_m <= at->radius_m + core::accuracy_benefit_m(in.accuracy_m);
        place = {{"distance_m", std::round(at->distance_m)},
                 {"radius_m", at->radius_m},
                 {"inside", inside}};
        if (!inside && !reason)
            return api_error(
                request, http::status::conflict, "outside_geofence",
                "距离" + (at->name.empty() ? at->id : at->name) + " " +
                    std::to_string(std::llround(at->distance_m)) + " 米，超出范围 " +
                    std::to_string(std::llround(at->radius_m)) + " 米：请填写原因后再签到",
                "you are " + std::to_string(std::llround(at->distance_m)) + " m from " + at->id +
                    ", beyond its radius of " + std::to_string(std::llround(at->radius_m)) +
                    " m: give a reason to check in anyway",
                dumped(place));
    }
    if (photo) {
        in.photo_sha256 = *photo;
        in.photo_file = "storefront-" + photo->substr(0, 12);
    }
    auto done = outbox.check_in(in);
    place["seq"] = done.seq;
    captured();
    return ok(request, place);
}

UiResponse ServeApi::count(const UiRequest& request, const json& body) {
    auto& outbox = context_.outbox;
    if (auto refused = without_store(request, outbox, body)) return *refused;
    auto gtin = text(body, "gtin", false);
    auto product = text(body, "product", false);
    if (!gtin && !product) throw BadField("product", "product or gtin is missing");
    auto quantity = *whole(body, "quantity", true);
    auto lot = text(body, "lot", false).value_or("");
    std::string id;
    if (product) {
        id = *product;
    } else {
        auto entry = product_named(outbox, *gtin);
        if (!entry) throw BadField("gtin", "gtin " + *gtin + " is not in the handheld's catalogue");
        id = entry->product;
    }
    json shown = {{"product", id}, {"lot", lot}, {"quantity", quantity}};
    if (body.contains("corrects")) shown["corrects"] = body["corrects"];
    CorrectionMark correcting(outbox, body);
    // A correction made from 结果 with no visit open belongs to no visit:
    // the outbox lists it nowhere.
    ListingMark listing(outbox, {0, "counts", dumped(shown), {}, {}});
    auto seq = outbox.count(id, quantity, lot);
    captured();
    return ok(request, {{"seq", seq}});
}

UiResponse ServeApi::report(const UiRequest& request, const std::string& kind, const json& body) {
    auto& outbox = context_.outbox;
    if (auto refused = without_store(request, outbox, body)) return *refused;
    core::Payload payload;
    if (kind == "sale") {
        core::TerminalSales r;
        r.product = *text(body, "product", true);
        r.qty = *whole(body, "qty", true);
        r.since = text(body, "since", false).value_or("");
        payload = r;
    } else if (kind == "purchase") {
        core::Purchase r;
        r.product = *text(body, "product", true);
        r.qty = *whole(body, "qty", true);
        r.lot = text(body, "lot", false).value_or("");
        r.supplier = *text(body, "supplier", true);
        payload = r;
    } else if (kind == "promotion") {
        core::Promotion r;
        r.product = *text(body, "product", true);
        r.kind = *text(body, "kind", true);
        r.price_fen = *yuan(body, "price", true);
        r.start = *text(body, "from", true);
        r.end = *text(body, "to", true);
        payload = r;
    } else if (kind == "display") {
        core::Display r;
        r.product = *text(body, "product", true);
        r.facings = *whole(body, "facings", true);
        r.shelf_position = *text(body, "position", true);
        r.special = flag(body, "special");
        if (auto photo = kept_photo_named(body, context_.state_dir)) {
            r.photo_sha256 = *photo;
            r.photo_file = "display-" + photo->substr(0, 12);
        }
        payload = r;
    } else {
        core::Competitor r;
        r.brand = *text(body, "brand", true);
        r.product = *text(body, "product", true);
        r.price_fen = yuan(body, "price", false).value_or(0);
        r.note = text(body, "note", false).value_or("");
        payload = r;
    }
    std::ostringstream said;
    auto shown = body;
    shown["kind"] = kind;
    CorrectionMark correcting(outbox, body);
    ListingMark listing(outbox, {0, "reports", dumped(shown), {}, {}});
    auto seq = save_visit_report(outbox, payload, said);
    captured();
    return ok(request, {{"seq", seq}});
}

UiResponse ServeApi::checkout(const UiRequest& request) {
    auto& outbox = context_.outbox;
    auto open = outbox.open_visit();
    if (!open) return no_visit(request);
    auto seq = outbox.check_out();
    captured();
    return ok(request,
              {{"seq", seq}, {"duration_s", (core::unix_now_ms() - open->since_ms) / 1000}});
}

void ServeApi::unlock(const UiRequest& request, const json& body, const UiReply& reply) {
    if (context_.outbox.lock_state().status == LockStatus::no_pin) return reply(no_pin(request));
    auto pin = pin_named(body, "pin");
    UiRequest asked;
    asked.version(request.version());
    context_.pins.run([pin](Outbox& outbox) { outbox.unlock(pin, default_unlock_hold); },
                      [this, asked, reply](const std::exception_ptr& thrown) {
                          auto answer = pin_checked(asked, thrown, "pin", json::object());
                          // What waited for the key can go now.
                          if (!thrown && context_.sync) context_.sync->kick();
                          reply(std::move(answer));
                      });
}

void ServeApi::set_pin(const UiRequest& request, const json& body, const UiReply& reply) {
    auto pin = pin_named(body, "pin");
    bool first = context_.outbox.lock_state().status == LockStatus::no_pin;
    std::optional<std::string> current;
    if (!first) current = pin_named(body, "current");
    UiRequest asked;
    asked.version(request.version());
    context_.pins.run(
        [pin, current](Outbox& outbox) {
            if (current)
                outbox.set_pin(pin, default_unlock_hold, *current);
            else
                outbox.set_pin(pin, default_unlock_hold);
        },
        [this, asked, reply, first](const std::exception_ptr& thrown) {
            reply(pin_checked(asked, thrown, "current", {{"changed", !first}}));
        });
}

UiResponse ServeApi::pin_checked(const UiRequest& request, const std::exception_ptr& thrown,
                                 const char* field, json ok_body) {
    try {
        if (thrown) std::rethrow_exception(thrown);
    } catch (const WrongPin& e) {
        lock_changed();
        return wrong_pin(request, e, field);
    } catch (const LockedOut& e) {
        return locked_out(request, e.until_ms);
    } catch (...) {
        if (auto answer = refusal(request, std::current_exception())) return *answer;
        // Answered here, on the io thread: nothing above would catch it.
        std::string what = "unknown";
        try {
            std::rethrow_exception(thrown);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        return api_error(request, http::status::internal_server_error, "internal", "内部错误",
                         "internal error: " + what);
    }
    lock_changed();
    ok_body["lock"] = state()["lock"];
    return ok(request, ok_body);
}

bool ServeApi::answer_later(const UiRequest& request, const UiReply& reply) {
    std::string target(request.target());
    auto path = target.substr(0, target.find('?'));
    if (request.method() != http::verb::post || (path != "/api/unlock" && path != "/api/pin"))
        return false;
    try {
        auto body = body_of(request);
        if (path == "/api/unlock")
            unlock(request, body, reply);
        else
            set_pin(request, body, reply);
    } catch (const BadField&) {
        reply(*refusal(request, std::current_exception()));
    }
    return true;
}

void ServeApi::lock_changed() {
    context_.publish("state", state_text());
}

UiResponse ServeApi::answer(const UiRequest& request) {
    std::string target(request.target());
    auto query = target.find('?');
    std::string path = target.substr(0, query);
    const bool get = request.method() == http::verb::get;
    const bool post = request.method() == http::verb::post;
    if (!path.starts_with("/api/")) {
        if (!get && request.method() != http::verb::head)
            return api_error(request, http::status::method_not_allowed, "method",
                             "不支持的请求方法", "only GET serves the page's files");
        return static_file(request, context_.web_dir, path);
    }
    try {
        if (get && path == "/api/session") {
            auto identity = context_.outbox.identity();
            return ok(request, {{"token", context_.token},
                                {"device", identity ? json(identity->device) : json(nullptr)},
                                {"rep", identity ? json(identity->rep) : json(nullptr)},
                                {"version", context_.version}});
        }
        if (get && path == "/api/state") return ok(request, state());
        if (get && path == "/api/terminals") return ok(request, {{"terminals", terminals()}});
        if (get && path == "/api/visit") {
            auto open = visit();
            if (open.is_null()) {
                auto none = no_visit(request);
                none.result(http::status::not_found);
                return none;
            }
            return ok(request, open);
        }
        if (get && path == "/api/results") return ok(request, results());
        if (get && path == "/api/today") {
            std::optional<core::Fix> fix;
            if (auto current = context_.gps.current()) fix = current->fix;
            return ok(request, today_json(today(context_.outbox, fix, core::unix_now_ms())));
        }
        if (post && path == "/api/photos") return photo(request);
        if (post && path == "/api/sync") {
            if (!context_.sync)
                return api_error(request, http::status::conflict, "no_gateway",
                                 "未配置网关，无法同步", "serve was started without --gateway");
            context_.sync->kick();
            return ok(request, {{"started", true}});
        }
        if (post && path == "/api/checkout") return checkout(request);
        if (post && (path == "/api/upload" || path == "/api/upload/check"))
            return upload(request, path == "/api/upload");
        if (post) {
            auto body = body_of(request);
            if (path == "/api/lock") {
                if (context_.outbox.lock_state().status == LockStatus::no_pin)
                    return no_pin(request);
                context_.outbox.lock();
                lock_changed();
                return ok(request, {{"lock", state()["lock"]}});
            }
            if (path == "/api/checkin") return checkin(request, body);
            if (path == "/api/count") return count(request, body);
            if (path == "/api/scan") {
                if (!context_.outbox.open_visit()) return no_visit(request);
                auto code = *text(body, "code", true);
                if (code.find('\n') != std::string::npos)
                    throw BadField("code", "code must be one line");
                auto scan = scan_line_json(code);
                context_.publish("scan", dumped(scan));
                captured();
                return ok(request, scan);
            }
            if (path.starts_with("/api/report/") && report_kinds().count(path.substr(12)))
                return report(request, path.substr(12), body);
        }
        return api_error(request, http::status::not_found, "not_found", "没有这个接口",
                         "no such API: " + std::string(request.method_string()) + " " + path);
    } catch (...) {
        if (auto answer = refusal(request, std::current_exception())) return *answer;
        throw;
    }
}

}  // namespace fieldflow::agent
