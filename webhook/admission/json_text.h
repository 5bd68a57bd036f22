#pragma once
// JSON text helpers for the hot paths that write JSON directly instead of building nlohmann trees.
#include <string>
#include <string_view>

namespace sessiongate::webhook {

// appendJsonString appends text as a JSON string literal (quotes, backslashes and control characters
// escaped; UTF-8 passes through unchanged).
void appendJsonString(std::string& out, std::string_view text);

// jsonString is text as a JSON string literal.
std::string jsonString(std::string_view text);

}  // namespace sessiongate::webhook
