'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';

export default function JoinCourseForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const join = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const joinCode = String(new FormData(event.currentTarget).get('joinCode') ?? '');
    const response = await fetch('/api/enrolments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ joinCode }) });
    if (!response.ok) return setError(((await response.json().catch(() => ({}))) as { error?: string }).error ?? 'That join code did not work.');
    setError(null);
    router.refresh();
  };
  return (
    <form onSubmit={join} className="flex flex-wrap items-end gap-3">
      <FormField label="Join code" name="joinCode" required autoComplete="off" />
      <button type="submit" className="rounded border border-zinc-300 px-4 py-2 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Join course</button>
      {error && <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">{error}</p>}
    </form>
  );
}
