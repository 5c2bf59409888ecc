/**
 * The queue dashboard at /admin/queues: bull-board over the grading queue, served through Hono's
 * fetch-API app so that a Next.js route handler can hand it a Request and return its Response.
 * It shows and acts on jobs only; the database stays the truth about submissions.
 */
import { readFile } from 'node:fs/promises';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { Hono } from 'hono';
import { serveStatic, type ServeStaticOptions } from 'hono/serve-static';
import { gradingQueue } from './queue';

const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Serves bull-board's own script, style and image files from its package folder. */
function serveBoardFiles(options: ServeStaticOptions) {
  return serveStatic({ ...options, getContent: (file) => readFile(file).then((content) => new Uint8Array(content), () => null) });
}

const holder = globalThis as typeof globalThis & { rendezvousQueueDashboard?: Hono };

/** The dashboard's app (built on first use, once per process). */
export function queueDashboard(): Hono {
  if (holder.rendezvousQueueDashboard) return holder.rendezvousQueueDashboard;
  const board = new HonoAdapter(serveBoardFiles as ConstructorParameters<typeof HonoAdapter>[0]).setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(gradingQueue(), { description: 'Gradings: visible runs (priority 1) before submissions (2) before regrades (3)' })],
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Rendezvous queues' } },
  });
  holder.rendezvousQueueDashboard = new Hono().route(QUEUE_DASHBOARD_PATH, board.registerPlugin());
  return holder.rendezvousQueueDashboard;
}
