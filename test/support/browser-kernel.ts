/**
 * The Run panel's kernel bundle (dist/browser-kernel.js, as the browser gets it) in a Node worker
 * thread, loaded without `require` in scope as a browser page would see it: for the agreement test
 * that holds it to the grader's sandbox.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BrowserRunReply, BrowserRunRequest } from '../../components/run/browser-kernel';

const BUNDLE = path.join(__dirname, '..', '..', 'dist', 'browser-kernel.js');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bundle = { exports: {} };
// No require in the bundle's scope: TypeScript inside it then takes this for a browser, not Node.
new Function('module', 'exports', 'require', require('node:fs').readFileSync(workerData, 'utf8'))(bundle, bundle.exports, undefined);
parentPort.on('message', async (requests) => {
  const replies = [];
  for (const request of requests) replies.push(await bundle.exports.runInBrowser(request));
  parentPort.postMessage(replies);
});
`;

export interface BrowserKernel {
  /** Runs the requests one after the other, as the Run panel's worker would; one call at a time. */
  run(requests: BrowserRunRequest[]): Promise<BrowserRunReply[]>;
  close(): Promise<void>;
}

export function startBrowserKernel(): BrowserKernel {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: BUNDLE });
  return {
    run(requests) {
      return new Promise<BrowserRunReply[]>((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        worker.once('error', onError);
        worker.once('message', (replies: BrowserRunReply[]) => {
          worker.off('error', onError);
          resolve(replies);
        });
        worker.postMessage(requests);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
