#pragma once
// The CA certificate handhelds are told to trust (--agent-ca), carried in
// the enrolment QR code (core/enrolment_uri.h) so that a handheld set up
// from it syncs over TLS with nothing copied onto it by hand.

#include <string>

namespace fieldflow::gateway {

// The certificate in the PEM `file`, as DER; a std::runtime_error naming
// the file when it cannot be read, holds no certificate or is not a CA's.
// Read at each enrolment, so that a renewed file needs no restart.
std::string agent_ca_der(const std::string& file);

// A std::runtime_error when the chain in `cert_chain` (the gateway's
// --tls-cert) does not verify against the CA in `ca_file`: every handheld
// enrolled with it would refuse this gateway, which is better found at
// start than in the field.
void check_chains_to(const std::string& cert_chain, const std::string& ca_file);

}  // namespace fieldflow::gateway
