#include <array>

#include "webhook/admission/json_text.h"
#include "webhook/admission/response.h"

namespace sessiongate::webhook {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> decodeTable() {
  std::array<int, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

}  // namespace

std::string base64Encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4, '=');
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  char* o = out.data();
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3, o += 4) {
    unsigned v = unsigned(in[i]) << 16 | unsigned(in[i + 1]) << 8 | in[i + 2];
    o[0] = kAlphabet[v >> 18 & 63];
    o[1] = kAlphabet[v >> 12 & 63];
    o[2] = kAlphabet[v >> 6 & 63];
    o[3] = kAlphabet[v & 63];
  }
  if (std::size_t rest = bytes.size() - i; rest > 0) {
    unsigned v = unsigned(in[i]) << 16 | (rest == 2 ? unsigned(in[i + 1]) << 8 : 0u);
    o[0] = kAlphabet[v >> 18 & 63];
    o[1] = kAlphabet[v >> 12 & 63];
    if (rest == 2) o[2] = kAlphabet[v >> 6 & 63];
  }
  return out;
}

std::string base64Decode(std::string_view text) {
  static constexpr auto table = decodeTable();
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = table[static_cast<unsigned char>(c)];
    if (v < 0) return {};
    buffer = buffer << 6 | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(buffer >> bits & 0xff);
    }
  }
  return out;
}

std::string encodeResponse(std::string_view uid, const Decision& decision) {
  std::string out;
  out.reserve(160 + decision.message.size() + decision.patch.size() / 3 * 4);
  out += R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":)";
  out += jsonString(uid);
  out += decision.allowed() ? R"(,"allowed":true)" : R"(,"allowed":false)";
  if (!decision.allowed()) {
    out += R"(,"status":{"code":)" + std::to_string(decision.code);
    if (!decision.reason.empty()) out += R"(,"reason":)" + jsonString(decision.reason);
    out += R"(,"message":)" + jsonString(decision.message) + "}";
  }
  if (!decision.patch.empty()) {
    out += R"(,"patchType":"JSONPatch","patch":")" + base64Encode(decision.patch) + "\"";
  }
  if (!decision.warnings.empty()) {
    out += R"(,"warnings":[)";
    for (std::size_t i = 0; i < decision.warnings.size(); ++i) {
      if (i) out += ",";
      out += jsonString(decision.warnings[i]);
    }
    out += "]";
  }
  out += "}}";
  return out;
}

}  // namespace sessiongate::webhook
