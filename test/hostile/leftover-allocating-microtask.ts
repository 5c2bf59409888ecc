/**
 * Attempts: the allocating variant of leftover-microtask: the microtask left queued past the
 * cut-off allocates without end, so the next submission's set-up would fail at once (as
 * `internal-error`) instead of hanging.
 * Must: end as `timeout`, and the next submission graded through the same sandbox scores as alone.
 */
export default async function main(sys: any) {
  await sys.yield();
  void Promise.resolve().then(() => {
    const hoard: string[][] = [];
    for (;;) hoard.push(new Array(1 << 16).fill('x'));
  });
  for (;;) {
    // cut off here, with the microtask still queued
  }
}
