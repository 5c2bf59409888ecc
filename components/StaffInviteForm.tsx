'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';
import { BUTTON, postJson } from './instructor/post-json';

/** Invites an existing account as a teaching assistant or co-instructor. */
export default function StaffInviteForm({ courseId }: { courseId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const invite = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const answer = await postJson<{ name: string }>(`/api/courses/${courseId}/staff`, { email: form.get('email'), role: form.get('role') });
    if (!answer.ok) return setMessage({ error: true, text: answer.error });
    setMessage({ error: false, text: `${answer.body.name} is now on the course's staff.` });
    formElement.reset();
    router.refresh();
  };
  return (
    <form onSubmit={(event) => void invite(event)} aria-label="Invite staff" className="flex flex-wrap items-end gap-3">
      <FormField label="Email" name="email" type="email" required />
      <label className="flex flex-col gap-1 text-sm font-medium">
        Role
        <select name="role" defaultValue="ta" className="rounded border border-zinc-300 bg-white px-3 py-2 text-base font-normal dark:border-zinc-700 dark:bg-zinc-900">
          <option value="ta">teaching assistant</option>
          <option value="instructor">co-instructor</option>
        </select>
      </label>
      <button type="submit" className={BUTTON}>Invite</button>
      {message && <p role={message.error ? 'alert' : 'status'} className={`basis-full text-sm ${message.error ? 'text-red-700 dark:text-red-300' : ''}`}>{message.text}</p>}
    </form>
  );
}
