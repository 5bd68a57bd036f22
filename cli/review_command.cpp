// sessiongatectl review: load the policy and cluster objects from files, answer one AdmissionReview with the
// same Reviewer the webhook serves, print the response AdmissionReview.
#include <iostream>
#include <sstream>

#include "cli/command_line.h"
#include "core/cluster_files.h"
#include "core/file_text.h"
#include "core/json.h"
#include "webhook/admission/reviewer.h"

namespace sessiongate::cli {
namespace {

const CommandSpec reviewSpec{
    "sessiongatectl review --policies PATH [--objects PATH] [--endpoint mutate|validate|both] [--file "
    "REVIEW.json]",
    "Reads one AdmissionReview (from --file or stdin), answers it as the webhook would and prints the "
    "response\n"
    "AdmissionReview (response.patch is base64, as the API server expects). 'both' mutates, applies the "
    "patch and\n"
    "validates the result, as the API server does. A malformed review exits 2.",
    {
        {"policies", "PATH", "SessionPolicy YAML/JSON file or folder", true, ""},
        {"objects", "PATH", "UserSessions and Namespaces the rules read (file or folder)", false, ""},
        {"endpoint", "ENDPOINT", "mutate, validate or both", false, "both"},
        {"file", "REVIEW.json", "AdmissionReview to answer; stdin when absent", false, ""},
        {"policy-name", "NAME", "name of the SessionPolicy in force", false, "default"},
    },
    {}};

Result<std::string> readReview(const std::optional<std::string>& file, std::istream& in) {
  if (!file) {
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  auto text = fileText(*file);
  if (!text) return Error{*file + ": cannot be read"};
  return *text;
}

// pretty indents the response for people; the API server's parser does not care.
std::string pretty(const std::string& body) {
  try {
    return Json::parse(body).dump(2);
  } catch (const Json::exception&) {
    return body;
  }
}

}  // namespace

int runReview(const std::vector<std::string>& args, CommandIo io) {
  CommandLine line = parseCommandLine("review", reviewSpec, args, io);
  if (line.exitNow) return *line.exitNow;
  const ParsedArgs& a = line.args;
  std::string endpoint = *a.flag("endpoint");
  if (endpoint != "mutate" && endpoint != "validate" && endpoint != "both") {
    return fail("review", "--endpoint must be mutate, validate or both, got \"" + endpoint + "\"", kExitUsage,
                io);
  }

  std::vector<std::filesystem::path> paths{*a.flag("policies")};
  if (auto objects = a.flag("objects")) paths.emplace_back(*objects);
  auto files = loadClusterFiles(paths, *a.flag("policy-name"));
  if (!files) return fail("review", files.error(), kExitUsage, io);
  MemoryClusterView view;
  applyClusterFiles(*files, view);

  auto body = readReview(a.flag("file"), io.in);
  if (!body) return fail("review", body.error(), kExitUsage, io);
  webhook::Reviewer reviewer(view);
  webhook::ReviewAnswer answer = endpoint == "both"     ? reviewer.both(*body)
                                 : endpoint == "mutate" ? reviewer(webhook::Endpoint::Mutate, *body)
                                                        : reviewer(webhook::Endpoint::Validate, *body);
  if (answer.status != 200) {
    // The reviewer's text already says "malformed AdmissionReview: why"; add where the review came from.
    return fail("review", a.flag("file").value_or("stdin") + ": " + answer.body, kExitUsage, io);
  }
  io.out << pretty(answer.body) << "\n";
  return kExitOk;
}

}  // namespace sessiongate::cli
