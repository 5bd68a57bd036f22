#pragma once
// writeBundle puts a CertBundle on disk the way a Kubernetes TLS Secret mounts it: ca.crt, tls.crt,
// tls.key, plus ca.key to issue more certificates later. Keys are 0600, certificates 0644.
#include <filesystem>
#include <vector>

#include "certs/certificates.h"
#include "core/result.h"

namespace sessiongate::certs {

// writeBundle writes the bundle into dir, creating dir (mode 0700) if missing. Each file is written to a
// temporary name and renamed, so a process watching the files never reads half of one. Returns the paths
// written, in the order ca.crt, ca.key, tls.crt, tls.key.
Result<std::vector<std::filesystem::path>> writeBundle(const CertBundle& bundle,
                                                       const std::filesystem::path& dir);

}  // namespace sessiongate::certs
