# syntax=docker/dockerfile:1
# One image with the sessiongate binaries (sessiongate-webhook, sessiongate-controller, sessiongate-tracker,
# sessiongatectl); the manifests pick one with `command`.
#   docker build -t ghcr.io/sessiongate/sessiongate:0.1.0 .
# Build stage: the same Debian 12 packages as scripts/deps.sh, a Release build, nothing vendored.
FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libssl-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libfmt-dev catch2 \
      libyaml-cpp-dev libpcap-dev libsimdjson-dev libzstd-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target sessiongate-webhook sessiongate-controller sessiongate-tracker sessiongatectl \
 && mkdir -p /out \
 && for b in sessiongate-webhook sessiongate-controller sessiongate-tracker sessiongatectl; do \
      install -m 0755 -s "$(find /build -type f -name "$b" -perm -u+x | head -n 1)" /out/"$b"; \
    done

# Runtime stage: only the shared libraries the binaries link against, no compiler, no headers.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates libssl3 libcpp-httplib0.11 libspdlog1.10 libfmt9 libyaml-cpp0.7 libpcap0.8 libsimdjson14 libzstd1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /usr/local/bin/
# The tracker captures as non-root with CAP_NET_RAW from a file capability (set here: COPY does not keep
# extended attributes); see manifests/tracker/daemonset.yaml.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_raw+ep /usr/local/bin/sessiongate-tracker \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
# Fail the build, not the pod, if a runtime library is missing.
RUN if ldd /usr/local/bin/sessiongate* | grep 'not found'; then exit 1; fi
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/sessiongate-webhook"]
