import type { NextConfig } from 'next';

const config: NextConfig = {
  // Another folder lets two builds of one checkout (say, tests and a running demo) not overwrite each other.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // Native and Node-only libraries stay as runtime requires instead of being bundled.
  serverExternalPackages: ['pg', 'ioredis', 'bullmq', 'pino', '@prisma/adapter-pg', '@bull-board/api', '@bull-board/hono', '@bull-board/ui', 'ejs'],
  // The typecheck and lint run in `npm test`; the build does not repeat them.
  typescript: { ignoreBuildErrors: true },
  // The editor's TypeScript worker bundles declaration files as text (`?raw`), so nothing comes from a CDN.
  turbopack: { rules: { '*.d.ts': { condition: { query: '?raw' }, type: 'text' } } },
};

export default config;
