import { release, VectorClock } from './hb';
import type { Kernel } from './kernel';
import type { Proc } from './proc';
import type { Thread } from './thread';
import { SIGNALS, type SignalName } from './types';

type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'continue';

/** What each signal does to a process that has not installed a handler (signal(7)). */
export const DEFAULT_ACTION: Readonly<Record<SignalName, DefaultAction>> = {
  SIGINT: 'term', SIGQUIT: 'core', SIGILL: 'core', SIGABRT: 'core', SIGKILL: 'term', SIGSEGV: 'core',
  SIGPIPE: 'term', SIGALRM: 'term', SIGTERM: 'term', SIGUSR1: 'term', SIGUSR2: 'term',
  SIGCHLD: 'ignore', SIGCONT: 'continue', SIGSTOP: 'stop', SIGTSTP: 'stop',
};

export interface Handler {
  fn: (sig: SignalName) => unknown;
  restart: boolean;
}
export type Disposition = 'default' | 'ignore' | Handler;

export function isSignal(value: unknown): value is SignalName {
  return typeof value === 'string' && (SIGNALS as readonly string[]).includes(value);
}

/** A process's signal state: dispositions, what is pending, what is being handled. */
export class SignalState {
  /** Signal → disposition; absent means 'default'. */
  readonly dispositions = new Map<SignalName, Disposition>();
  /** Sent and not yet delivered; one of each kind at most (signals do not queue). */
  readonly pending = new Set<SignalName>();
  /** Signals whose handler is running; another of the same kind waits until it returns. */
  readonly handling = new Set<SignalName>();
  /** Senders publish to the handler through it (happens-before). */
  readonly clock = new VectorClock();

  disposition(sig: SignalName): Disposition {
    return this.dispositions.get(sig) ?? 'default';
  }

  /** The child's state after fork: same dispositions (the caller maps handlers), nothing pending. */
  copyDispositions(into: SignalState): void {
    for (const [sig, disposition] of this.dispositions) into.dispositions.set(sig, disposition);
  }

  /** exec keeps ignored signals ignored and resets handlers. */
  resetHandlers(): void {
    for (const [sig, disposition] of this.dispositions) if (typeof disposition === 'object') this.dispositions.delete(sig);
  }
}

/**
 * kill(): default actions take effect at once; a handled signal waits, pending,
 * for the target's main thread to reach a scheduling point, and wakes it if it
 * is blocked (the blocked call then fails with EINTR or restarts).
 */
export function sendSignal(k: Kernel, target: Proc, sig: SignalName, sender: Thread | null): void {
  if (!target.alive) return;
  if (sender) release(sender, target.signals);
  if (sig === 'SIGKILL') return k.terminate(target, sig);
  if (sig === 'SIGCONT') continueProcess(k, target);
  else if (target.stopped) {
    target.signals.pending.add(sig);
    return;
  }
  act(k, target, sig);
}

/** Applies `sig`'s disposition to a running process. */
function act(k: Kernel, target: Proc, sig: SignalName): void {
  const disposition = target.signals.disposition(sig);
  if (disposition === 'ignore') return;
  if (disposition !== 'default') {
    target.signals.pending.add(sig);
    target.main?.interrupt();
    return;
  }
  switch (DEFAULT_ACTION[sig]) {
    case 'term':
    case 'core':
      return k.terminate(target, sig);
    case 'stop':
      target.stopped = true;
      return;
    case 'ignore':
    case 'continue':
      return;
  }
}

function continueProcess(k: Kernel, target: Proc): void {
  if (!target.stopped) return;
  target.stopped = false;
  // SIGCONT discards stop signals that arrived while stopped (POSIX), or the process would stop again at once.
  const held = [...target.signals.pending].filter((sig) => DEFAULT_ACTION[sig] !== 'stop' &&
    (target.signals.disposition(sig) !== 'default' || DEFAULT_ACTION[sig] !== 'ignore'));
  target.signals.pending.clear();
  for (const sig of held) if (target.alive && !target.stopped) act(k, target, sig);
}

/**
 * The signal whose handler the main thread should run at this scheduling
 * point, if any. Pending signals whose disposition changed meanwhile to
 * default or ignore take that action now instead.
 */
export function nextHandled(k: Kernel, proc: Proc): { sig: SignalName; handler: Handler } | null {
  for (const sig of [...proc.signals.pending]) {
    if (proc.signals.handling.has(sig)) continue;
    const disposition = proc.signals.disposition(sig);
    if (typeof disposition === 'object') return { sig, handler: disposition };
    proc.signals.pending.delete(sig);
    if (disposition === 'default') act(k, proc, sig);
    if (!proc.alive) return null;
  }
  return null;
}
