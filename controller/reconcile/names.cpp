#include "controller/reconcile/names.h"

namespace sessiongate::controller {

std::string namespaceFor(std::string_view session) {
  return "sess-" + std::string(session);
}

}  // namespace sessiongate::controller
