import { requireOperator, route } from '@/lib/http';
import { renderMetrics } from '@/lib/metrics';
import { gradingQueue } from '@/lib/queue';
import { sharedRedis } from '@/lib/redis';

export const dynamic = 'force-dynamic';

/** web.md: Prometheus text, for admins or a scraper with METRICS_TOKEN. */
export const GET = route(async (request) => {
  await requireOperator(request, { metricsToken: true, anonymous: 401 });
  const { text, contentType } = await renderMetrics(sharedRedis(), gradingQueue());
  return new Response(text, { headers: { 'content-type': contentType } });
});
