#include "gateway/decode.h"

#include <kj/exception.h>

#include "schemas/record.capnp.h"

namespace fieldflow::gateway {

namespace {

std::string source_name(wire::ScanSource source) {
    switch (source) {
        case wire::ScanSource::CAMERA:
            return "camera";
        case wire::ScanSource::SCANNER:
            return "scanner";
        case wire::ScanSource::UNKNOWN:
            break;
    }
    return "unknown";
}

core::FixJudgement judgement_of(wire::FixStatus status) {
    switch (status) {
        case wire::FixStatus::OK:
            return core::FixJudgement::ok;
        case wire::FixStatus::STALE_FIX:
            return core::FixJudgement::stale;
        case wire::FixStatus::LOW_ACCURACY:
            return core::FixJudgement::low_accuracy;
        case wire::FixStatus::NO_FIX:
            return core::FixJudgement::none;
        case wire::FixStatus::MANUAL:
            break;
    }
    return core::FixJudgement::manual;
}

core::Payload payload_of(wire::Envelope::Reader envelope) {
    auto payload = envelope.getPayload();
    switch (payload.which()) {
        case wire::Envelope::Payload::CHECK_IN: {
            auto in = payload.getCheckIn();
            return core::CheckIn{
                in.getTerminal(),          in.getLat(),     in.getLon(), in.getAccuracyM(),
                judgement_of(in.getFix()), in.getFixAgeMs()};
        }
        case wire::Envelope::Payload::STOCK_COUNT: {
            auto count = payload.getStockCount();
            return core::StockCount{count.getTerminal(), count.getProduct(), count.getLot(),
                                    count.getQty(), count.getScanned()};
        }
        case wire::Envelope::Payload::CHECK_OUT: {
            auto out = payload.getCheckOut();
            return core::CheckOut{out.getTerminal(), out.getCheckInSeq(), out.getAutomatic()};
        }
        case wire::Envelope::Payload::SCAN: {
            auto scan = payload.getScan();
            return core::Scan{scan.getTerminal(), scan.getSymbology(), scan.getContent(),
                              source_name(scan.getSource()), scan.getImageFile()};
        }
        case wire::Envelope::Payload::TERMINAL_SALES: {
            auto r = payload.getTerminalSales();
            return core::TerminalSales{r.getTerminal(), r.getProduct(), r.getQty(), r.getSince()};
        }
        case wire::Envelope::Payload::PURCHASE: {
            auto r = payload.getPurchase();
            return core::Purchase{r.getTerminal(), r.getProduct(), r.getLot(), r.getQty(),
                                  r.getSupplier()};
        }
        case wire::Envelope::Payload::PROMOTION: {
            auto r = payload.getPromotion();
            return core::Promotion{r.getTerminal(), r.getProduct(), r.getKind(),
                                   r.getPriceFen(), r.getStart(),   r.getEnd()};
        }
        case wire::Envelope::Payload::DISPLAY: {
            auto r = payload.getDisplay();
            return core::Display{r.getTerminal(),   r.getProduct(),       r.getSpecial(),
                                 r.getFacings(),    r.getShelfPosition(), r.getPhotoFile(),
                                 r.getPhotoSha256()};
        }
        case wire::Envelope::Payload::COMPETITOR: {
            auto r = payload.getCompetitor();
            return core::Competitor{r.getTerminal(), r.getBrand(), r.getProduct(), r.getPriceFen(),
                                    r.getNote()};
        }
        case wire::Envelope::Payload::DISTRIBUTOR_STOCK: {
            auto r = payload.getDistributorStock();
            return core::DistributorStock{r.getDistributor(), r.getProduct(), r.getLot(),
                                          r.getQty(),         r.getDate(),    r.getReportId()};
        }
        case wire::Envelope::Payload::FLOW: {
            auto r = payload.getFlow();
            return core::FlowReport{r.getFlowId(),  r.getDate(), r.getSeller(), r.getBuyer(),
                                    r.getProduct(), r.getLot(),  r.getQty()};
        }
        case wire::Envelope::Payload::UNSET:
            break;
    }
    return core::UnsupportedPayload{static_cast<unsigned>(payload.which())};
}

core::Reason malformed(std::string detail) {
    return {core::ReasonCode::malformed_record, std::move(detail)};
}

}  // namespace

Decoded decode_record(std::span<const std::byte> raw, const wire::ReadLimits& limits) {
    if (raw.empty() || raw.size() % sizeof(capnp::word) != 0)
        return {std::nullopt, malformed("record of " + std::to_string(raw.size()) +
                                        " bytes is not a whole number of words")};
    try {
        auto words = wire::aligned_copy(raw);
        if (capnp::expectedSizeInWordsFromPrefix(words) != words.size())
            return {std::nullopt, malformed("record length does not match its segment table")};
        capnp::FlatArrayMessageReader reader(words, limits.reader_options());
        auto envelope = reader.getRoot<wire::Envelope>();
        core::Record record;
        record.device = envelope.getDeviceId();
        record.seq = envelope.getSeq();
        record.rep = envelope.getRepId();
        record.captured_at_ms = envelope.getCapturedAtMs();
        if (record.device.empty()) return {std::nullopt, malformed("deviceId is empty")};
        if (record.seq == 0) return {std::nullopt, malformed("seq is 0; sequences start at 1")};
        record.payload = payload_of(envelope);
        record.corrects = envelope.getCorrects();
        return {std::move(record), std::nullopt};
    } catch (const kj::Exception& e) {
        return {std::nullopt, malformed(e.getDescription().cStr())};
    }
}

}  // namespace fieldflow::gateway
