import { requireOperator, route } from '@/lib/http';
import { queueDashboard } from '@/lib/queue-dashboard';

export const dynamic = 'force-dynamic';

/** web.md: the queue dashboard, for site admins only; anyone else finds nothing here (404). */
const handle = route(async (request: Request) => {
  await requireOperator(request);
  return queueDashboard().fetch(request);
});

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
