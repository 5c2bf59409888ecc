/**
 * The Run panel's Web Worker: the kernel and the student's code, off the page's thread, so the page
 * can end a run that loops (by terminating this worker) without freezing the tab.
 */
import { runInBrowser, type BrowserRunRequest } from './browser-kernel';

/** A request as the page sends it: the run, and an id its reply carries back. */
export interface KernelWorkerRequest extends BrowserRunRequest {
  id: number;
}

addEventListener('message', async (event: MessageEvent<KernelWorkerRequest>) => {
  const { id, ...request } = event.data;
  try {
    postMessage({ id, ...(await runInBrowser(request)) });
  } catch (error) {
    postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
