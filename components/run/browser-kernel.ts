/**
 * The kernel in the student's browser: compiles the editor's code with the grader's own compile
 * function, runs it on the same kernel/ sources with the realm the sandbox sets up (seeded
 * Math.random, simulated Date, console to the debug log), and, in step mode, stops at a scheduling
 * point. The student's own code on their own machine needs no sandbox; the page enforces the CPU
 * limit by terminating the worker this runs in (kernel.worker.ts; dist/browser-kernel.js in Node).
 */
import { budgetPoll, Kernel, type ModuleFactory, type RunResult } from '../../kernel';
import { traceValue } from '../../kernel/clone';
import { compileProgram } from '../../common/compile';
import type { RunRequest } from '../../grader/harness';
import {
  installDebugConsole, installFixedSizeBuffers, installRecognisableProxies, installRunLocalSymbolRegistry, installSeededRandom, installSimulatedDate,
} from '../../common/realm-hooks';
import { resultWithoutRun } from '../../common/run-result';

/** Where a step-mode run stops: at the next scheduling point, once a call blocks, once a race appears, or never. */
export type StepUntil = 'next' | 'block' | 'finding' | 'end';

export interface BrowserRunRequest {
  source: string;
  /** Its extension decides TypeScript or JavaScript, as in the grader. */
  fileName: string;
  /** The exercise's settings and programs, with the schedule and seed (or decisions) of this run. */
  run: RunRequest;
  cpuMs: number;
  /** Step mode: replay `run.settings.decisions`, then go on until this says stop. */
  until?: StepUntil;
  /**
   * Step mode: the step the student stands at, when the decisions run past it (a counterexample's
   * schedule, followed to its next block, finding or end); `until` counts from here. By default
   * the end of the decisions.
   */
  from?: number;
}

/** A thread that can run at a paused scheduling point, and the call it is about to make. */
export interface RunnableThread {
  thread: string;
  call: string;
  args: unknown[];
}

export interface BrowserRunReply {
  /** The run so far; its status means something only once `paused` is null. */
  result: RunResult;
  /** The runnable threads where step mode stopped, or null when the run ended. */
  paused: RunnableThread[] | null;
  /** Milliseconds from the request to the result, compile included. */
  ms: number;
}

let realmReady = false;
let emptySymbolRegistry: () => void = () => undefined;

/** The realm the isolate's runtime installs (grader/isolate-entry.ts), so both give the same run; hardening is left out: the code is the student's own. */
function prepareRealm(): void {
  if (realmReady) return;
  realmReady = true;
  installSeededRandom();
  installSimulatedDate();
  installDebugConsole();
  installFixedSizeBuffers();
  installRecognisableProxies();
  emptySymbolRegistry = installRunLocalSymbolRegistry();
}

/** The last compiled source: stepping re-runs the same code many times. */
let compiled: { source: string; fileName: string; factory: ModuleFactory | { error: string } } | null = null;

function compile(source: string, fileName: string): ModuleFactory | { error: string } {
  if (compiled?.source === source && compiled.fileName === fileName) return compiled.factory;
  const program = compileProgram(source, fileName);
  // The script is a function expression; indirect eval makes it in the global scope, as the isolate's context does.
  const factory = program.ok ? ((0, eval)(program.script) as ModuleFactory) : { error: program.message };
  compiled = { source, fileName, factory };
  return factory;
}

/** Compiles a small program once, so the first run does not pay for TypeScript's cold start. */
export function warmUp(): void {
  compileProgram('export default async function main(sys: unknown): Promise<void> {}\n', 'warm-up.ts');
}

/** Runs a callback once the microtasks queued so far have drained (a macrotask), without timers' clamping. */
function afterMicrotasks(callback: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    callback();
  };
  channel.port2.postMessage(null);
}

/** The pause rule of step mode: never up to step `from`, then as `until` says. */
function pauseRule(kernel: () => Kernel, from: number, until: StepUntil): (step: number) => boolean {
  if (until === 'end') return () => false;
  if (until === 'next') return (step) => step > from;
  let racesBefore = -1;
  return (step) => {
    if (step <= from + 1) {
      racesBefore = kernel().races.length;
      return false;
    }
    if (until === 'finding') return kernel().races.length > racesBefore;
    const trace = kernel().trace;
    const last = trace?.[trace.length - 1];
    return last !== undefined && last.step === step - 1 && last.blocked !== undefined;
  };
}

/** One run of the student's program; in step mode it may stop at a scheduling point. */
export async function runInBrowser(request: BrowserRunRequest): Promise<BrowserRunReply> {
  const started = performance.now();
  prepareRealm();
  const { settings, programs } = request.run;
  const factory = compile(request.source, request.fileName);
  if (typeof factory !== 'function') {
    return { result: resultWithoutRun('compile-error', factory.error, settings), paused: null, ms: performance.now() - started };
  }
  emptySymbolRegistry();
  const stepping = request.until !== undefined;
  const kernel: Kernel = new Kernel({
    ...settings,
    programs: programs.map(({ module: _module, ...launch }) => ({ ...launch, module: factory })),
    pollBudget: budgetPoll(() => performance.now(), request.cpuMs),
    ...(stepping ? { pauseBefore: pauseRule(() => kernel, request.from ?? settings.decisions?.length ?? 0, request.until!) } : {}),
  });
  await new Promise<void>((resolve) => {
    kernel.onFinish = resolve;
    kernel.start();
    // When the microtasks drain with the run neither over nor paused, some code awaits what no sys call settles.
    const watch = (): void => {
      if (kernel.finished || kernel.paused) return resolve();
      kernel.idle();
      afterMicrotasks(watch);
    };
    afterMicrotasks(watch);
  });
  const paused = kernel.finished ? null : (kernel.paused ?? []).map((thread) => ({
    thread: thread.key,
    call: thread.request?.call ?? 'start',
    args: (thread.request?.args ?? []).map((arg) => traceValue(arg)),
  }));
  return { result: kernel.result(), paused, ms: performance.now() - started };
}
