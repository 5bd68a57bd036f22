#include "cli/session_open.h"

#include <ostream>

#include "cli/session_lines.h"
#include "core/clock.h"
#include "core/duration.h"
#include "core/kube/backoff.h"
#include "core/object_meta.h"

namespace sessiongate::cli {
namespace {

using kube::resources::kUserSessions;

constexpr std::string_view kCommand = "session open";
constexpr std::chrono::milliseconds kDeletePollInterval{250};

std::string phaseOf(const Json& object) {
  if (!object.is_object() || !object.contains("status") || !object["status"].is_object()) return {};
  const Json& status = object["status"];
  return status.contains("phase") && status["phase"].is_string() ? status["phase"].get<std::string>() : "";
}

// refusedCode is the exit code of a failed create: an answer of the API server or of its admission
// webhooks that refuses the request is the user's to fix (1); no answer or a server failure is 3.
int refusedCode(const kube::ApiError& error) {
  return error.code >= 400 && error.code < 500 ? kExitProblems : kExitClusterError;
}

// SessionFollower holds one run: the created session and what was printed of it.
class SessionFollower {
 public:
  SessionFollower(const kube::KubeClient& client, const SessionRequest& request, CommandIo io,
                  StopRequest& stop, const Clock& clock)
      : client_(client), request_(request), io_(io), stop_(stop), clock_(clock) {}

  int run(const std::string& username) {
    auto created = client_.create(kUserSessions, "", sessionManifest(request_, username));
    if (!created) {
      const kube::ApiError& error = created.error();
      io_.err << "sessiongatectl " << kCommand << ": " << error.describe() << "\n";
      int code = refusedCode(error);
      if (code == kExitProblems) print(refusedLine(error.code, error.reason, error.message));
      return code;
    }
    name_ = std::string(metaOf(*created).name());
    uid_ = std::string(metaOf(*created).uid());
    resourceVersion_ = std::string(metaOf(*created).resourceVersion());
    print(createdLine(*created));
    observe(*created);

    follow();
    if (gone_) {
      print(endedLine(name_, lastPhase_.empty()
                                 ? "removed from the cluster"
                                 : "removed from the cluster (last phase " + lastPhase_ + ")"));
      return kExitOk;
    }
    if (request_.keep) {
      print(keptLine(name_, stop_.reason()));
      return kExitOk;
    }
    return deleteAndWait();
  }

 private:
  void print(const std::string& line) {
    if (!line.empty()) io_.out << line << "\n" << std::flush;
  }

  // observe prints the status of a newer copy of our session when a user would see a change.
  void observe(const Json& object) {
    std::string version = std::string(metaOf(object).resourceVersion());
    if (!version.empty()) resourceVersion_ = version;
    if (std::string phase = phaseOf(object); !phase.empty()) lastPhase_ = phase;
    print(printer_.next(object));
  }

  // follow watches the session until stop fires or it is deleted; a dropped watch resumes from the last
  // resourceVersion after a backoff, an expired one (410) re-reads the object first.
  void follow() {
    kube::Backoff backoff(kube::BackoffPolicy{std::chrono::milliseconds(200), std::chrono::seconds(5)});
    while (!stop_.signal().stopped() && !gone_) {
      bool reread = false;
      kube::WatchOptions options;
      options.fieldSelector = "metadata.name=" + name_;
      options.resourceVersion = resourceVersion_;
      auto ended = client_.watch(
          kUserSessions, "", options,
          [&](const kube::WatchEvent& event) {
            switch (event.type) {
              case kube::WatchEventType::Bookmark:
                resourceVersion_ = std::string(metaOf(event.object).resourceVersion());
                return true;
              case kube::WatchEventType::Added:
              case kube::WatchEventType::Modified:
                if (metaOf(event.object).uid() != uid_) return true;
                backoff.reset();
                observe(event.object);
                return true;
              case kube::WatchEventType::Deleted:
                if (metaOf(event.object).uid() != uid_) return true;
                if (std::string phase = phaseOf(event.object); !phase.empty()) lastPhase_ = phase;
                gone_ = true;
                return false;
              case kube::WatchEventType::Error: {
                auto error = kube::apiErrorFromStatus(event.object);
                if (!error.gone())
                  io_.err << "sessiongatectl " << kCommand << ": watch: " << error.describe() << "\n";
                reread = true;
                return false;
              }
            }
            return true;
          },
          stop_.signal());
      if (stop_.signal().stopped() || gone_) return;
      if (!ended) {
        io_.err << "sessiongatectl " << kCommand << ": watch of usersession " << name_
                << " dropped: " << ended.error().describe() << "; resuming\n";
        reread = ended.error().gone();
        stop_.signal().waitFor(backoff.next(), clock_);
      }
      if (reread) rereadObject();
    }
  }

