#include "agent/envelope.h"

#include <capnp/message.h>

#include <limits>

#include "core/overloaded.h"
#include "schemas/frame.h"
#include "schemas/record.capnp.h"
#include "schemas/record_codec.h"

namespace fieldflow::agent {

namespace {

std::int32_t int32(std::int64_t value, const char* field) {
    if (value < std::numeric_limits<std::int32_t>::min() ||
        value > std::numeric_limits<std::int32_t>::max())
        throw wire::Unencodable(std::string(field) + " " + std::to_string(value) +
                                " does not fit the record (Int32)");
    return static_cast<std::int32_t>(value);
}

wire::FixStatus fix_status(core::FixJudgement fix) {
    switch (fix) {
        case core::FixJudgement::manual:
            return wire::FixStatus::MANUAL;
        case core::FixJudgement::ok:
            return wire::FixStatus::OK;
        case core::FixJudgement::stale:
            return wire::FixStatus::STALE_FIX;
        case core::FixJudgement::low_accuracy:
            return wire::FixStatus::LOW_ACCURACY;
        case core::FixJudgement::none:
            return wire::FixStatus::NO_FIX;
    }
    return wire::FixStatus::MANUAL;
}

void fill(wire::Envelope::Payload::Builder payload, const core::Payload& from) {
    std::visit(core::Overloaded{
                   [&](const core::CheckIn& r) {
                       auto p = payload.initCheckIn();
                       p.setTerminal(r.terminal);
                       p.setLat(r.lat);
                       p.setLon(r.lon);
                       p.setAccuracyM(static_cast<float>(r.accuracy_m));
                       p.setFix(fix_status(r.fix));
                       p.setFixAgeMs(r.fix_age_ms);
                   },
                   [&](const core::StockCount& r) {
                       auto p = payload.initStockCount();
                       p.setTerminal(r.terminal);
                       p.setProduct(r.product);
                       p.setLot(r.lot);
                       p.setQty(int32(r.qty, "qty"));
                       p.setScanned(r.scanned);
                   },
                   [&](const core::CheckOut& r) {
                       auto p = payload.initCheckOut();
                       p.setTerminal(r.terminal);
                       p.setCheckInSeq(r.check_in_seq);
                       p.setAutomatic(r.automatic);
                   },
                   [&](const core::Scan& r) {
                       auto p = payload.initScan();
                       p.setTerminal(r.terminal);
                       p.setSymbology(r.symbology);
                       p.setContent(r.content);
                       p.setSource(r.source == "camera"    ? wire::ScanSource::CAMERA
                                   : r.source == "scanner" ? wire::ScanSource::SCANNER
                                                           : wire::ScanSource::UNKNOWN);
                       p.setImageFile(r.image_file);
                   },
                   [&](const core::TerminalSales& r) {
                       auto p = payload.initTerminalSales();
                       p.setTerminal(r.terminal);
                       p.setProduct(r.product);
                       p.setQty(int32(r.qty, "qty"));
                       p.setSince(r.since);
                   },
                   [&](const core::Purchase& r) {
                       auto p = payload.initPurchase();
                       p.setTerminal(r.terminal);
                       p.setProduct(r.product);
                       p.setLot(r.lot);
                       p.setQty(int32(r.qty, "qty"));
                       p.setSupplier(r.supplier);
                   },
                   [&](const core::Promotion& r) {
                       auto p = payload.initPromotion();
                       p.setTerminal(r.terminal);
                       p.setProduct(r.product);
                       p.setKind(r.kind);
                       p.setPriceFen(r.price_fen);
                       p.setStart(r.start);
                       p.setEnd(r.end);
                   },
                   [&](const core::Display& r) {
                       auto p = payload.initDisplay();
                       p.setTerminal(r.terminal);
                       p.setProduct(r.product);
                       p.setSpecial(r.special);
                       p.setFacings(int32(r.facings, "facings"));
                       p.setShelfPosition(r.shelf_position);
                       p.setPhotoFile(r.photo_file);
                       p.setPhotoSha256(r.photo_sha256);
                   },
                   [&](const core::Competitor& r) {
                       auto p = payload.initCompetitor();
                       p.setTerminal(r.terminal);
                       p.setBrand(r.brand);
                       p.setProduct(r.product);
                       p.setPriceFen(r.price_fen);
                       p.setNote(r.note);
                   },
                   [&](const core::DistributorStock& r) {
                       auto p = payload.initDistributorStock();
                       p.setDistributor(r.distributor);
                       p.setProduct(r.product);
                       p.setLot(r.lot);
                       p.setQty(int32(r.qty, "qty"));
                       p.setDate(r.date);
                       p.setReportId(r.report_id);
                   },
                   [&](const core::FlowReport& r) {
                       auto p = payload.initFlow();
                       p.setFlowId(r.flow_id);
                       p.setDate(r.date);
                       p.setSeller(r.seller);
                       p.setBuyer(r.buyer);
                       p.setProduct(r.product);
                       p.setLot(r.lot);
                       p.setQty(r.qty);
                   },
                   [&](const core::UnsupportedPayload&) {},
               },
               from);
}

}  // namespace

// TODO(codec): becomes wire::encode_record once schemas/record_codec.cpp lands.
std::vector<std::byte> build_envelope(const core::Record& record,
                                      std::optional<std::int64_t> clock_skew_ms) {
    capnp::MallocMessageBuilder message;
    auto envelope = message.initRoot<wire::Envelope>();
    envelope.setDeviceId(record.device);
    envelope.setSeq(record.seq);
    envelope.setRepId(record.rep);
    envelope.setCapturedAtMs(record.captured_at_ms);
    envelope.setCorrects(record.corrects);
    if (clock_skew_ms) {
        envelope.setClockSkewMs(*clock_skew_ms);
        envelope.setClockSkewKnown(true);
    }
    fill(envelope.initPayload(), record.payload);
    auto words = wire::encode(message);
    auto bytes = wire::as_bytes(words);
    return {bytes.begin(), bytes.end()};
}

}  // namespace fieldflow::agent
