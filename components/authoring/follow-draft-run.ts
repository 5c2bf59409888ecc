/**
 * Follows a draft run's event stream (/api/draft-runs/<id>/events) in the browser: each check as
 * the worker makes it, then the final state. Returns a function that stops following.
 */
import type { ValidationCheck } from '@/common/validation-lines';

export interface DraftRunListener {
  /** The stream (re)opened: it sends every check made so far again. */
  onOpen?(): void;
  onCheck?(check: ValidationCheck): void;
  onState?(state: 'queued' | 'running'): void;
  /** The run is over (`graded` or `error`); `valid` for a validation that finished. */
  onEnd(state: 'graded' | 'error', valid: boolean | undefined): void;
}

export function followDraftRun(id: string, listener: DraftRunListener): () => void {
  const events = new EventSource(`/api/draft-runs/${id}/events`);
  let ended = false;
  events.onopen = () => listener.onOpen?.();
  events.addEventListener('check', (event) => listener.onCheck?.(JSON.parse((event as MessageEvent<string>).data) as ValidationCheck));
  events.addEventListener('state', (event) => {
    const { state, valid } = JSON.parse((event as MessageEvent<string>).data) as { state: 'queued' | 'running' | 'graded' | 'error'; valid?: boolean };
    if (state === 'graded' || state === 'error') {
      ended = true;
      events.close();
      listener.onEnd(state, valid);
    } else listener.onState?.(state);
  });
  // The browser reconnects a dropped stream by itself; one that cannot be opened ends the run as an error.
  events.onerror = () => {
    if (!ended && events.readyState === EventSource.CLOSED) listener.onEnd('error', undefined);
  };
  return () => events.close();
}
