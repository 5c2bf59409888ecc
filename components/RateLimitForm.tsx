'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import FormField from './FormField';

interface Props {
  courseId: string;
  settings: { submitsPerUserPerMinute: number | null; submitsPerCoursePerMinute: number | null };
  effective: { perUser: number; perCourse: number };
  maxima: { perUser: number; perCourse: number };
}

/** An empty field leaves the site's default (per student) or maximum (per course). */
function parseLimit(value: FormDataEntryValue | null): number | null {
  const text = String(value ?? '').trim();
  return text === '' ? null : Number(text);
}

/** A course's two submission limits, saved through the rate-limits API. */
export default function RateLimitForm({ courseId, settings, effective, maxima }: Props) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { submitsPerUserPerMinute: parseLimit(form.get('perUser')), submitsPerCoursePerMinute: parseLimit(form.get('perCourse')) };
    const response = await fetch(`/api/courses/${courseId}/rate-limits`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json().catch(() => ({}))) as { error?: string };
    setMessage(response.ok ? { ok: true, text: 'Saved.' } : { ok: false, text: answer.error ?? 'The limits could not be saved.' });
    if (response.ok) router.refresh();
  };

  return (
    <form onSubmit={save} className="flex max-w-md flex-col gap-4">
      <FormField
        label="Submissions per student per minute"
        name="perUser"
        type="number"
        min={1}
        max={maxima.perUser}
        defaultValue={settings.submitsPerUserPerMinute ?? ''}
        hint={`Now ${effective.perUser}; empty for the site's default; at most ${maxima.perUser}.`}
      />
      <FormField
        label="Submissions per course per minute"
        name="perCourse"
        type="number"
        min={1}
        max={maxima.perCourse}
        defaultValue={settings.submitsPerCoursePerMinute ?? ''}
        hint={`Now ${effective.perCourse}; empty for the site's maximum; at most ${maxima.perCourse}.`}
      />
      <button type="submit" className="self-start rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800">Save limits</button>
      <p role="status" className={`text-sm ${message?.ok === false ? 'text-red-700 dark:text-red-300' : 'text-emerald-700 dark:text-emerald-300'}`}>{message?.text}</p>
    </form>
  );
}
