/**
 * Attempts: huge output: a kilobyte printed in an endless loop, to exhaust the grader's memory
 * with captured output or to flood the report.
 * Must: keep at most the output limit (64 KiB per stream) followed by `...[output truncated]`, and
 * end every run at its step limit (`step-limit`); graded, no marks beyond a do-nothing program's.
 */
export default async function main(sys: any) {
  const line = 'flood '.repeat(170);
  for (;;) await sys.print(line);
}
