/**
 * What the instructors' controls share: a JSON request to the platform's API, answered with the
 * body or the API's one-sentence error.
 */
export type Answer<T> = { ok: true; body: T } | { ok: false; error: string };

export async function postJson<T>(url: string, body: unknown = {}): Promise<Answer<T>> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok) return { ok: false, error: answer.error ?? `The request failed (${response.status}).` };
    return { ok: true, body: answer };
  } catch {
    return { ok: false, error: 'Rendezvous could not be reached; check your connection and try again.' };
  }
}

/** A datetime-local field's value (the browser's time zone) as an ISO instant; null when empty. */
export function localToIso(value: FormDataEntryValue | null): string | null {
  return typeof value === 'string' && value !== '' ? new Date(value).toISOString() : null;
}

export const BUTTON = 'rounded bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 disabled:opacity-60';
export const SECONDARY_BUTTON = 'rounded border border-indigo-700 px-3 py-1 text-sm font-medium text-indigo-700 hover:bg-indigo-50 disabled:opacity-60 dark:border-indigo-300 dark:text-indigo-200 dark:hover:bg-indigo-950';
