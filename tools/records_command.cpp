// `fieldflow records`: every committed and quarantined record, one JSON
// object per line, with the payload's own fields by name. The payload is
// turned into JSON by Cap'n Proto's codec from the schema itself, so a kind
// added to the schema is listed without changes here.

#include <capnp/compat/json.h>
#include <capnp/message.h>

#include <filesystem>
#include <optional>
#include <iostream>

#include "schemas/payload_json.h"
#include "store/gateway_store.h"
#include "store/photo_store.h"
#include "tools/commands.h"
#include "tools/time_format.h"

namespace fieldflow::tools {

namespace {

bool wanted(const store::StoredRecord& r, const RecordsOptions& o) {
    if (!o.verdict.empty() && o.verdict != core::name(r.outcome)) return false;
    if (!o.kind.empty() && o.kind != r.kind) return false;
    if (!o.device.empty() && o.device != r.device) return false;
    return true;
}

}  // namespace

int records_command(const RecordsOptions& o) {
    if (!existing_store("records", o.db)) return 1;
    store::GatewayStore store(o.db);
    store::PhotoStore photos(store.db());
    capnp::JsonCodec codec;
    store.for_each_record([&](const store::StoredRecord& r) {
        if (!wanted(r, o)) return;
        capnp::MallocMessageBuilder payload_message;
        auto payload = payload_message.initRoot<capnp::JsonValue>();
        auto envelope = wire::envelope_json(r.raw);
        bool readable = envelope.has_value();
        if (readable) codec.decodeRaw(kj::StringPtr(envelope->payload.c_str()), payload);
        std::optional<std::int64_t> clock_skew_ms;
        std::uint64_t corrects = 0;
        if (readable) {
            clock_skew_ms = envelope->clock_skew_ms;
            corrects = envelope->corrects;
        }
        auto payload_fields = readable && payload.isObject() ? payload.getObject().size() : 0u;
        // A record's photo travels after it: "not_received" until it is stored.
        std::string photo;
        if (payload_fields > 0)
            for (auto field : payload.asReader().getObject())
                if (field.getName() == "photoSha256" && field.getValue().isString() &&
                    field.getValue().getString().size() > 0)
                    photo = photos.has(field.getValue().getString()) ? "received" : "not_received";

        capnp::MallocMessageBuilder line_message;
        auto line = line_message.initRoot<capnp::JsonValue>();
        // Who sent a quarantined record: another device than the one it
        // names, for wrong_device.
        bool rejected = r.outcome == core::Outcome::rejected;
        auto fields =
            line.initObject(8 + payload_fields + (readable ? 0 : 1) + (rejected ? 1 : 0) +
                            (clock_skew_ms ? 1 : 0) + (corrects ? 1 : 0) + (photo.empty() ? 0 : 1));
        unsigned i = 0;
        auto text = [&](const char* name, const std::string& value) {
            fields[i].setName(name);
            fields[i++].initValue().setString(value);
        };
        text("device", r.device);
        fields[i].setName("seq");
        if (r.seq)
            fields[i++].initValue().setNumber(static_cast<double>(*r.seq));
        else
            fields[i++].initValue().setNull();
        text("rep", r.rep);
        text("kind", r.kind.empty() ? "unreadable" : r.kind);
        text("captured_at", r.captured_at_ms ? iso8601_utc(r.captured_at_ms) : "");
        text("received_at", iso8601_utc(r.received_at_ms));
        text("verdict", std::string(core::name(r.outcome)));
        if (rejected) text("sender", r.sender);
        if (corrects) {
            fields[i].setName("corrects");
            fields[i++].initValue().setNumber(static_cast<double>(corrects));
        }
        if (clock_skew_ms) {
            fields[i].setName("clock_skew_ms");
            fields[i++].initValue().setNumber(static_cast<double>(*clock_skew_ms));
        }
        if (!photo.empty()) text("photo", photo);
        fields[i].setName("reasons");
        auto reasons = fields[i++].initValue().initArray(static_cast<unsigned>(r.reasons.size()));
        for (unsigned j = 0; j < r.reasons.size(); ++j) {
            auto reason = reasons[j].initObject(2);
            reason[0].setName("code");
            reason[0].initValue().setString(std::string(core::name(r.reasons[j].code)));
            reason[1].setName("detail");
            reason[1].initValue().setString(r.reasons[j].detail);
        }
        if (readable) {
            for (auto field : payload.asReader().getObject()) {
                fields[i].setName(field.getName());
                fields[i++].setValue(field.getValue());
            }
        } else {
            fields[i].setName("raw_size");
            fields[i++].initValue().setNumber(static_cast<double>(r.raw.size()));
        }
        std::cout << codec.encodeRaw(line.asReader()).cStr() << '\n';
    });
    return 0;
}

}  // namespace fieldflow::tools
