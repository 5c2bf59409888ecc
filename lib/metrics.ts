/**
 * The platform's Prometheus metrics. The web app and the workers are separate processes (and
 * there may be many of each), so what any of them counts goes to one Redis hash by HINCRBY:
 * exact across processes, and kept when a worker is SIGKILLed right after counting. A scrape of
 * `/api/metrics` reads that hash, asks the queue for its depth and the age of its oldest jobs,
 * and renders both with prom-client. A Redis that restarts empty starts the counters again from
 * zero, which Prometheus reads as a counter reset.
 */
import { AggregatorRegistry, Gauge, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { liveWorkers } from './heartbeats';
import { PRIORITY, type DraftRunJob, type GradingJob } from './queue';
import { keyPrefix } from './redis';

type Labels = Record<string, string>;

const COUNTERS = {
  rendezvous_gradings_total: 'Verdicts stored, by outcome: the grade status, or internal-error when the platform gave up.',
  rendezvous_sandbox_restarts_total: "Grader sandbox processes replaced after they died or were killed by the worker's watchdog.",
  rendezvous_rate_limit_refusals_total: 'Submissions refused (429) by a rate limit, by kind and by scope (user or course).',
} as const;
export type CounterName = keyof typeof COUNTERS;

const HISTOGRAMS = {
  rendezvous_grading_duration_seconds: {
    help: "Time the grader took for one submission (compile, run, score), by kind.",
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  },
  rendezvous_submission_latency_seconds: {
    help: "End to end: from a submission's creation to its stored verdict, by kind.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
} as const;
export type HistogramName = keyof typeof HISTOGRAMS;

function metricsKey(): string {
  return `${keyPrefix()}:metrics`;
}

/** A hash field names one series: `name|label=value,label=value` (labels sorted; values are plain words). */
function seriesField(name: string, labels: Labels): string {
  return `${name}|${Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${key}=${value}`).join(',')}`;
}

function parseSeriesField(field: string): { name: string; labels: Labels } {
  const [name, encoded = ''] = field.split('|');
  const labels: Labels = {};
  for (const pair of encoded.split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { name, labels };
}

/** Counts one event of `name`. */
export async function countEvent(redis: Redis, name: CounterName, labels: Labels = {}): Promise<void> {
  await redis.hincrby(metricsKey(), seriesField(name, labels), 1);
}

/** Records one observation of `seconds` in the histogram `name`: its cumulative buckets, sum and count. */
export async function observeSeconds(redis: Redis, name: HistogramName, labels: Labels, seconds: number): Promise<void> {
  const transaction = redis.multi();
  for (const le of [...HISTOGRAMS[name].buckets, Infinity]) {
    if (seconds <= le) transaction.hincrby(metricsKey(), seriesField(`${name}_bucket`, { ...labels, le: le === Infinity ? '+Inf' : String(le) }), 1);
  }
  transaction.hincrbyfloat(metricsKey(), seriesField(`${name}_sum`, labels), seconds);
  transaction.hincrby(metricsKey(), seriesField(`${name}_count`, labels), 1);
  await transaction.exec();
}

type StoredMetric = MetricObjectWithValues<MetricValue<string>>;

function storedMetric(name: string, help: string, type: 'counter' | 'histogram', values: MetricValue<string>[]): StoredMetric {
  return { name, help, type, values, aggregator: 'sum' } as unknown as StoredMetric;
}

/**
 * The counters and histograms every process has recorded, as prom-client's JSON of metrics. A
 * histogram lists every bucket in order for each label set it has seen (a bucket never reached is 0).
 */
async function storedMetrics(redis: Redis): Promise<StoredMetric[]> {
  const fields = await redis.hgetall(metricsKey());
  const series = Object.entries(fields).map(([field, value]) => ({ ...parseSeriesField(field), value: Number(value) }));
  const valueOf = (name: string, labels: Labels) => Number(fields[seriesField(name, labels)] ?? 0);
  const counters = Object.entries(COUNTERS).map(([name, help]) =>
    storedMetric(name, help, 'counter', series.filter((entry) => entry.name === name).map(({ labels, value }) => ({ labels, value }))),
  );
  const histograms = Object.entries(HISTOGRAMS).map(([name, { help, buckets }]) => {
    const labelSets = series.filter((entry) => entry.name === `${name}_count`).map((entry) => entry.labels);
    const values = labelSets.flatMap((labels) => [
      ...[...buckets, Infinity].map((le) => {
        const bound = le === Infinity ? '+Inf' : String(le);
        return { metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: valueOf(`${name}_bucket`, { ...labels, le: bound }) };
      }),
      { metricName: `${name}_sum`, labels, value: valueOf(`${name}_sum`, labels) },
      { metricName: `${name}_count`, labels, value: valueOf(`${name}_count`, labels) },
    ]);
    return storedMetric(name, help, 'histogram', values as MetricValue<string>[]);
  });
  return [...counters, ...histograms];
}

/** The queue as it is now: waiting jobs and the age of the oldest one per priority, jobs per state, live workers. */
async function queueMetrics(redis: Redis, queue: Queue<GradingJob | DraftRunJob>): Promise<StoredMetric[]> {
  const registry = new Registry();
  const depth = new Gauge({ name: 'rendezvous_queue_depth', help: 'Jobs waiting to be taken, by priority.', labelNames: ['priority'], registers: [registry] });
  const age = new Gauge({ name: 'rendezvous_queue_oldest_job_age_seconds', help: 'Age of the oldest waiting job, by priority (0 when none waits).', labelNames: ['priority'], registers: [registry] });
  const byState = new Gauge({ name: 'rendezvous_queue_jobs', help: 'Jobs in the grading queue, by BullMQ state.', labelNames: ['state'], registers: [registry] });
  const workers = new Gauge({ name: 'rendezvous_workers_live', help: 'Grading workers whose heartbeat is fresh.', registers: [registry] });

  const priorities = Object.entries(PRIORITY);
  const [counts, states, live] = await Promise.all([
    queue.getCountsPerPriority(priorities.map(([, priority]) => priority)),
    queue.getJobCounts('active', 'waiting', 'prioritized', 'delayed', 'failed'),
    liveWorkers(redis),
  ]);
  const now = Date.now();
  for (const [reason, priority] of priorities) {
    depth.set({ priority: reason }, counts[priority] ?? 0);
    // BullMQ scores a prioritized job `priority × 2^32 + arrival counter`: the first in a priority's range waited longest.
    const [oldestId] = await redis.zrangebyscore(queue.keys.prioritized, priority * 2 ** 32, (priority + 1) * 2 ** 32 - 1, 'LIMIT', 0, 1);
    const oldest = oldestId ? await queue.getJob(oldestId) : undefined;
    age.set({ priority: reason }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
  }
  for (const [state, count] of Object.entries(states)) byState.set({ state }, count);
  workers.set(live.length);
  return (await registry.getMetricsAsJSON()) as StoredMetric[];
}

/** The Prometheus text of a scrape, and its content type. */
export async function renderMetrics(redis: Redis, queue: Queue<GradingJob | DraftRunJob>): Promise<{ text: string; contentType: string }> {
  const [stored, current] = await Promise.all([storedMetrics(redis), queueMetrics(redis, queue)]);
  const registry = AggregatorRegistry.aggregate([[...current, ...stored]]);
  return { text: await registry.metrics(), contentType: registry.contentType };
}
