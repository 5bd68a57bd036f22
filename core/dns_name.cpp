#include "core/dns_name.h"

#include "core/ip_pool.h"

namespace sessiongate {
namespace {

constexpr std::string_view kLabelMessage =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr std::string_view kSubdomainMessage =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

bool isAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool isLabel(std::string_view s) {
  if (s.empty() || !isAlnum(s.front()) || !isAlnum(s.back())) return false;
  for (char c : s) {
    if (!isAlnum(c) && c != '-') return false;
  }
  return true;
}

std::string maxLengthMessage(std::size_t max) {
  return "must be no more than " + std::to_string(max) + " characters";
}

}  // namespace

std::vector<std::string> dns1123LabelErrors(std::string_view name, std::size_t maxLength) {
  std::vector<std::string> errors;
  if (name.size() > maxLength) errors.push_back(maxLengthMessage(maxLength));
  if (!isLabel(name)) errors.emplace_back(kLabelMessage);
  return errors;
}

std::vector<std::string> dns1123SubdomainErrors(std::string_view name) {
  std::vector<std::string> errors;
  if (name.size() > 253) errors.push_back(maxLengthMessage(253));
  bool ok = !name.empty();
  std::string_view rest = name;
  while (ok) {
    const std::size_t dot = rest.find('.');
    ok = isLabel(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (!ok) errors.emplace_back(kSubdomainMessage);
  return errors;
}

bool isIpAddress(std::string_view text) {
  return IpAddress::parse(text).ok();
}

}  // namespace sessiongate
