/**
 * The page's side of the Run panel's worker: started on first use (so the exercise page's first load
 * does not carry the kernel and its compiler), one request at a time, and terminated when a run
 * outlasts its CPU limit, so a loop that never yields cannot freeze the tab.
 */
import { timeoutResult } from '@/common/run-result';
import type { BrowserRunReply, BrowserRunRequest } from './browser-kernel';
import { WORKER_READY, type KernelWorkerReply, type KernelWorkerRequest } from './protocol';

/** Time on top of the CPU limit before the page gives up on the worker: compiling and copying the result. */
const GRACE_MS = 1500;

interface KernelWorker {
  worker: Worker;
  /** Settles once the kernel and TypeScript are loaded and warm: a run's limit starts only then. */
  ready: Promise<void>;
}

let current: KernelWorker | null = null;
let nextId = 1;

function startWorker(): KernelWorker {
  if (current) return current;
  const worker = new Worker(new URL('./kernel.worker.ts', import.meta.url));
  const ready = new Promise<void>((resolve, reject) => {
    const onReady = (event: MessageEvent): void => {
      if (event.data !== WORKER_READY) return;
      worker.removeEventListener('message', onReady);
      resolve();
    };
    worker.addEventListener('message', onReady);
    worker.addEventListener('error', (event) => reject(new Error(event.message || 'the kernel could not be loaded')), { once: true });
  });
  const started = { worker, ready };
  // A worker that failed to load is replaced at the next run.
  ready.catch(() => {
    if (current === started) current = null;
  });
  current = started;
  return started;
}

/** Starts the worker ahead of the first run; resolves once it is ready. */
export function warmUpKernel(): Promise<void> {
  return startWorker().ready;
}

/** Runs the request in the worker; a run past its limit ends as `timeout` and the worker is replaced. */
export async function runInWorker(request: BrowserRunRequest): Promise<BrowserRunReply> {
  const started = performance.now();
  const kernel = startWorker();
  await kernel.ready;
  const { worker } = kernel;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
    };
    const onMessage = (event: MessageEvent<KernelWorkerReply>): void => {
      if (event.data.id !== id) return;
      finish();
      if ('error' in event.data) reject(new Error(event.data.error));
      else resolve(event.data);
    };
    const timer = setTimeout(() => {
      finish();
      worker.terminate();
      if (current === kernel) current = null;
      resolve({ result: timeoutResult({ cpuMs: request.cpuMs, memoryMb: 0 }, request.run.settings), paused: null, ms: performance.now() - started });
    }, request.cpuMs + GRACE_MS);
    worker.addEventListener('message', onMessage);
    worker.postMessage({ id, ...request } satisfies KernelWorkerRequest);
  });
}
