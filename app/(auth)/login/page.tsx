import Link from 'next/link';
import { Suspense } from 'react';
import AuthForm from '@/components/AuthForm';

export const metadata = { title: 'Sign in · Rendezvous' };

export default function LoginPage() {
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-12">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <Suspense>
        <AuthForm mode="sign-in" />
      </Suspense>
      <p className="text-sm">
        New here? <Link href="/signup" className="text-indigo-700 underline dark:text-indigo-300">Create an account</Link>
      </p>
    </main>
  );
}
