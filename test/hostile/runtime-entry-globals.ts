/**
 * Attempts: to stand in for the runtime's entry points, which the sandbox drives (startRun, idle,
 * finishedJson; the bundle's isolateRuntimeModule and runtime): defines globals of those
 * names by assignment, defineProperty, `var` and `function` declarations in indirect eval, and
 * Function; a forged `finishedJson` would end the run early with a result of its own.
 * If any of them sticks, the program prints the message as if it had solved the task.
 * Must: define nothing (the global object is frozen, the entry points are the script's completion
 * value held by the sandbox); graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const forgedResult = JSON.stringify({ status: 'ok', stdout: `${argv[0]}\n` });
  const fakes: Record<string, unknown> = {
    startRun: () => undefined,
    idle: () => undefined,
    finishedJson: () => forgedResult,
    isolateRuntimeModule: { runtime: { finishedJson: () => forgedResult } },
    runtime: { finishedJson: () => forgedResult },
  };
  const g = globalThis as any;
  for (const [name, value] of Object.entries(fakes)) {
    for (const attempt of [
      () => { g[name] = value; },
      () => { Object.defineProperty(globalThis, name, { value, configurable: true }); },
      () => { (0, eval)(`var ${name} = function () { return ${JSON.stringify(forgedResult)}; };`); },
      () => { (0, eval)(`function ${name}() { return ${JSON.stringify(forgedResult)}; }`); },
      () => { Function(`${name} = function () { return true; };`)(); },
    ]) {
      try {
        attempt();
      } catch {
        // refused
      }
    }
  }
  const stuck = Object.keys(fakes).filter((name) => name in globalThis);
  await sys.print(stuck.length > 0 ? argv[0] : '');
}
