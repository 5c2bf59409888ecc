/**
 * Attempts: a never-ending microtask chain started beside main, so the isolate never becomes idle
 * and the sandbox's synchronous calls never return; main meanwhile finishes normally.
 * Must: be cut off by the CPU limit: status `timeout`, no marks.
 */
export default async function main(sys: any) {
  const spin = (): void => {
    void Promise.resolve().then(spin);
  };
  spin();
  await sys.print('');
}
