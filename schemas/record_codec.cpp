#include "schemas/record_codec.h"

#include <capnp/any.h>
#include <capnp/message.h>
#include <capnp/schema.h>
#include <capnp/serialize.h>
#include <kj/exception.h>

#include <cmath>
#include <limits>

#include "core/overloaded.h"
#include "schemas/envelope_reader.h"

namespace fieldflow::wire {

namespace {

// Narrowing a domain integer onto its Int32 wire field would silently wrap a
// bad entry into a plausible one; the caller learns which field instead.
std::int32_t int32_field(std::int64_t value, const char* field) {
    if (value < std::numeric_limits<std::int32_t>::min() ||
        value > std::numeric_limits<std::int32_t>::max())
        throw Unencodable(std::string(field) + " is " + std::to_string(value) +
                          ", beyond the wire's Int32");
    return static_cast<std::int32_t>(value);
}

float float32_field(double value, const char* field) {
    if (std::isfinite(value) && std::fabs(value) > std::numeric_limits<float>::max())
        throw Unencodable(std::string(field) + " is " + std::to_string(value) +
                          ", beyond the wire's Float32");
    return static_cast<float>(value);
}

FixStatus fix_status_of(core::FixJudgement fix) {
    switch (fix) {
        case core::FixJudgement::ok:
            return FixStatus::OK;
        case core::FixJudgement::stale:
            return FixStatus::STALE_FIX;
        case core::FixJudgement::low_accuracy:
            return FixStatus::LOW_ACCURACY;
        case core::FixJudgement::none:
            return FixStatus::NO_FIX;
        case core::FixJudgement::manual:
            break;
    }
    return FixStatus::MANUAL;
}

core::FixJudgement judgement_of(FixStatus status) {
    switch (status) {
        case FixStatus::OK:
            return core::FixJudgement::ok;
        case FixStatus::STALE_FIX:
            return core::FixJudgement::stale;
        case FixStatus::LOW_ACCURACY:
            return core::FixJudgement::low_accuracy;
        case FixStatus::NO_FIX:
            return core::FixJudgement::none;
        case FixStatus::MANUAL:
            break;
    }
    // A status added by a newer agent reads as the one that claims least.
    return core::FixJudgement::manual;
}

ScanSource scan_source_of(const std::string& source) {
    if (source == "camera") return ScanSource::CAMERA;
    if (source == "scanner") return ScanSource::SCANNER;
    if (source == "unknown" || source.empty()) return ScanSource::UNKNOWN;
    throw Unencodable("Scan.source is \"" + source + "\", not camera, scanner or unknown");
}

std::string source_name(ScanSource source) {
    switch (source) {
        case ScanSource::CAMERA:
            return "camera";
        case ScanSource::SCANNER:
            return "scanner";
        case ScanSource::UNKNOWN:
            break;
    }
    return "unknown";
}

void fill_payload(Envelope::Payload::Builder out, const core::Payload& payload) {
    std::visit(core::Overloaded{
                   [&](const core::CheckIn& r) {
                       auto in = out.initCheckIn();
                       in.setTerminal(r.terminal);
                       in.setLat(r.lat);
                       in.setLon(r.lon);
                       in.setAccuracyM(float32_field(r.accuracy_m, "CheckIn.accuracyM"));
                       in.setFix(fix_status_of(r.fix));
                       in.setFixAgeMs(r.fix_age_ms);
                       if (!r.reason.empty()) in.setReason(r.reason);
                       // Left unset without a photo, so that a check-in
                       // encodes as it did before the fields existed.
                       if (!r.photo_sha256.empty()) {
                           in.setPhotoFile(r.photo_file);
                           in.setPhotoSha256(r.photo_sha256);
                       }
                   },
                   [&](const core::StockCount& r) {
                       auto count = out.initStockCount();
                       count.setTerminal(r.terminal);
                       count.setProduct(r.product);
                       count.setLot(r.lot);
                       count.setQty(int32_field(r.qty, "StockCount.qty"));
                       count.setScanned(r.scanned);
                   },
                   [&](const core::CheckOut& r) {
                       auto check_out = out.initCheckOut();
                       check_out.setTerminal(r.terminal);
                       check_out.setCheckInSeq(r.check_in_seq);
                       check_out.setAutomatic(r.automatic);
                   },
                   [&](const core::Scan& r) {
                       auto scan = out.initScan();
                       scan.setTerminal(r.terminal);
                       scan.setSymbology(r.symbology);
                       scan.setContent(r.content);
                       scan.setSource(scan_source_of(r.source));
                       scan.setImageFile(r.image_file);
                   },
                   [&](const core::TerminalSales& r) {
                       auto sales = out.initTerminalSales();
                       sales.setTerminal(r.terminal);
                       sales.setProduct(r.product);
                       sales.setQty(int32_field(r.qty, "TerminalSales.qty"));
                       sales.setSince(r.since);
                   },
                   [&](const core::Purchase& r) {
                       auto purchase = out.initPurchase();
                       purchase.setTerminal(r.terminal);
                       purchase.setProduct(r.product);
                       purchase.setLot(r.lot);
                       purchase.setQty(int32_field(r.qty, "Purchase.qty"));
                       purchase.setSupplier(r.supplier);
                   },
                   [&](const core::Promotion& r) {
                       auto promotion = out.initPromotion();
                       promotion.setTerminal(r.terminal);
                       promotion.setProduct(r.product);
                       promotion.setKind(r.kind);
                       promotion.setPriceFen(r.price_fen);
                       promotion.setStart(r.start);
                       promotion.setEnd(r.end);
                   },
                   [&](const core::Display& r) {
                       auto display = out.initDisplay();
                       display.setTerminal(r.terminal);
                       display.setProduct(r.product);
                       display.setSpecial(r.special);
                       display.setFacings(int32_field(r.facings, "Display.facings"));
                       display.setShelfPosition(r.shelf_position);
                       display.setPhotoFile(r.photo_file);
                       display.setPhotoSha256(r.photo_sha256);
                   },
                   [&](const core::Competitor& r) {
                       auto competitor = out.initCompetitor();
                       competitor.setTerminal(r.terminal);
                       competitor.setBrand(r.brand);
                       competitor.setProduct(r.product);
                       competitor.setPriceFen(r.price_fen);
                       competitor.setNote(r.note);
                   },
                   [&](const core::DistributorStock& r) {
                       auto stock = out.initDistributorStock();
                       stock.setDistributor(r.distributor);
                       stock.setProduct(r.product);
                       stock.setLot(r.lot);
                       stock.setQty(int32_field(r.qty, "DistributorStock.qty"));
                       stock.setDate(r.date);
                       stock.setReportId(r.report_id);
                   },
                   [&](const core::FlowReport& r) {
                       auto flow = out.initFlow();
                       flow.setFlowId(r.flow_id);
                       flow.setDate(r.date);
                       flow.setSeller(r.seller);
                       flow.setBuyer(r.buyer);
                       flow.setProduct(r.product);
                       flow.setLot(r.lot);
                       flow.setQty(r.qty);
                   },
                   // Written as the gateway reads a kind it does not know: no payload.
                   [&](const core::UnsupportedPayload&) { out.setUnset(); },
               },
               payload);
}

core::Payload payload_of(Envelope::Reader envelope) {
    auto payload = envelope.getPayload();
    switch (payload.which()) {
        case Envelope::Payload::CHECK_IN: {
            auto in = payload.getCheckIn();
            return core::CheckIn{
                in.getTerminal(),          in.getLat(),      in.getLon(),    in.getAccuracyM(),
                judgement_of(in.getFix()), in.getFixAgeMs(), in.getReason(), in.getPhotoFile(),
                in.getPhotoSha256()};
        }
        case Envelope::Payload::STOCK_COUNT: {
            auto count = payload.getStockCount();
            return core::StockCount{count.getTerminal(), count.getProduct(), count.getLot(),
                                    count.getQty(), count.getScanned()};
        }
        case Envelope::Payload::CHECK_OUT: {
            auto out = payload.getCheckOut();
            return core::CheckOut{out.getTerminal(), out.getCheckInSeq(), out.getAutomatic()};
        }
        case Envelope::Payload::SCAN: {
            auto scan = payload.getScan();
            return core::Scan{scan.getTerminal(), scan.getSymbology(), scan.getContent(),
                              source_name(scan.getSource()), scan.getImageFile()};
        }
        case Envelope::Payload::TERMINAL_SALES: {
            auto r = payload.getTerminalSales();
            return core::TerminalSales{r.getTerminal(), r.getProduct(), r.getQty(), r.getSince()};
        }
        case Envelope::Payload::PURCHASE: {
            auto r = payload.getPurchase();
            return core::Purchase{r.getTerminal(), r.getProduct(), r.getLot(), r.getQty(),
                                  r.getSupplier()};
        }
        case Envelope::Payload::PROMOTION: {
            auto r = payload.getPromotion();
            return core::Promotion{r.getTerminal(), r.getProduct(), r.getKind(),
                                   r.getPriceFen(), r.getStart(),   r.getEnd()};
        }
        case Envelope::Payload::DISPLAY: {
            auto r = payload.getDisplay();
            return core::Display{r.getTerminal(),   r.getProduct(),       r.getSpecial(),
                                 r.getFacings(),    r.getShelfPosition(), r.getPhotoFile(),
                                 r.getPhotoSha256()};
        }
        case Envelope::Payload::COMPETITOR: {
            auto r = payload.getCompetitor();
            return core::Competitor{r.getTerminal(), r.getBrand(), r.getProduct(), r.getPriceFen(),
                                    r.getNote()};
        }
        case Envelope::Payload::DISTRIBUTOR_STOCK: {
            auto r = payload.getDistributorStock();
            return core::DistributorStock{r.getDistributor(), r.getProduct(), r.getLot(),
                                          r.getQty(),         r.getDate(),    r.getReportId()};
        }
        case Envelope::Payload::FLOW: {
            auto r = payload.getFlow();
            return core::FlowReport{r.getFlowId(),  r.getDate(), r.getSeller(), r.getBuyer(),
                                    r.getProduct(), r.getLot(),  r.getQty()};
        }
        case Envelope::Payload::UNSET:
            break;
    }
    return core::UnsupportedPayload{static_cast<unsigned>(payload.which())};
}

// Where lat and lon lie in the message: the schema's slots for them, in the
// check-in's data section. Consecutive as the schema lays them out; a
// check-in written before they existed (a data section too short) has none.
std::optional<std::size_t> fix_offset(CheckIn::Reader check_in, const kj::byte* base) {
    static const auto slot = [](const char* field) {
        return capnp::Schema::from<CheckIn>()
                   .getFieldByName(field)
                   .getProto()
                   .getSlot()
                   .getOffset() *
               sizeof(double);
    };
    static const std::size_t lat = slot("lat"), lon = slot("lon");
    static_assert(fix_bytes == 2 * sizeof(double));
    if (lon != lat + sizeof(double)) return std::nullopt;
    auto data = capnp::AnyStruct::Reader(check_in).getDataSection();
    if (data.size() < lat + fix_bytes) return std::nullopt;
    return static_cast<std::size_t>(data.begin() + lat - base);
}

core::Reason malformed(std::string detail) {
    return {core::ReasonCode::malformed_record, std::move(detail)};
}

}  // namespace

std::vector<std::byte> encode_record(const core::Record& record) {
    capnp::MallocMessageBuilder message;
    auto envelope = message.initRoot<Envelope>();
    envelope.setDeviceId(record.device);
    envelope.setSeq(record.seq);
    envelope.setRepId(record.rep);
    envelope.setCapturedAtMs(record.captured_at_ms);
    fill_payload(envelope.initPayload(), record.payload);
    if (record.clock_skew_ms) {
        envelope.setClockSkewMs(*record.clock_skew_ms);
        envelope.setClockSkewKnown(true);
    }
    envelope.setCorrects(record.corrects);
    auto words = encode(message);
    auto bytes = as_bytes(words);
    return {bytes.begin(), bytes.end()};
}

std::optional<core::Reason> read_envelope(
    std::span<const std::byte> raw, const ReadLimits& limits,
    kj::FunctionParam<void(Envelope::Reader, const kj::byte*)> use) {
    if (raw.empty() || raw.size() % sizeof(capnp::word) != 0)
        return malformed("record of " + std::to_string(raw.size()) +
                         " bytes is not a whole number of words");
    try {
        auto words = aligned_copy(raw);
        if (capnp::expectedSizeInWordsFromPrefix(words) != words.size())
            return malformed("record length does not match its segment table");
        capnp::FlatArrayMessageReader reader(words, limits.reader_options());
        use(reader.getRoot<Envelope>(), reinterpret_cast<const kj::byte*>(words.begin()));
        return std::nullopt;
    } catch (const kj::Exception& e) {
        return malformed(e.getDescription().cStr());
    }
}

Decoded decode_record(std::span<const std::byte> raw, const ReadLimits& limits) {
    Decoded out;
    auto unreadable =
        read_envelope(raw, limits, [&](Envelope::Reader envelope, const kj::byte* base) {
            core::Record record;
            record.device = envelope.getDeviceId();
            record.seq = envelope.getSeq();
            record.rep = envelope.getRepId();
            record.captured_at_ms = envelope.getCapturedAtMs();
            if (record.device.empty()) {
                out.problem = malformed("deviceId is empty");
                return;
            }
            if (record.seq == 0) {
                out.problem = malformed("seq is 0; sequences start at 1");
                return;
            }
            record.payload = payload_of(envelope);
            if (envelope.getPayload().isCheckIn())
                out.fix_at = fix_offset(envelope.getPayload().getCheckIn(), base);
            record.corrects = envelope.getCorrects();
            if (envelope.getClockSkewKnown()) record.clock_skew_ms = envelope.getClockSkewMs();
            out.record = std::move(record);
        });
    if (unreadable) return {std::nullopt, std::move(unreadable), std::nullopt};
    return out;
}

}  // namespace fieldflow::wire
