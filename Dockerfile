# Ledgerline: one image for every process of a deployment; RUN_MODE picks api, worker or all.
# Build:  docker build -t ledgerline .
# Run:    see compose.yaml and docs/deployment.md

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Toolchain for better-sqlite3 should its prebuilt binary not match.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3 esbuild
COPY . .
# Browser assets (share page, embed player), then drop what only building needed. ffmpeg comes
# from Debian, so the bundled ffmpeg/ffprobe packages go too; esbuild stays (tsx runs on it).
RUN node scripts/build-web.mjs \
 && npm prune --omit=dev \
 && rm -rf node_modules/@ffmpeg-installer node_modules/@ffprobe-installer

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 ledgerline \
 && useradd --system --uid 10001 --gid ledgerline --home-dir /var/lib/ledgerline --shell /usr/sbin/nologin ledgerline \
 && mkdir -p /var/lib/ledgerline && chown ledgerline:ledgerline /var/lib/ledgerline
WORKDIR /app
COPY --from=build --chown=root:root /app /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/ledgerline \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe
USER ledgerline
VOLUME ["/var/lib/ledgerline"]
EXPOSE 8080
# /readyz checks the database, the blob store and the job queue. Worker processes (RUN_MODE=worker)
# serve no HTTP: compose.yaml turns this check off for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same entrypoint the cluster test starts (test/helpers/cluster.ts): tsx runs the sources as they are.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "src/main.ts"]
