'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';

interface TokenRow {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Personal API tokens: made here, shown once, revoked here. */
export default function TokenManager({ tokens }: { tokens: TokenRow[] }) {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '');
    const response = await fetch('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
    if (!response.ok || !body.token) return setError(body.error ?? 'The token could not be created.');
    setError(null);
    setCreated(body.token);
    form.reset();
    router.refresh();
  };

  const revoke = async (id: string) => {
    await fetch(`/api/tokens/${id}`, { method: 'DELETE' });
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={create} className="flex flex-wrap items-end gap-3">
        <FormField label="Token name" name="name" required maxLength={100} placeholder="grading script" />
        <button type="submit" className="rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800">Create token</button>
      </form>
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>}
      {created && (
        <div role="status" className="flex flex-col gap-1 rounded border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <span>Copy it now: it is shown only once.</span>
          <code className="break-all font-mono">{created}</code>
          <span>Use it as <code>Authorization: Bearer {created.slice(0, 8)}…</code></span>
        </div>
      )}
      {tokens.length > 0 && (
        <ul className="flex flex-col gap-2">
          {tokens.map((token) => (
            <li key={token.id} className="flex flex-wrap items-center justify-between gap-2 rounded border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
              <span>
                <span className="font-medium">{token.name}</span> · created {token.createdAt.slice(0, 10)} · {token.lastUsedAt ? `last used ${token.lastUsedAt.slice(0, 10)}` : 'never used'}
              </span>
              <button type="button" onClick={() => void revoke(token.id)} className="rounded border border-red-700 px-3 py-1 text-red-700 hover:bg-red-50 dark:border-red-300 dark:text-red-300 dark:hover:bg-red-950">
                Revoke {token.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
