#pragma once
// The URI a handheld scans from the console's enrolment QR code
// (docs/operations.md, "Enrolling from the console"):
//   fieldflow:enrol?gateway=HOST:PORT&device=ID&rep=ID&credential=TOKEN&ca=DER
// each value percent-encoded (RFC 3986), the CA certificate in base64url.
// The gateway writes it and
// `fieldflow-agent init --enrolment` reads it: both go through this file so
// that the two cannot drift apart.
//
// Reading is lenient only where a later gateway may add to the URI (a
// parameter it does not know is passed over) and strict everywhere else: a
// scan engine hands over whatever code the rep aimed at, and a wrong one
// must be named, not half-read into the outbox.

#include <optional>
#include <string>
#include <string_view>

namespace fieldflow::core {

struct Enrolment {
    std::string gateway;  // HOST:PORT of the agents' listener
    std::string device;
    std::string rep;  // empty in the URIs of gateways that did not carry it
    std::string credential;
    // The certificate (DER) of the CA the gateway's TLS certificate chains
    // to, which the handheld is to trust; empty when the gateway named none
    // (it speaks in clear on loopback, or its operator gives --ca by hand).
    std::string ca;
};

std::string enrolment_uri(const Enrolment& enrolment);

// Either the enrolment or what is wrong with the text, in words a rep can
// pass on: never the credential itself, which stays off screens and logs.
struct EnrolmentRead {
    std::optional<Enrolment> enrolment;
    std::string problem;
};

EnrolmentRead read_enrolment_uri(std::string_view uri);

}  // namespace fieldflow::core
