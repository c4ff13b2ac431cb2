# syntax=docker/dockerfile:1
# support-verify: the server compiled to dist/ (npm run build) on Node 24 LTS, production dependencies only,
# running as an unprivileged user. Works with the classic builder, BuildKit and podman/buildah alike.
#
#   docker build -t support-verify .
#   docker build --build-arg NODE_IMAGE=registry.example.com/mirror/node:24-bookworm-slim -t support-verify .
#   # behind a TLS-intercepting proxy (npm ci must trust its CA; the CA goes into the build stages only):
#   docker build --build-arg EXTRA_CA_CERT="$(cat corp-ca.pem)" -t support-verify .
#
# See README.md, "Deployment", for the variables to set (production needs Redis, PUBLIC_URL, PIN_PEPPER, ...).

ARG NODE_IMAGE=node:24-bookworm-slim

# --- dependencies and compile ------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
# PEM text of extra CAs to trust while npm downloads packages; empty (the default) changes nothing.
ARG EXTRA_CA_CERT=""
WORKDIR /build
COPY package.json package-lock.json ./
# --ignore-scripts: the only install scripts are esbuild's (tsx, a dev tool unused here) and restify's optional
# dtrace-provider (a native add-on, skipped; restify runs without it).
RUN if [ -n "$EXTRA_CA_CERT" ]; then printf '%s\n' "$EXTRA_CA_CERT" > /tmp/extra-ca.pem; export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
 && npm ci --ignore-scripts --no-audit --no-fund \
 && mkdir -p /prod && cp package.json package-lock.json /prod/ \
 && cd /prod && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf /root/.npm /tmp/extra-ca.pem
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/
COPY core core
COPY adapters adapters
COPY bots bots
COPY manifest manifest
RUN npm run build

# --- runtime --------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the app: it cannot change its own code or dependencies.
COPY --from=build /prod/node_modules node_modules
COPY --from=build /build/dist dist
COPY package.json ./
# A numeric uid (no /etc/passwd entry needed) lets Kubernetes' runAsNonRoot check it.
USER 10001:10001
# 3978: HTTP (Slack, Teams, the portal API, device answers, /healthz, /readyz).
# 9464: /metrics, which production serves on 127.0.0.1 only (a sidecar in the same pod reaches it); set
# METRICS_TOKEN to serve /metrics on 3978 behind a bearer token instead.
EXPOSE 3978 9464
# Liveness only: /healthz answers 200 while the process serves, whatever Redis does (see README, Deployment).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: unready for SHUTDOWN_DRAIN_SECONDS, then finishes in-flight work,
# closes Redis and exits 0 (no init process needed; `docker run --init` does no harm either).
STOPSIGNAL SIGTERM
CMD ["node", "dist/bots/main.js"]
