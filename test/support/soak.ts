/**
 * The soak: a stream of submissions, honest and hostile in a seeded random order, graded in turn
 * through one SandboxClient as a worker grades them. Every honest one must get the verdict it gets
 * alone in a fresh sandbox; the child's resident memory is sampled as the stream goes. Used by
 * test/soak.test.ts (a short stream) and `npm run soak` (2,000 gradings, bench/soak/run.mjs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { builtInExerciseFolder, type SourceFile } from '../../grader/exercise';
import type { GradeResult } from '../../grader/grade';
import { SandboxClient } from '../../grader/sandbox-client';
import { hostileSubmission, tightPipeMessage, verdict } from './hostile';

/**
 * Attacks of the corpus that end within a second under pipe-message's tight limits: the ones that
 * outlast a whole grading's budget (the watchdog's) would make the stream a test of waiting.
 */
export const SOAK_ATTACKS = [
  'busy-loop', 'microtask-chain', 'leftover-microtask', 'leftover-allocating-microtask', 'array-growth', 'string-doubling',
  'fatal-array-size', 'symbol-registry-flood', 'promise-flood', 'typed-array-own-slice', 'prototype-pollution', 'intrinsic-hijack',
  'regexp-channel', 'shared-frozen-object', 'fork-bomb', 'deep-recursion', 'static-import', 'walk-sys',
];

export interface SoakOptions {
  gradings: number;
  /** Share of the stream that is hostile. */
  hostileShare: number;
  seed: number;
  /** Gradings one isolate of the sandboxes serves (default: the product's, a fresh isolate for each). */
  gradingsPerIsolate?: number;
  /** Called after each grading, for a progress line. */
  onGraded?: (done: number) => void;
}

export interface SoakReport {
  gradings: number;
  honest: number;
  hostile: number;
  seconds: number;
  gradingsPerSec: number;
  /** Honest submissions only, through a fresh client, measured in the same run. */
  honestOnlyGradingsPerSec: number;
  /** The child's resident memory, sampled every SAMPLE_EVERY gradings. */
  residentMb: { first: number; max: number; last: number };
  /** Honest submissions whose verdict differed from their verdict alone: each a sentence. */
  mismatches: string[];
  statuses: Record<string, number>;
  /** Children started: the first, and each after one was killed (watchdog) or died (V8 gave up). */
  children: number;
}

const SAMPLE_EVERY = 25;

/** The honest submissions: the reference solution, the starter and each known-wrong solution of pipe-message. */
function honestSubmissions(): SourceFile[] {
  const folder = builtInExerciseFolder('pipe-message')!;
  const read = (file: string): SourceFile => ({ fileName: file, source: readFileSync(path.join(folder, file), 'utf8') });
  return [read('solution.ts'), read('starter.ts'), ...readdirSync(path.join(folder, 'wrong')).sort().map((file) => read(`wrong/${file}`))];
}

/** A small seeded generator (mulberry32): the same seed gives the same stream. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export async function soak(options: SoakOptions): Promise<SoakReport> {
  const { pack } = tightPipeMessage();
  const honest = honestSubmissions();
  const attacks = SOAK_ATTACKS.map(hostileSubmission);
  const gradeIn = (client: SandboxClient, submission: SourceFile): Promise<GradeResult> => client.grade({ exercise: pack, submission });

  const alone = new Map<string, unknown>();
  for (const submission of honest) {
    const fresh = new SandboxClient();
    alone.set(submission.fileName, verdict(await gradeIn(fresh, submission)));
    fresh.close();
  }

  const random = seeded(options.seed);
  const stream = Array.from({ length: options.gradings }, () => {
    const pool = random() < options.hostileShare ? attacks : honest;
    return { submission: pool[Math.floor(random() * pool.length)], honest: pool === honest };
  });

  const client = new SandboxClient({ gradingsPerIsolate: options.gradingsPerIsolate });
  const resident: number[] = [];
  const mismatches: string[] = [];
  const statuses: Record<string, number> = {};
  const pids = new Set<number>();
  const started = performance.now();
  try {
    for (const [index, { submission, honest: isHonest }] of stream.entries()) {
      const result = await gradeIn(client, submission);
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      if (isHonest && JSON.stringify(verdict(result)) !== JSON.stringify(alone.get(submission.fileName))) {
        mismatches.push(`grading ${index + 1}, ${submission.fileName}: ${result.status} ${result.score}/${result.maxScore} (${result.message ?? 'no message'}), not its verdict alone`);
      }
      if (client.childPid !== undefined) pids.add(client.childPid);
      if ((index + 1) % SAMPLE_EVERY === 0) {
        const report = await client.inspect();
        if (report) resident.push(report.residentMb);
      }
      options.onGraded?.(index + 1);
    }
  } finally {
    client.close();
  }
  const seconds = (performance.now() - started) / 1000;

  const honestOnly = new SandboxClient({ gradingsPerIsolate: options.gradingsPerIsolate });
  const honestRuns = Math.max(10, Math.round(options.gradings / 10));
  const honestStarted = performance.now();
  try {
    for (let i = 0; i < honestRuns; i++) await gradeIn(honestOnly, honest[i % honest.length]);
  } finally {
    honestOnly.close();
  }
  const honestSeconds = (performance.now() - honestStarted) / 1000;

  return {
    gradings: stream.length,
    honest: stream.filter((item) => item.honest).length,
    hostile: stream.filter((item) => !item.honest).length,
    seconds: Number(seconds.toFixed(1)),
    gradingsPerSec: Number((stream.length / seconds).toFixed(2)),
    honestOnlyGradingsPerSec: Number((honestRuns / honestSeconds).toFixed(2)),
    residentMb: { first: resident[0] ?? 0, max: Math.max(0, ...resident), last: resident.at(-1) ?? 0 },
    mismatches,
    statuses,
    children: pids.size,
  };
}
