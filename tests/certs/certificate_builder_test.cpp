// The validity period of a built certificate, on a FakeClock: exact notBefore and notAfter, whatever the
// machine's time.
#include "certs/certificate_builder.h"

#include <catch2/catch.hpp>
#include <ctime>
#include <string>
#include <vector>

#include "tests/support/fake_clock.h"

namespace sessiongate::certs {
namespace {

// utc is an ASN1_TIME as RFC 3339 UTC text.
std::string utc(const ASN1_TIME* time) {
  std::tm parts{};
  REQUIRE(ASN1_TIME_to_tm(time, &parts) == 1);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

struct Fixture {
  int days;
  std::string notBefore;
  std::string notAfter;
};

// The FakeClock's wall time is 2026-01-01T00:00:00Z; notBefore lies kCertificateBackdateSeconds (300) before.
const std::vector<Fixture> fixtures = {
    {1, "2025-12-31T23:55:00Z", "2026-01-02T00:00:00Z"},
    {365, "2025-12-31T23:55:00Z", "2027-01-01T00:00:00Z"},
    {3650, "2025-12-31T23:55:00Z", "2035-12-30T00:00:00Z"},
};

}  // namespace

TEST_CASE("a certificate's validity starts from the clock's wall time, backdated", "[certs][validity]") {
  FakeClock clock;
  auto key = generateKey(KeyType::EcP256);
  REQUIRE(key.ok());
  for (const auto& fixture : fixtures) {
    INFO(fixture.days);
    CertificateSpec spec{{{"CN", "clock-test"}}, fixture.days, {}};
    auto certificate = buildCertificate(spec, **key, nullptr, **key, clock);
    REQUIRE(certificate.ok());
    CHECK(utc(X509_get0_notBefore(certificate->get())) == fixture.notBefore);
    CHECK(utc(X509_get0_notAfter(certificate->get())) == fixture.notAfter);
  }
}

}  // namespace sessiongate::certs
