# syntax=docker/dockerfile:1
# The directline server image: build on Debian 12, run the one binary as a non-root user.
#   docker build -t directline .
#   docker run -e DATABASE_URL=postgresql://directline_app:...@db/directline \
#              -e DATABASE_OWNER_URL=postgresql://directline:...@db/directline -p 8080:8080 directline
# DATABASE_URL is the server's role (owns no table, no superuser, no BYPASSRLS: row-level
# security holds it); DATABASE_OWNER_URL the tables' owner, which only `serve --migrate`
# (the default command) and `directline demo` use. compose.yaml at the repository root
# runs it together with PostgreSQL 15, with the migrations in a one-shot of their own.

FROM debian:12-slim AS build
# Versions are Debian 12's; pinning exact ones would break on every security update.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config \
        libmicrohttpd-dev libcjson-dev libsodium-dev libpq-dev libdeflate-dev libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY backend/ backend/
COPY sql/ sql/
# The image holds the program only: an empty tests/ keeps the top CMakeLists.txt happy
# without cmocka, pytest or the test sources.
RUN mkdir -p tests \
 && printf '# tests are not built into the image\n' > tests/CMakeLists.txt \
 && cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --parallel

FROM debian:12-slim
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        libmicrohttpd12 libcjson1 libsodium23 libpq5 libdeflate0 libcurl4 curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin directline
COPY --from=build /src/build/backend/directline /usr/local/bin/directline
COPY --from=build /src/sql/ /usr/share/directline/sql/
COPY --from=build /src/backend/web/ /usr/share/directline/web/
# The binary looks for its SQL (migrations/, demo/) and the browser app in the source tree
# it was built from unless told otherwise; here they live under /usr/share/directline.
ENV DIRECTLINE_SQL_DIR=/usr/share/directline/sql \
    DIRECTLINE_WEB_DIR=/usr/share/directline/web \
    DIRECTLINE_LISTEN=0.0.0.0:8080
# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8080
# /healthz answers while the process runs; /readyz would also test the database, and a
# database outage should not get the server restarted.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1
# serve --migrate brings the schema up to date first (a no-op when it already is), as
# DATABASE_OWNER_URL's role when given.
CMD ["directline", "serve", "--migrate"]
