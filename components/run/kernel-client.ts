/**
 * The page's side of the Run panel's worker: started on first use (so the exercise page's first load
 * does not carry the kernel and its compiler), one request at a time, and terminated when a run
 * outlasts its CPU limit, so a loop that never yields cannot freeze the tab.
 */
import { timeoutResult } from '@/grader/run-result';
import type { BrowserRunReply, BrowserRunRequest } from './browser-kernel';
import type { KernelWorkerRequest } from './kernel.worker';

/** Time on top of the CPU limit before the page gives up on the worker: compiling and copying the result. */
const GRACE_MS = 1500;

type WorkerReply = ({ id: number } & BrowserRunReply) | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 1;

function startWorker(): Worker {
  worker ??= new Worker(new URL('./kernel.worker.ts', import.meta.url));
  return worker;
}

/** Starts the worker ahead of the first run (the kernel and TypeScript take a moment to load). */
export function warmUpKernel(): void {
  startWorker();
}

/** Runs the request in the worker; a run past its limit ends as `timeout` and the worker is replaced. */
export function runInWorker(request: BrowserRunRequest): Promise<BrowserRunReply> {
  const current = startWorker();
  const id = nextId++;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      current.removeEventListener('message', onMessage);
    };
    const onMessage = (event: MessageEvent<WorkerReply>): void => {
      if (event.data.id !== id) return;
      finish();
      if ('error' in event.data) reject(new Error(event.data.error));
      else resolve(event.data);
    };
    const timer = setTimeout(() => {
      finish();
      current.terminate();
      if (worker === current) worker = null;
      resolve({ result: timeoutResult({ cpuMs: request.cpuMs, memoryMb: 0 }, request.run.settings), paused: null, ms: performance.now() - started });
    }, request.cpuMs + GRACE_MS);
    current.addEventListener('message', onMessage);
    current.postMessage({ id, ...request } satisfies KernelWorkerRequest);
  });
}
