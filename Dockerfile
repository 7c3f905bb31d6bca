# The gateway with the built dashboard. PostgreSQL (and optionally Redis) run beside it:
# see docker-compose.yml. Without DATABASE_URL it would start an embedded PostgreSQL in /data.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The lock file was written by npm 11, which also honours the allowScripts list in package.json.
RUN npm install -g npm@11.19.1
COPY package.json package-lock.json .npmrc ./
COPY server/package.json server/
COPY web/package.json web/
COPY sdk/package.json sdk/
RUN npm ci
COPY scripts scripts
COPY server server
COPY web web
COPY schema.graphql ./
RUN node scripts/build.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PORT=4000 \
    TALLY_DATA_DIR=/data
RUN npm install -g npm@11.19.1
COPY package.json package-lock.json .npmrc ./
COPY server/package.json server/
COPY web/package.json web/
COPY sdk/package.json sdk/
RUN npm ci --omit=dev --workspace server && npm cache clean --force
COPY --from=build /app/server/dist server/dist
COPY --from=build /app/web/dist web/dist
# Generated keys (admin.key, secret.key) live in /data; mount a volume there to keep them.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server/dist/main.js"]
