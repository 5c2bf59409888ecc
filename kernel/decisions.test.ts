import { decodeDecisions, encodeDecisions } from './decisions';
import { ChunkArena, ChunkedLog } from './log';

function logOf(gids: number[]): ChunkedLog<number> {
  const log = new ChunkedLog<number>(new ChunkArena());
  for (const gid of gids) log.push(gid);
  return log;
}

/** Encoded, through JSON as the sandbox sends it, and decoded. */
function roundTrip(gids: number[], keys: string[], counts = new Map<number, number>()): string[] {
  return decodeDecisions(JSON.parse(JSON.stringify(encodeDecisions(logOf(gids), keys, counts))));
}

const KEYS = ['', '2:1', '3:1', '10.0.0.2:2:1'];

test('each step comes back as its thread key, with the I/O count where one was chosen', () => {
  expect(roundTrip([1, 2, 2, 3, 1], KEYS, new Map([[2, 3]]))).toEqual(['2:1', '3:1', '3:1@3', '10.0.0.2:2:1', '2:1']);
  expect(roundTrip([], KEYS)).toEqual([]);
});

test('a long run crosses chunks, and travels as one character per step', () => {
  const gids = Array.from({ length: 20_000 }, (_, step) => 1 + (step % 3));
  const encoded = encodeDecisions(logOf(gids), KEYS, new Map());
  expect(typeof encoded.steps === 'string' && encoded.steps.length).toBe(20_000);
  expect(roundTrip(gids, KEYS)).toEqual(gids.map((gid) => KEYS[gid]));
});

test('gids past what a character can carry travel as numbers; below, surrogate code units survive JSON too', () => {
  const keys = Array.from({ length: 70_000 }, (_, gid) => `${gid + 1}:1`);
  const large = [1, 255, 65_442, 65_443, 69_999];
  expect(Array.isArray(encodeDecisions(logOf(large), keys, new Map()).steps)).toBe(true);
  expect(roundTrip(large, keys)).toEqual(large.map((gid) => keys[gid]));
  const fewer = keys.slice(0, 65_443);
  // Characters 0xd800 and 0xdfff (lone surrogates), which JSON.stringify escapes, and the last that fits.
  const inCharacters = [1, 0xd800 - 0x5d, 0xdfff - 0x5d, 65_442];
  expect(typeof encodeDecisions(logOf(inCharacters), fewer, new Map()).steps).toBe('string');
  expect(roundTrip(inCharacters, fewer)).toEqual(inCharacters.map((gid) => fewer[gid]));
});
