/**
 * What pages share: a lookup the viewer may not see renders the 404 page, as the API answers 404.
 */
import { notFound } from 'next/navigation';
import { HttpError } from './errors';

export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
}
