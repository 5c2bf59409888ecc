/**
 * Attempts: to load Node's file system module with a static import and read the hidden tests.
 * Must: be refused at compile time: status `compile-error`, no marks.
 */
import { readFileSync } from 'fs';

export default async function main(sys: any) {
  await sys.print(readFileSync('exercises/pipe-message/tests/hidden.ts', 'utf8'));
}
