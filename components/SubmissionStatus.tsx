/** The live status of web.md: a polite live region, so screen readers hear each change. */
export default function SubmissionStatus({ text }: { text: string }) {
  const full = /^Graded: (\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text);
  const tone = text.startsWith('Error')
    ? 'text-red-700 dark:text-red-300'
    : full && Number(full[1]) === Number(full[2])
      ? 'text-emerald-700 dark:text-emerald-300'
      : full
        ? 'text-amber-800 dark:text-amber-300'
        : 'text-zinc-700 dark:text-zinc-300';
  return (
    <p role="status" aria-live="polite" className={`min-h-6 font-medium ${tone}`}>
      {text}
    </p>
  );
}
