import Link from 'next/link';
import { Suspense } from 'react';
import AuthForm from '@/components/AuthForm';

export const metadata = { title: 'Create an account · Rendezvous' };

export default function SignupPage() {
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-6 px-4 py-12">
      <h1 className="text-2xl font-semibold">Create an account</h1>
      <Suspense>
        <AuthForm mode="sign-up" />
      </Suspense>
      <p className="text-sm">
        Already have one? <Link href="/login" className="text-indigo-700 underline dark:text-indigo-300">Sign in</Link>
      </p>
    </main>
  );
}
