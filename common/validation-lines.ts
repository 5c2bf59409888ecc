/**
 * How a validation reads, line by line: `rendezvous validate` prints these and the authoring
 * page lists them, so an author sees the same words in both. Pure: the web app imports it.
 */

export interface ValidationCheck {
  ok: boolean;
  line: string;
}

/** One check: `ok   reference solution scores 10/10 (812 ms)` or `FAIL starter code already scores full marks`. */
export function checkLine(check: ValidationCheck): string {
  return `${check.ok ? 'ok  ' : 'FAIL'} ${check.line}`;
}

/** A package that cannot be read lists each problem as a failed check. */
function problemChecks(problems: readonly string[]): ValidationCheck[] {
  return problems.map((line) => ({ ok: false, line }));
}

/** The last line once a validation is over. */
export function verdictLine(checks: readonly ValidationCheck[]): 'valid' | 'invalid' {
  return checks.length > 0 && checks.every((check) => check.ok) ? 'valid' : 'invalid';
}

/**
 * Every check of a validation: those heard live, then those only its answer holds (the problems of
 * a package that cannot be read, or the failure of a sandbox that died midway).
 */
export function allChecks(heard: readonly ValidationCheck[], answer: ValidationCheck[] | { invalid: string[] }): ValidationCheck[] {
  const answered = 'invalid' in answer ? problemChecks(answer.invalid) : answer;
  const unheard = answered.filter((check) => !heard.some((seen) => seen.ok === check.ok && seen.line === check.line));
  return [...heard, ...unheard];
}
