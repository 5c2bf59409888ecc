/**
 * Attempts: an async helper called without await that throws after a system call: its rejection
 * is never handled, and used to end the run as "the grader failed (not your fault)".
 * Must: whatever this grading's verdict, it costs the next submission nothing: graded, no marks
 * beyond a do-nothing program's, and the next submission through the same sandbox scores as alone.
 */
async function helper(sys: any): Promise<void> {
  await sys.yield();
  throw new Error('nobody awaits this');
}

export default async function main(sys: any) {
  void helper(sys);
  await sys.print('hello');
}
