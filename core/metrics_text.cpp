#include "core/metrics_text.h"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace sessiongate {
namespace {

std::string_view typeName(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Histogram:
      return "histogram";
  }
  return "untyped";
}

void appendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  appendEscaped(out, value, true);
  return out;
}

std::string escapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  appendEscaped(out, help, false);
  return out;
}

std::string metricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus' clients use: the shortest digits that read
  // back the same double, in plain notation for decimal exponents from -4 to 20 (0.0001, 10, 3.02) and in
  // exponent notation outside (1e-05, 1e+21).
  char text[64];
  const auto exp = std::to_chars(text, text + sizeof text, value, std::chars_format::scientific);
  if (exp.ec != std::errc()) return "NaN";  // cannot happen: 64 characters hold any double's shortest form
  const std::string scientific(text, exp.ptr);
  const int exponent = std::stoi(scientific.substr(scientific.find('e') + 1));
  if (exponent < -4 || exponent >= 21) return scientific;
  const auto plain = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed);
  if (plain.ec != std::errc()) return scientific;
  return std::string(text, plain.ptr);
}

void MetricsText::family(std::string_view name, MetricType type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  appendEscaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += typeName(type);
  out_ += '\n';
}

void MetricsText::labelsText(MetricLabels labels, const MetricLabel* extra) {
  if (labels.size() == 0 && extra == nullptr) return;
  out_ += '{';
  bool first = true;
  auto one = [&](const MetricLabel& label) {
    if (!first) out_ += ',';
    first = false;
    out_ += label.name;
    out_ += "=\"";
    appendEscaped(out_, label.value, true);
    out_ += '"';
  };
  for (const MetricLabel& label : labels) one(label);
  if (extra != nullptr) one(*extra);
  out_ += '}';
}

void MetricsText::sample(std::string_view name, MetricLabels labels, double value) {
  sampleText(name, labels, metricValue(value));
}

void MetricsText::sampleText(std::string_view name, MetricLabels labels, std::string_view value) {
  out_ += name;
  labelsText(labels, nullptr);
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void MetricsText::histogram(std::string_view name, MetricLabels labels, std::span<const double> bounds,
                            std::span<const std::uint64_t> cumulative, std::uint64_t count, double sum) {
  std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    std::string le = metricValue(bounds[i]);
    MetricLabel leLabel{"le", le};
    out_ += bucket;
    labelsText(labels, &leLabel);
    out_ += ' ';
    out_ += std::to_string(i < cumulative.size() ? cumulative[i] : count);
    out_ += '\n';
  }
  MetricLabel inf{"le", "+Inf"};
  out_ += bucket;
  labelsText(labels, &inf);
  out_ += ' ';
  out_ += std::to_string(count);
  out_ += '\n';
  sample(std::string(name) + "_sum", labels, sum);
  sample(std::string(name) + "_count", labels, count);
}

}  // namespace sessiongate
