import type { InputHTMLAttributes } from 'react';

/** A labelled text field: the label is the field's accessible name. */
export default function FormField({ label, hint, ...input }: { label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {label}
      <input
        {...input}
        className="rounded border border-zinc-300 bg-white px-3 py-2 text-base font-normal dark:border-zinc-700 dark:bg-zinc-900"
      />
      {hint && <span className="text-xs font-normal text-zinc-600 dark:text-zinc-400">{hint}</span>}
    </label>
  );
}
