/** The live status of web.md: a polite live region, so screen readers hear each change. */
export default function SubmissionStatus({ text }: { text: string }) {
  const tone = text.startsWith('Error') ? 'text-red-700 dark:text-red-300' : text.startsWith('Graded') ? 'text-emerald-700 dark:text-emerald-300' : 'text-zinc-700 dark:text-zinc-300';
  return (
    <p role="status" aria-live="polite" className={`min-h-6 font-medium ${tone}`}>
      {text}
    </p>
  );
}
