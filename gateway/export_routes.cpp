#include "gateway/json_reply.h"
#include "gateway/export_routes.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "core/anomalies.h"
#include "core/reason.h"
#include "core/territory_scope.h"
#include "gateway/scoped_pages.h"
#include "net/http_query.h"
#include "schemas/payload_json.h"
#include "store/distribution_store.h"
#include "tables/csv_writer.h"
#include "tables/json_table.h"
#include "tables/xlsx_writer.h"

namespace fieldflow::gateway {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::string_view prefix = "/api/export/";
constexpr const char* xlsx_type =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// What the request asks for, else what the browser prefers, else Chinese,
// as the console itself starts.
tables::Language language_of(const HttpRequest& request, const std::string& lang) {
    auto accept = request[http::field::accept_language];
    std::string_view wanted = lang.empty() ? std::string_view(accept.data(), accept.size()) : lang;
    return wanted.rfind("en", 0) == 0 ? tables::Language::english : tables::Language::chinese;
}

// A scratch file for libxlsxwriter, which writes workbooks to files only
// (1.1.4 has no memory output), removed whatever happens.
class ScratchFile {
  public:
    ScratchFile() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "fieldflow-export-XXXXXX").string();
        int fd = mkstemp(pattern.data());
        if (fd < 0) throw std::runtime_error("no scratch file for a workbook in " + pattern);
        ::close(fd);
        path_ = pattern;
    }
    ~ScratchFile() { std::remove(path_.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

json review_rows(store::GatewayStore& store, std::map<std::string, std::string>& parameters,
                 tables::Language language, const core::TerritoryScope& scope,
                 const core::MasterData& master) {
    store::ReviewFilter filter;
    filter.state = parameters["state"] == "decided" ? store::ReviewFilter::State::decided
                   : parameters["state"] == "all"   ? store::ReviewFilter::State::all
                                                    : store::ReviewFilter::State::open;
    filter.reason = parameters["reason"];
    filter.rep = parameters["rep"];
    filter.device = parameters["device"];
    const std::string& terminal = parameters["terminal"];
    json rows = json::array();
    constexpr std::size_t page = 500;
    for (;;) {
        auto flagged = store.reviews().flagged(filter, page);
        for (const auto& r : flagged) {
            std::string at;
            if (auto envelope = wire::envelope_json(r.raw)) {
                json payload = json::parse(envelope->payload, nullptr, false);
                if (payload.is_object()) at = payload.value("terminal", std::string());
            }
            if (!terminal.empty() && at != terminal) continue;
            if (!scope.record(master, at, r.rep)) continue;
            std::string reasons;
            for (const auto& reason : r.reasons) {
                std::string code(core::name(reason.code));
                reasons += (reasons.empty() ? "" : "; ") +
                           (language == tables::Language::chinese
                                ? std::string(core::chinese_name(reason.code)) + " (" + code + ")"
                                : code);
            }
            json row{{"id", r.id},
                     {"device", r.device},
                     {"seq", r.seq},
                     {"rep", r.rep},
                     {"kind", r.kind},
                     {"terminal", at},
                     {"captured_at_ms", r.captured_at_ms},
                     {"received_at_ms", r.received_at_ms},
                     {"reasons", reasons},
                     {"decision", nullptr},
                     {"comment", nullptr},
                     {"by", nullptr},
                     {"decided_at_ms", nullptr}};
            if (r.review) {
                bool approved = r.review->decision == store::Decision::approve;
                row["decision"] = language == tables::Language::chinese
                                      ? (approved ? "通过" : "驳回")
                                      : std::string(store::name(r.review->decision));
                row["comment"] = r.review->comment;
                row["by"] = r.review->by;
                row["decided_at_ms"] = r.review->at_ms;
            }
            rows.push_back(std::move(row));
        }
        if (flagged.size() < page) break;
        filter.before_id = flagged.back().id;
    }
    return rows;
}

}  // namespace

std::string attachment(const std::string& name, const std::string& fallback) {
    std::string encoded;
    for (unsigned char c : name) {
        // RFC 5987's attr-char goes as it is; every other byte percent-encoded.
        if (std::isalnum(c) ||
            std::string_view("!#$&+-.^_`|~").find(char(c)) != std::string_view::npos) {
            encoded += char(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            encoded += hex;
        }
    }
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

std::optional<HttpResponse> ExportRoutes::handle(const HttpRequest& request) {
    std::string_view target(request.target().data(), request.target().size());
    std::string_view path = target.substr(0, target.find('?'));
    if (path.rfind(prefix, 0) != 0) return std::nullopt;
    if (request.method() != http::verb::get)
        return json_error(request, http::status::method_not_allowed, "downloads are GET only");
    auto who = api_.session_of(request);
    if (!who) return json_error(request, http::status::unauthorized, "log in first");
    core::TerritoryScope scope(who->who.territories);
    auto master = master_.now();

    std::string_view file = path.substr(prefix.size());
    auto dot = file.rfind('.');
    std::string table(file.substr(0, dot));
    std::string format(dot == std::string_view::npos ? "" : file.substr(dot + 1));
    if (format != "xlsx" && format != "csv")
        return json_error(request, http::status::not_found,
                          "no download at " + std::string(path) + ": tables end in .xlsx or .csv");

    auto parameters = net::query_parameters(target);
    auto language = language_of(request, parameters["lang"]);
    int utc_offset = 0;
    if (auto tz = parameters.find("tz"); tz != parameters.end()) {
        auto minutes = net::utc_offset_minutes(tz->second);
        if (!minutes)
            return json_error(
                request, http::status::bad_request,
                "tz expects minutes east of UTC, -840 to 840, not \"" + tz->second + "\"");
        utc_offset = *minutes;
    }
    // The review queue has no month; the anomalies are of every month unless one is named.
    std::optional<core::Period> period;
    const std::string& month = parameters["period"];
    if (table != "review" && (!month.empty() || table != "anomalies")) {
        period = core::parse_period(month);
        if (!period)
            return json_error(request, http::status::bad_request,
                              "period expects YYYY-MM, got \"" + month + "\"");
    }

    // Both sum or scan every holder of the country, whatever the territory.
    if (!scope.everything() && (table == "channel" || table == "anomalies"))
        return json_error(request, http::status::forbidden,
                          "the " + table + " table is for operators of every territory");
    json rows;
    std::string name = table;  // the table in tables/json_table.h
    if (table == "ledger" || table == "channel") {
        rows = scoped_ledger(books_.ledger(*period), scope,
                             master->data)[table == "ledger" ? "rows" : "channel"];
    } else if (table == "effectiveness") {
        core::VisitTargets targets;
        for (auto [key, visits] :
             {std::pair{"a", &targets.a}, {"b", &targets.b}, {"c", &targets.c}}) {
            auto given = parameters.find(key);
            if (given == parameters.end()) continue;
            auto value = net::whole_number(given->second, 0, 100);
            if (!value)
                return json_error(request, http::status::bad_request,
                                  std::string(key) + " expects visits a month, 0 to 100");
            *visits = static_cast<unsigned>(*value);
        }
        json report =
            scoped_effectiveness(books_.effectiveness(*period, targets), scope, master->data);
        const std::string& view = parameters["view"];
        if (!report.contains(view) || !report[view].is_array())
            return json_error(request, http::status::bad_request,
                              "view names a list of the effectiveness report (reps, grades, "
                              "terminals ...), not \"" +
                                  view + "\"");
        rows = report[view];
        name = "effectiveness." + view;
    } else if (table == "anomalies") {
        store::DistributionStore books(db_path_);
        auto book = books.load();
        rows = json::array();
        for (const auto& a : core::find_anomalies(book, master->data, books)) {
            if (period && a.period != *period) continue;
            rows.push_back({{"record_id", a.record_id},
                            {"kind", core::name(a.kind)},
                            {"reason", core::name(a.reason)},
                            {"period", core::format_period(a.period)},
                            {"detail", a.detail}});
        }
    } else if (table == "review") {
        rows = review_rows(store_, parameters, language, scope, master->data);
    } else {
        return json_error(
            request, http::status::not_found,
            "no table \"" + table +
                "\" to download: ledger, channel, anomalies, review or effectiveness");
    }

    auto columns = tables::columns_of(rows, tables::known_columns(name));
    auto title = tables::title_of(name);
    std::string when = period ? "-" + core::format_period(*period) : "";
    std::string body;
    if (format == "csv") {
        std::ostringstream out;
        tables::CsvOptions options;
        options.keys_as_header = false;
        options.language = language;
        options.byte_order_mark = true;
        options.utc_offset_minutes = utc_offset;
        tables::CsvWriter csv(out, columns, options);
        for (const auto& row : rows) csv.row(tables::cells_of(row, columns, language));
        csv.finish();
        body = std::move(out).str();
    } else {
        ScratchFile scratch;
        tables::XlsxOptions options;
        options.language = language;
        options.sheet_name = title.in(language);
        options.utc_offset_minutes = utc_offset;
        tables::XlsxWriter workbook(scratch.path(), columns, options);
        for (const auto& row : rows) workbook.row(tables::cells_of(row, columns, language));
        workbook.finish();
        std::ifstream in(scratch.path(), std::ios::binary);
        body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::string fallback = name;
    std::replace(fallback.begin(), fallback.end(), '.', '-');
    fallback += when + "." + format;
    auto response =
        http_response(request, http::status::ok,
                      format == "csv" ? "text/csv; charset=utf-8" : xlsx_type, std::move(body));
    response.set(http::field::content_disposition,
                 attachment(title.in(language) + when + "." + format, fallback));
    // The books are confidential: no shared cache keeps a copy.
    response.set(http::field::cache_control, "no-store");
    return response;
}

}  // namespace fieldflow::gateway
