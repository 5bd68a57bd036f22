#pragma once
// MetricsText writes the Prometheus text exposition format (version 0.0.4), the one way every binary renders
// its /metrics: HELP text and label values are escaped here, so a label value taken from a request, an
// interface name or an object (a quote, a backslash, a newline) cannot end the value or the line and forge
// another sample. Metric and label names are the caller's constants and are written as given.
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace sessiongate {

// MetricType is the TYPE line of a metric family.
enum class MetricType { Counter, Gauge, Histogram };

// MetricLabel is one name="value" pair of a sample; value is escaped when written.
struct MetricLabel {
  std::string_view name;
  std::string_view value;
};
using MetricLabels = std::initializer_list<MetricLabel>;

// MetricsText accumulates families and samples in the order they are written.
class MetricsText {
 public:
  // family writes the "# HELP name help" and "# TYPE name type" lines that open a family.
  void family(std::string_view name, MetricType type, std::string_view help);
  // sample writes "name{labels} value"; the braces are left out without labels.
  template <std::integral T>
  void sample(std::string_view name, MetricLabels labels, T value) {
    sampleText(name, labels, std::to_string(value));
  }
  void sample(std::string_view name, MetricLabels labels, double value);
  // sampleText writes a value the caller already rendered in the format's float syntax (fixed-point seconds).
  void sampleText(std::string_view name, MetricLabels labels, std::string_view value);
  // histogram writes name_bucket{labels,le="bound"} with cumulative[i] for every bound, le="+Inf" with count,
  // then name_sum and name_count. cumulative holds one count per bound, each including the ones before.
  void histogram(std::string_view name, MetricLabels labels, std::span<const double> bounds,
                 std::span<const std::uint64_t> cumulative, std::uint64_t count, double sum);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void labelsText(MetricLabels labels, const MetricLabel* extra);
  std::string out_;
};

// escapeLabelValue escapes backslash, double quote and newline as \\, \" and \n.
std::string escapeLabelValue(std::string_view value);
// escapeHelp escapes backslash and newline as \\ and \n (a quote needs none in HELP text).
std::string escapeHelp(std::string_view help);
// metricValue renders a float the shortest way that reads back to the same double, as Prometheus' own
// clients do ("0.005", "10", "3.02"), with NaN and +Inf/-Inf spelled as the format wants.
std::string metricValue(double value);

}  // namespace sessiongate
