# syntax=docker/dockerfile:1
# One image for the whole platform: the web app (the default command), the grading worker
# (`node --no-node-snapshot dist/worker.js`) and the migrations (`npm run migrate`).

FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are skipped (some download engines the platform does not use); isolated-vm is
# then built from source with the python3, make and g++ this image has.
RUN npm install --no-audit --no-fund --ignore-scripts && npm rebuild isolated-vm
COPY . .
RUN node scripts/build.mjs && node node_modules/next/dist/bin/next build

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=build /app /app
# The code stays root's and read-only to the app; only Next's cache is writable.
RUN mkdir -p .next/cache && chown node:node .next/cache
USER node
EXPOSE 3000
CMD ["node", "node_modules/next/dist/bin/next", "start"]
