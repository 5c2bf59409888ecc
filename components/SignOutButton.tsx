'use client';

import { useRouter } from 'next/navigation';

export default function SignOutButton() {
  const router = useRouter();
  const signOut = async () => {
    await fetch('/api/auth/sign-out', { method: 'POST' });
    router.push('/login');
    router.refresh();
  };
  return (
    <button type="button" onClick={signOut} className="rounded border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
      Sign out
    </button>
  );
}
