/**
 * The Run panel's Web Worker: the kernel and the student's code, off the page's thread, so the page
 * can end a run that loops (by terminating this worker) without freezing the tab.
 */
import { runInBrowser, warmUp } from './browser-kernel';
import { WORKER_READY, type KernelWorkerReply, type KernelWorkerRequest } from './protocol';

addEventListener('message', async (event: MessageEvent<KernelWorkerRequest>) => {
  const { id, ...request } = event.data;
  try {
    postMessage({ id, ...(await runInBrowser(request)) } satisfies KernelWorkerReply);
  } catch (error) {
    postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies KernelWorkerReply);
  }
});

warmUp();
postMessage(WORKER_READY);
