#pragma once
// toLabelValue turns any text (a username such as system:serviceaccount:ns:sa or alice@example.com) into a
// valid Kubernetes label value, so the controller and the webhook label the same user the same way.
#include <string>
#include <string_view>

namespace sessiongate {

// toLabelValue replaces characters outside [A-Za-z0-9._-] with '-', cuts the value to 63 characters and
// trims it to start and end with a letter or digit ("system:serviceaccount:ns:sa" -> "system-serviceaccount-ns-sa").
std::string toLabelValue(std::string_view text);

}  // namespace sessiongate
