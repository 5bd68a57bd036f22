#pragma once
// DNS-1123 names as Kubernetes validates them (k8s.io/apimachinery/pkg/util/validation): labels for object
// names that become namespace names and port names, subdomains for host names. The check functions return
// the API server's messages, empty when the name is valid.
#include <string>
#include <string_view>
#include <vector>

namespace sessiongate {

// dns1123LabelErrors checks a lowercase RFC 1123 label of at most maxLength characters.
std::vector<std::string> dns1123LabelErrors(std::string_view name, std::size_t maxLength = 63);

// dns1123SubdomainErrors checks a lowercase RFC 1123 subdomain (at most 253 characters).
std::vector<std::string> dns1123SubdomainErrors(std::string_view name);

// isIpAddress is true for an IPv4 or IPv6 address in text form.
bool isIpAddress(std::string_view text);

}  // namespace sessiongate
