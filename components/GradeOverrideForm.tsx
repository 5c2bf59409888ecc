'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';
import { BUTTON, postJson } from './instructor/post-json';

/** Sets a student's grade on an assignment by hand; the reason is required and kept in the audit log. */
export default function GradeOverrideForm({ courseId, slug, studentId, studentName }: { courseId: string; slug: string; studentId: string; studentName: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const override = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const answer = await postJson(`/api/courses/${courseId}/assignments/${slug}/override`, {
      student: studentId,
      score: Number(form.get('score')),
      reason: form.get('reason'),
    });
    setMessage(answer.ok ? { error: false, text: `The gradebook now shows this score for ${studentName} on ${slug}.` } : { error: true, text: answer.error });
    if (answer.ok) router.refresh();
  };
  return (
    <form onSubmit={(event) => void override(event)} aria-label="Override grade" className="flex flex-wrap items-end gap-3">
      <FormField label="Score" name="score" type="number" min={0} step="any" required />
      <FormField label="Reason" name="reason" required maxLength={1000} placeholder="what the grader could not see" />
      <button type="submit" className={BUTTON}>Override grade</button>
      {message && <p role={message.error ? 'alert' : 'status'} className={`basis-full text-sm ${message.error ? 'text-red-700 dark:text-red-300' : ''}`}>{message.text}</p>}
    </form>
  );
}
