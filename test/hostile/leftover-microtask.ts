/**
 * Attempts: to outlive its own grading: queues a microtask that spins forever, then loops so the
 * run is cut off before the microtask runs. The microtask stays in the isolate's queue, which V8
 * shares across contexts, and would run in the next submission's untimed set-up (its context,
 * the runtime's load), hanging that grading forever.
 * Must: end as `timeout`, and the next submission graded through the same sandbox scores as alone
 * (the isolate is disposed with the queue in it).
 */
export default async function main(sys: any) {
  await sys.yield();
  void Promise.resolve().then(() => {
    for (;;) {
      // spins in whoever runs the queue next
    }
  });
  for (;;) {
    // cut off here, with the microtask still queued
  }
}
