import type { ReactElement } from 'react';
import { renderStatement } from './Statement';

/** Statements of the versions students open most, as rendered: highlighting one costs a page load more CPU than its queries. */
const rendered = new Map<string, ReactElement>();
const KEPT = 64;

/**
 * A published version's statement, rendered once per server process: a version never changes,
 * so neither does its statement (the exercise page's statement during a burst is the same for every student).
 */
export default function PublishedStatement({ versionId, markdown, title }: { versionId: string; markdown: string; title: string }) {
  let element = rendered.get(versionId);
  if (!element) {
    element = renderStatement(markdown, title);
    // The oldest entry goes first: a Map keeps insertion order.
    if (rendered.size >= KEPT) rendered.delete(rendered.keys().next().value!);
    rendered.set(versionId, element);
  }
  return element;
}
