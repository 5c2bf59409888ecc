/**
 * Attempts: a signal handler that never returns: it re-raises its own signal and then computes
 * between system calls forever, so delivery nests and the run burns CPU time while still giving
 * the kernel control at every call.
 * Must: end the grading at a run's CPU budget, which the kernel checks between steps (status
 * `timeout`); no marks. Each step computes for about 0.3 ms: a starved run's retry may use up to
 * twice the budget (600 ms in the hostile suite), and its 5,000 steps must not fit in that, or the
 * retry would end at the step limit instead (at 0.1 ms a step it did, under load).
 */
export default async function main(sys: any) {
  await sys.signal('SIGUSR1', async () => {
    await sys.kill(sys.getpid(), 'SIGUSR1');
    let sum = 0;
    for (;;) {
      for (let i = 0; i < 300_000; i++) sum += i % 7;
      await sys.yield(sum < 0 ? sum : undefined);
    }
  });
  await sys.kill(sys.getpid(), 'SIGUSR1');
  for (;;) await sys.yield();
}
