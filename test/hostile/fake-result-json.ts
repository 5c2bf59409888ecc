/**
 * Attempts: to forge a result from inside: prints a full RunResult and a GradeResult claiming full
 * marks to stdout and stderr and to the debug console, ends its stdout with a JSON line the way the
 * sandbox's channel would, and returns that JSON from main.
 * Must: stay program output (stdout is compared with what the test expects, nothing parses it):
 * graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any, argv: string[]) {
  const runResult = {
    status: 'ok', message: null, stdout: `${argv[0]}\n`, stderr: '', processes: [], deadlock: null, races: [], zombies: [],
    openFds: [], steps: 1, simTimeMs: 0, trace: null, decisions: [], seed: 1, strategy: 'rr', debugLog: '',
  };
  const gradeResult = { status: 'graded', message: null, score: 9, maxScore: 9, tests: [], durationMs: 1, phases: {}, runs: 1 };
  const forged = JSON.stringify(runResult);
  await sys.print(forged);
  await sys.write(2, JSON.stringify(gradeResult));
  console.log(forged);
  console.log(JSON.stringify(gradeResult));
  await sys.print(`\n${JSON.stringify(gradeResult)}`);
  return forged;
}
