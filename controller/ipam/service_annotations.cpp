#include "controller/ipam/service_annotations.h"

namespace sessiongate {

std::map<std::string, std::string> serviceAnnotations(const PublicExposureConfig& exposure,
                                                      const IpAddress& ip) {
  std::map<std::string, std::string> annotations = exposure.commonAnnotations;
  annotations[exposure.ipAnnotation.empty() ? kMetalLbIpsAnnotation : exposure.ipAnnotation] =
      ip.str();
  if (!exposure.sharedIPKey.empty()) annotations[kMetalLbAllowSharedIpAnnotation] = exposure.sharedIPKey;
  return annotations;
}

}  // namespace sessiongate
