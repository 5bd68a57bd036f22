// core/metrics_text: the one Prometheus text writer. Exact output, including label values and HELP text
// that would otherwise end the value or the line and forge a sample.
#include "core/metrics_text.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

namespace sessiongate {

TEST_CASE("label values and HELP text are escaped as the exposition format requires", "[core][metrics]") {
  struct Row {
    const char* in;
    const char* label;
    const char* help;
  };
  const Row rows[] = {
      {"plain", "plain", "plain"},
      {"", "", ""},
      {R"(say "hi")", R"(say \"hi\")", R"(say "hi")"},
      {R"(C:\dir)", R"(C:\\dir)", R"(C:\\dir)"},
      {"two\nlines", R"(two\nlines)", R"(two\nlines)"},
      {"\\\"\n", R"(\\\"\n)", R"(\\"\n)"},
      {"tab\there", "tab\there", "tab\there"},
  };
  for (const Row& row : rows) {
    INFO(row.in);
    CHECK(escapeLabelValue(row.in) == row.label);
    CHECK(escapeHelp(row.in) == row.help);
  }
}

TEST_CASE("float values are the shortest text that reads back the same", "[core][metrics]") {
  struct Row {
    double in;
    const char* out;
  };
  const Row rows[] = {
      {0.005, "0.005"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1e20, "100000000000000000000"},
      {1e21, "1e+21"},
      {123456.789, "123456.789"},
      {10, "10"},
      {2.5, "2.5"},
      {0.02 + 3, "3.02"},
      {0, "0"},
      {-1.5, "-1.5"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
  };
  for (const Row& row : rows) {
    INFO(row.out);
    CHECK(metricValue(row.in) == row.out);
  }
}

TEST_CASE("families, samples and histograms are written exactly", "[core][metrics]") {
  MetricsText out;
  out.family("app_requests_total", MetricType::Counter, "Requests by path.\nSecond line with \\ and \".");
  out.sample("app_requests_total", {{"path", "/a\"b\\c\nd"}, {"code", "200"}}, std::uint64_t{3});
  out.sample("app_requests_total", {}, 0);
  out.family("app_up", MetricType::Gauge, "1 while up.");
  out.sample("app_up", {}, true);
  out.sample("app_ratio", {{"kind", "x"}}, 0.25);
  out.sampleText("app_seen_seconds", {{"ip", "10.0.0.1"}}, "1796317200.500000");
  out.family("app_latency_seconds", MetricType::Histogram, "Latency.");
  const std::array<double, 3> bounds = {0.1, 1, 2.5};
  const std::array<std::uint64_t, 3> cumulative = {1, 3, 3};
  out.histogram("app_latency_seconds", {{"endpoint", "va\"l"}}, bounds, cumulative, 4, 7.5);
  out.histogram("app_idle_seconds", {}, bounds, cumulative, 4, 0.1 + 0.2);
  CHECK(out.text() ==
        "# HELP app_requests_total Requests by path.\\nSecond line with \\\\ and \".\n"
        "# TYPE app_requests_total counter\n"
        "app_requests_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\"} 3\n"
        "app_requests_total 0\n"
        "# HELP app_up 1 while up.\n"
        "# TYPE app_up gauge\n"
        "app_up 1\n"
        "app_ratio{kind=\"x\"} 0.25\n"
        "app_seen_seconds{ip=\"10.0.0.1\"} 1796317200.500000\n"
        "# HELP app_latency_seconds Latency.\n"
        "# TYPE app_latency_seconds histogram\n"
        "app_latency_seconds_bucket{endpoint=\"va\\\"l\",le=\"0.1\"} 1\n"
        "app_latency_seconds_bucket{endpoint=\"va\\\"l\",le=\"1\"} 3\n"
        "app_latency_seconds_bucket{endpoint=\"va\\\"l\",le=\"2.5\"} 3\n"
        "app_latency_seconds_bucket{endpoint=\"va\\\"l\",le=\"+Inf\"} 4\n"
        "app_latency_seconds_sum{endpoint=\"va\\\"l\"} 7.5\n"
        "app_latency_seconds_count{endpoint=\"va\\\"l\"} 4\n"
        "app_idle_seconds_bucket{le=\"0.1\"} 1\n"
        "app_idle_seconds_bucket{le=\"1\"} 3\n"
        "app_idle_seconds_bucket{le=\"2.5\"} 3\n"
        "app_idle_seconds_bucket{le=\"+Inf\"} 4\n"
        "app_idle_seconds_sum 0.30000000000000004\n"
        "app_idle_seconds_count 4\n");
}

}  // namespace sessiongate
