// sessiongatectl certs: a CA and a serving certificate for the webhook Service, written as ca.crt, ca.key,
// tls.crt and tls.key.
#include <charconv>
#include <ostream>

#include "certs/bundle_writer.h"
#include "certs/certificates.h"
#include "cli/command_line.h"

namespace sessiongate::cli {
namespace {

const CommandSpec certsSpec{"sessiongatectl certs --service NAME --namespace NS --out DIR [--days N]",
                            "Writes a fresh CA (ca.crt, ca.key) and a serving certificate (tls.crt, tls.key) "
                            "whose subjectAltNames are\n"
                            "NAME, NAME.NS, NAME.NS.svc, NAME.NS.svc.cluster.local, localhost, 127.0.0.1 and "
                            "::1. Keys are mode 0600.",
                            {
                                {"service", "NAME", "name of the webhook Service", true, ""},
                                {"namespace", "NS", "namespace of the webhook Service", true, ""},
                                {"out", "DIR", "folder to write into, created 0700 when missing", true, ""},
                                {"days", "N", "validity of both certificates in days", false, "365"},
                            },
                            {}};

std::optional<int> parseDays(const std::string& text) {
  int days = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return days;
}

}  // namespace

int runCerts(const std::vector<std::string>& args, CommandIo io) {
  CommandLine line = parseCommandLine("certs", certsSpec, args, io);
  if (line.exitNow) return *line.exitNow;
  const ParsedArgs& a = line.args;
  auto days = parseDays(*a.flag("days"));
  if (!days)
    return fail("certs", "--days must be a whole number of days, got \"" + *a.flag("days") + "\"", kExitUsage,
                io);

  certs::CertRequest request{*a.flag("service"), *a.flag("namespace"), *days};
  auto bundle = certs::generateCertificates(request);
  if (!bundle) return fail("certs", bundle.error(), kExitUsage, io);
  auto written = certs::writeBundle(*bundle, *a.flag("out"));
  if (!written) return fail("certs", written.error(), kExitProblems, io);
  for (const auto& path : *written) io.out << "wrote " << path.string() << "\n";
  io.out << "serving certificate for " << request.service << "." << request.namespace_ << ".svc, valid "
         << *days << " days; use ca.crt as the webhook configurations' caBundle\n";
  return kExitOk;
}

}  // namespace sessiongate::cli
