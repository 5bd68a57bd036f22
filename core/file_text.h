#pragma once
// fileText reads a whole file as bytes: the one way every component reads a certificate, a token, a
// kubeconfig or a policy file. Callers word the error, since only they know which flag or field named it.
#include <filesystem>
#include <optional>
#include <string>

namespace sessiongate {

// fileText is the file's content, or nullopt when it cannot be opened.
std::optional<std::string> fileText(const std::filesystem::path& path);

// trimmedLine drops the trailing newlines, carriage returns and spaces of a one-value file (a token, a
// namespace name).
std::string trimmedLine(std::string text);

}  // namespace sessiongate
