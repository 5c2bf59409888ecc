import TokenManager from '@/components/TokenManager';
import { listApiTokens } from '@/lib/tokens';
import { requireUser } from '@/lib/session';

export const metadata = { title: 'API tokens · Rendezvous' };

export default async function TokensPage() {
  const user = await requireUser('/settings/tokens');
  const tokens = await listApiTokens(user.userId);
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">API tokens</h1>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        A personal token lets a script use the API as you (<code>Authorization: Bearer …</code>), for example to submit from your own editor.
      </p>
      <TokenManager tokens={tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null }))} />
    </main>
  );
}
