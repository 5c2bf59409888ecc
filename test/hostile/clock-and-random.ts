/**
 * Attempts: to make grading nondeterministic: replace Math.random, Date.now and Date (frozen), then
 * read real time wherever it might leak (Date(), new Date(), Intl.DateTimeFormat's format() and
 * formatToParts() with no date, which read the real clock before the fix) and print it with
 * Math.random's values, so the same submission would be graded differently twice.
 * Must: see only simulated time and seeded randomness: graded twice, the same score and messages;
 * no marks beyond a do-nothing program's.
 */
export default async function main(sys: any) {
  for (const tamper of [
    () => { Math.random = () => 0.5; },
    () => { Date.now = () => 1; },
    () => { (globalThis as any).Date = function Date() { return 'tampered'; }; },
  ]) {
    try {
      tamper();
    } catch {
      // frozen
    }
  }
  const clock = new Intl.DateTimeFormat('en', {
    hour: 'numeric', minute: 'numeric', second: 'numeric', fractionalSecondDigits: 3, timeZone: 'UTC',
  } as Intl.DateTimeFormatOptions);
  const readings = [
    clock.format(),
    clock.formatToParts().map((part) => part.value).join(''),
    Date(),
    new Date().toISOString(),
    String(Date.now()),
    String(sys.now()),
    String(Math.random()),
  ];
  await sys.print(readings.join(' | '));
}