  // rereadObject replaces a resourceVersion the server no longer serves with the object's current one.
  void rereadObject() {
    auto current = client_.get(kUserSessions, "", name_);
    if (!current) {
      if (current.error().notFound()) gone_ = true;
      resourceVersion_.clear();
      return;
    }
    if (metaOf(*current).uid() != uid_) {
      gone_ = true;
      return;
    }
    observe(*current);
  }

  // deleteAndWait deletes our session (only ours: the uid is a precondition) and polls until it is gone,
  // printing status changes (Terminating) meanwhile, within request_.deleteTimeout.
  int deleteAndWait() {
    const auto deadline = clock_.now() + request_.deleteTimeout;
    kube::StopSignal sleeper;  // never stopped: a bounded sleep between polls
    kube::DeleteOptions options;
    options.propagationPolicy = "Background";
    options.preconditionUid = uid_;
    bool asked = false;
    std::string lastProblem;
    while (clock_.now() < deadline) {
      if (!asked) {
        auto removed = client_.remove(kUserSessions, "", name_, options);
        if (removed || removed.error().notFound() || removed.error().conflict()) {
          asked = true;
          print(deletingLine(name_, stop_.reason()));
          // NotFound / Conflict (uid precondition): ours is already gone.
          if (!removed) {
            print(deletedLine(name_));
            return kExitOk;
          }
        } else {
          lastProblem = removed.error().describe();
          if (!removed.error().unreachable() && removed.error().code < 500) {
            io_.err << "sessiongatectl " << kCommand << ": deleting usersession " << name_ << ": "
                    << lastProblem << "\n";
            return kExitProblems;
          }
        }
      }
      if (asked) {
        auto current = client_.get(kUserSessions, "", name_);
        if (!current && current.error().notFound()) {
          print(deletedLine(name_));
          return kExitOk;
        }
        if (current && metaOf(*current).uid() != uid_) {
          print(deletedLine(name_));
          return kExitOk;
        }
        if (current) observe(*current);
        if (!current) lastProblem = current.error().describe();
      }
      sleeper.waitFor(kDeletePollInterval, clock_);
    }
    io_.err << "sessiongatectl " << kCommand << ": usersession " << name_ << " is not gone after "
            << formatDuration(request_.deleteTimeout)
            << (lastProblem.empty() ? std::string(" (its finalizer waits for the controller)")
                                    : " (last error: " + lastProblem + ")")
            << "; check it with kubectl get usersession " << name_ << "\n";
    return kExitClusterError;
  }

  const kube::KubeClient& client_;
  const SessionRequest& request_;
  CommandIo io_;
  StopRequest& stop_;
  const Clock& clock_;
  StatusPrinter printer_;
  std::string name_;
  std::string uid_;
  std::string resourceVersion_;
  std::string lastPhase_;
  bool gone_ = false;
};

}  // namespace

void StopRequest::request(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (reason_.empty()) reason_ = reason;
  }
  signal_.stop();
}

std::string StopRequest::reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

int openSession(const kube::KubeClient& client, const SessionRequest& request, const std::string& username,
                CommandIo io, StopRequest& stop, const Clock& clock) {
  return SessionFollower(client, request, io, stop, clock).run(username);
}

}  // namespace sessiongate::cli
