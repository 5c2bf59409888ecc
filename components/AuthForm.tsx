'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';

interface Field {
  name: string;
  label: string;
  type: string;
  autoComplete: string;
  required: boolean;
  hint?: string;
}

const SIGN_IN_FIELDS: Field[] = [
  { name: 'email', label: 'Email', type: 'email', autoComplete: 'email', required: true },
  { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password', required: true },
];

const SIGN_UP_FIELDS: Field[] = [
  { name: 'name', label: 'Name', type: 'text', autoComplete: 'name', required: true },
  { name: 'email', label: 'Email', type: 'email', autoComplete: 'email', required: true },
  { name: 'password', label: 'Password', type: 'password', autoComplete: 'new-password', required: true, hint: 'At least 8 characters.' },
  { name: 'joinCode', label: 'Join code', type: 'text', autoComplete: 'off', required: false, hint: 'Optional: the code your instructor gave you.' },
];

/** Only paths of this site may be returned to after signing in. */
function safeReturnPath(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/courses';
}

/** Sign-in and sign-up, through better-auth's endpoints; errors are said in the page, not in a console. */
export default function AuthForm({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = mode === 'sign-in' ? SIGN_IN_FIELDS : SIGN_UP_FIELDS;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const values = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    if (mode === 'sign-up' && !values.joinCode?.trim()) delete values.joinCode;
    const response = await fetch(`/api/auth/${mode}/email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(values) }).catch(() => null);
    setBusy(false);
    if (response?.ok) {
      router.push(safeReturnPath(params.get('next')));
      router.refresh();
      return;
    }
    if (!response) return setError('The server cannot be reached; check your connection and try again.');
    if (mode === 'sign-in' && (response.status === 401 || response.status === 400)) return setError('Wrong email or password.');
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    setError(body.message ?? `That did not work (${response.status}); try again.`);
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate={false}>
      {fields.map(({ name, label, type, autoComplete, required, hint }) => (
        <FormField key={name} label={label} name={name} type={type} autoComplete={autoComplete} required={required} hint={hint} minLength={type === 'password' && mode === 'sign-up' ? 8 : undefined} />
      ))}
      {error && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60">
        {mode === 'sign-in' ? 'Sign in' : 'Create account'}
      </button>
    </form>
  );
}
