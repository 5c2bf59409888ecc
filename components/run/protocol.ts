/** What the page and the Run panel's worker say to each other (the worker's module is never imported by the page). */
import type { BrowserRunReply, BrowserRunRequest } from './browser-kernel';

/** A request as the page sends it: the run, and an id its reply carries back. */
export interface KernelWorkerRequest extends BrowserRunRequest {
  id: number;
}

export type KernelWorkerReply = ({ id: number } & BrowserRunReply) | { id: number; error: string };

/** Posted once the kernel and the compiler are loaded and warm. */
export const WORKER_READY = 'ready';
