import { checkLine, type ValidationCheck } from '@/common/validation-lines';

/**
 * The region web.md names **Validation**: one line per check as `rendezvous validate` prints it
 * (`ok …` or `FAIL …`), then `valid` or `invalid` once the run is over.
 */
export default function ValidationPanel({ checks, verdict, running }: { checks: ValidationCheck[]; verdict: 'valid' | 'invalid' | null; running: boolean }) {
  return (
    <section aria-label="Validation" className="rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <h2 className="text-lg font-semibold">Validation</h2>
      {checks.length === 0 && verdict === null && !running && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Not validated yet: Validate grades the reference, the starter and each known-wrong solution.</p>
      )}
      <ol className="mt-2 flex flex-col gap-1 font-mono text-sm">
        {checks.map((check, index) => (
          <li key={index} className={`whitespace-pre-wrap ${check.ok ? 'text-emerald-800 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}`}>{checkLine(check)}</li>
        ))}
        {verdict && <li className="font-semibold">{verdict}</li>}
      </ol>
      {running && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">Validating: each check appears as the grader makes it…</p>}
    </section>
  );
}
