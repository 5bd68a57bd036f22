// Quantity parsing and exact comparison; expected values are what k8s.io/apimachinery v0.32 resource.Quantity
// gives (canonical form via CanonicalizeBytes, MilliValue and Value rounding away from zero).
#include "core/quantity.h"

#include <catch2/catch.hpp>
#include <cstdint>

using sessiongate::Quantity;

namespace {

struct QuantityRow {
  const char* text;
  const char* canonical;
  std::int64_t milli;
  std::int64_t value;
};

const QuantityRow kQuantityRows[] = {
    {"500m", "500m", 500, 1},
    {"0.5", "500m", 500, 1},
    {"1000m", "1", 1000, 1},
    {"1", "1", 1000, 1},
    {"1Gi", "1Gi", 1073741824000, 1073741824},
    {"1G", "1G", 1000000000000, 1000000000},
    {"1536Mi", "1536Mi", 1610612736000, 1610612736},
    {"1.5Gi", "1536Mi", 1610612736000, 1610612736},
    {"0.5Ki", "512", 512000, 512},
    {"1024", "1024", 1024000, 1024},
    // A binary quantity that is no whole number of Ki is written in plain units, which read back as decimal
    // and then render with a decimal suffix, as the API server's Quantity does (found by fuzz/quantity).
    {"62.5Ki", "64000", 64000000, 64000},
    {"64000", "64k", 64000000, 64000},
    {"2048Ki", "2Mi", 2097152000, 2097152},
    {"1e3", "1e3", 1000000, 1000},
    {"1E3", "1e3", 1000000, 1000},
    {"1.5e3", "1500", 1500000, 1500},
    {"1e-3", "1e-3", 1, 1},
    {"+1k", "1k", 1000000, 1000},
    {"-1k", "-1k", -1000000, -1000},
    {"-0.5", "-500m", -500, -1},
    {"100n", "100n", 1, 1},
    {"0.1n", "1n", 1, 1},
    {"1u", "1u", 1, 1},
    {"12345", "12345", 12345000, 12345},
    {"12000", "12k", 12000000, 12000},
    {"0", "0", 0, 0},
    {"0Gi", "0", 0, 0},
    {"-0", "0", 0, 0},
    {"00001", "1", 1000, 1},
    {".5", "500m", 500, 1},
    {"5.", "5", 5000, 5},
    {"1000000k", "1G", 1000000000000, 1000000000},
    {"1.25M", "1250k", 1250000000, 1250000},
    {"0.000001", "1u", 1, 1},
    {"1.5", "1500m", 1500, 2},
    {"0.1m", "100u", 1, 1},
    {"2e9", "2e9", 2000000000000, 2000000000},
    {"1.5Mi", "1536Ki", 1572864000, 1572864},
    {"-1.5Gi", "-1536Mi", -1610612736000, -1610612736},
    {"12e2", "1200", 1200000, 1200},
    {"1m", "1m", 1, 1},
    {"1Ei", "1Ei", INT64_MAX, 1152921504606846976},  // milli saturates (the API server's overflows)
};

struct QuantityErrorRow {
  const char* text;
  const char* error;
};

const char* const kFormat =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const char* const kSuffix = "unable to parse quantity's suffix";

const QuantityErrorRow kQuantityErrorRows[] = {
    {"", kFormat},
    {"1.5.3", kFormat},
    {"abc", kFormat},
    {"1Gb", kFormat},
    {"1 Gi", kFormat},
    {"1.5 ", kFormat},
    {"1KK", kSuffix},
    {"1K", kSuffix},
    {"1i", kSuffix},
    {"1e", kSuffix},
    {"1Mi3", kSuffix},
    // Deliberately stricter than the API server, which reads these as 0 or as huge numbers:
    {"Gi", kFormat},
    {"+", kFormat},
    {"1e1000", "quantity is too large (the limit is about 1e26)"},
};

Quantity q(const char* text) {
  auto r = Quantity::parse(text);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("quantities parse to the API server's canonical values", "[core][quantity]") {
  for (const auto& row : kQuantityRows) {
    INFO("quantity " << row.text);
    auto r = Quantity::parse(row.text);
    REQUIRE(r.ok());
    CHECK(r->str() == row.canonical);
    CHECK(r->milliValue() == row.milli);
    CHECK(r->value() == row.value);
    // The canonical text reads back as the same value.
    CHECK(q(row.canonical) == *r);
  }
}

TEST_CASE("malformed quantities give the API server's reasons", "[core][quantity]") {
  for (const auto& row : kQuantityErrorRows) {
    INFO("quantity \"" << row.text << "\"");
    auto r = Quantity::parse(row.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == row.error);
  }
}

TEST_CASE("quantities compare exactly across notations", "[core][quantity]") {
  CHECK(q("1Gi") > q("1G"));
  CHECK(q("1000m") == q("1"));
  CHECK(q("0.5") == q("500m"));
  CHECK(q("1Ki") == q("1024"));
  CHECK(q("1k") < q("1Ki"));
  CHECK(q("100m") < q("0.2"));
  CHECK(q("1e3") == q("1k"));
  CHECK(q("-1") < q("0"));
  CHECK(q("1Mi") == q("1024Ki"));
  CHECK(q("1.5Gi") == q("1536Mi"));
  CHECK(q("999m") < q("1"));
  CHECK(q("999999999n") < q("1"));
  CHECK(q("1000000001n") > q("1"));
  CHECK(q("1E") == q("1e18"));
  CHECK(q("1Ei") > q("1E"));
  CHECK(q("0.1n") == q("1n"));  // rounded up to the smallest unit, as the API server does
  CHECK(Quantity::fromMilli(250) == q("250m"));
}
