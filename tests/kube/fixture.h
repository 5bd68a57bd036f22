#pragma once
// fixture reads a recorded file from tests/kube/fixtures.
#include <string>

namespace sessiongate::kube::testing {

// fixture returns the contents of tests/kube/fixtures/NAME; a missing file throws.
std::string fixture(const std::string& name);

}  // namespace sessiongate::kube::testing
