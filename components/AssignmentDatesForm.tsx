'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import FormField from './FormField';
import { BUTTON, localToIso, postJson, SECONDARY_BUTTON } from './instructor/post-json';

export interface AssignmentDatesValue {
  opensAt: string;
  dueAt: string;
  latePenaltyPerDay: number;
  hardDeadlineAt: string | null;
}

/** An ISO instant as a datetime-local field's value, in the browser's time zone. */
function isoToLocal(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  date.setMinutes(date.getMinutes() - date.getTimezoneOffset());
  return date.toISOString().slice(0, 16);
}

/**
 * **Edit dates** of one assignment: its opening, due date, late penalty and hard deadline, in a
 * dialog. Scores of late submissions follow the new dates at once, so the change is audited.
 */
export default function AssignmentDatesForm({ courseId, slug, title, dates }: { courseId: string; slug: string; title: string; dates: AssignmentDatesValue }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const open = () => {
    setError(null);
    setEditing(true);
    dialog.current?.showModal();
  };
  const close = () => {
    dialog.current?.close();
    setEditing(false);
  };
  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const answer = await postJson(`/api/courses/${courseId}/assignments/${slug}/dates`, {
      opensAt: localToIso(form.get('opensAt')),
      dueAt: localToIso(form.get('dueAt')),
      latePenaltyPerDay: Number(form.get('latePenaltyPerDay') || 0),
      hardDeadlineAt: localToIso(form.get('hardDeadlineAt')),
    });
    if (!answer.ok) return setError(answer.error);
    close();
    router.refresh();
  };

  return (
    <>
      <button type="button" onClick={open} aria-label={`Edit dates of ${title}`} className={`${SECONDARY_BUTTON} mt-1`}>Edit dates</button>
      <dialog ref={dialog} onClose={() => setEditing(false)} aria-labelledby={`dates-${slug}`}
        className="m-auto w-full max-w-xl rounded border border-zinc-300 bg-white p-0 text-zinc-900 backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
        {editing && (
          <form onSubmit={(event) => void save(event)} className="flex flex-col gap-4 p-4">
            <h2 id={`dates-${slug}`} className="text-lg font-semibold">Dates of {title}</h2>
            <p className="text-sm">Late submissions lose the penalty for each started day after the due date; scores already given follow the new dates.</p>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label="Opens (your time zone)" name="opensAt" type="datetime-local" required defaultValue={isoToLocal(dates.opensAt)} />
              <FormField label="Due (your time zone)" name="dueAt" type="datetime-local" required defaultValue={isoToLocal(dates.dueAt)} />
              <FormField label="Late penalty (% per day)" name="latePenaltyPerDay" type="number" min={0} max={100} step="any" defaultValue={dates.latePenaltyPerDay} />
              <FormField label="Hard deadline (your time zone)" name="hardDeadlineAt" type="datetime-local" defaultValue={isoToLocal(dates.hardDeadlineAt)}
                hint="Late submissions are taken until then; leave empty to close at the due date." />
            </div>
            {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error}</p>}
            <div className="flex gap-3">
              <button type="submit" className={BUTTON}>Save dates</button>
              <button type="button" onClick={close} className="rounded px-4 py-2 hover:underline">Cancel</button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
