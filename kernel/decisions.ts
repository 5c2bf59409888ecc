/**
 * A run's decisions as they leave the kernel. The kernel keeps each step's chosen thread as its
 * gid; a decision names it by key (`2:1`, `2:2@3` where an I/O count was chosen). As one string per
 * step, a long run's decisions were about a quarter of a ping-pong run in the sandbox: the array,
 * its JSON both ways, and the old-generation garbage that made every second run slower. Encoded,
 * they are one character per step and each key once; decoding gives the same strings.
 */
import type { ChunkedLog } from './log';
import { decisionOf } from './sched';

/** Added to a gid to make its character: from gid 1 ('^') up, no character needs JSON's escapes until past 0xff. */
const GID_OFFSET = 0x5d;
/** The largest gid a character can carry (one UTF-16 code unit); past it the steps go as numbers. */
const LARGEST_CHARACTER_GID = 0xffff - GID_OFFSET;

export interface EncodedDecisions {
  /** Thread key by gid (index 0 is never a gid). */
  keys: string[];
  /** One character per step, its gid plus GID_OFFSET; the gids themselves where one is too large for a character. */
  steps: string | number[];
  /** Step index and the I/O count chosen there, where it was not the usual one. */
  counts: [number, number][];
}

/** Whether every gid of `keys` (a thread key by gid) has its character. */
export function gidsFitCharacters(keys: readonly string[]): boolean {
  return keys.length - 1 <= LARGEST_CHARACTER_GID;
}

/** A gid's character; gid 0, never a thread's, stands for none. */
export function gidCharacter(gid: number): string {
  return String.fromCharCode(gid + GID_OFFSET);
}

export function gidOfCharacter(text: string, index: number): number {
  return text.charCodeAt(index) - GID_OFFSET;
}

export function encodeDecisions(gids: ChunkedLog<number>, keys: readonly string[], counts: ReadonlyMap<number, number>): EncodedDecisions {
  const pairs: [number, number][] = [];
  for (const [index, count] of counts) pairs.push([index, count]);
  if (!gidsFitCharacters(keys)) {
    const numbers: number[] = [];
    gids.forEachChunk((chunk) => numbers.push(...chunk));
    return { keys: keys.slice(), steps: numbers, counts: pairs };
  }
  let steps = '';
  // A chunk at a time: fromCharCode takes a chunk's worth of arguments, and `+` of long strings makes a rope, not a copy.
  gids.forEachChunk((chunk) => {
    steps += String.fromCharCode.apply(null, chunk.map((gid) => gid + GID_OFFSET));
  });
  return { keys: keys.slice(), steps, counts: pairs };
}

export function decodeDecisions({ keys, steps, counts }: EncodedDecisions): string[] {
  // Made at its full length: grown by push, a long run's list is copied again and again onto fresh pages.
  const decisions = new Array<string>(steps.length);
  if (typeof steps === 'string') for (let i = 0; i < steps.length; i++) decisions[i] = keys[gidOfCharacter(steps, i)];
  else for (let i = 0; i < steps.length; i++) decisions[i] = keys[steps[i]];
  for (const [index, count] of counts) decisions[index] = decisionOf(decisions[index], count);
  return decisions;
}
