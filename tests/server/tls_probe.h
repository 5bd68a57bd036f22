#pragma once
// probeTls makes one raw TLS connection to 127.0.0.1 with plain OpenSSL, for what cpp-httplib's client
// cannot show or configure: the peer certificate, an old protocol version, a missing client certificate.
#include <openssl/ssl.h>

#include <filesystem>
#include <optional>
#include <string>

namespace sessiongate::webhook::testing {

// ProbeOptions configures one probe.
struct ProbeOptions {
  std::filesystem::path caFile;     // verify the server against this CA
  int maxVersion = TLS1_3_VERSION;  // e.g. TLS1_1_VERSION to offer only TLS 1.1
  std::optional<std::filesystem::path> clientCertFile;
  std::optional<std::filesystem::path> clientKeyFile;
  bool sendRequest = true;  // send GET /healthz and read the answer, so a late TLS 1.3 alert is seen
};

// ProbeResult is what the probe saw; ok means handshake done (and, if asked, an HTTP answer read).
struct ProbeResult {
  bool ok = false;
  std::string error;
  std::string peerCommonName;
  std::string peerSerialHex;
  std::string protocol;  // e.g. TLSv1.3
  std::string response;  // the start of the HTTP answer
};

ProbeResult probeTls(int port, const ProbeOptions& options);

}  // namespace sessiongate::webhook::testing
