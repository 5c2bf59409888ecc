/**
 * Authoring exercises through the real web app and a real worker: drafts autosave, Validate runs
 * the grader's validation through the queue and streams each check, Publish is refused until a
 * validation of exactly the current files passed, and packages go in and out as zips — a
 * malformed one listing every problem, a hostile one (zip slip, too many files, too large)
 * refused with a sentence, and never anything half-created.
 */
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { starterPackage } from '../../lib/authoring';
import { waitFor } from '../support/services';
import { startPlatform, type Account, type TestPlatform } from '../support/web';

jest.setTimeout(240_000);

let platform: TestPlatform;
let instructor: Account;
let student: Account;

beforeAll(async () => {
  platform = await startPlatform({ workers: 1 });
  const { db } = platform.database;
  const course = await db.course.create({ data: { title: 'IPC', joinCode: 'AUTHORS' } });
  instructor = await platform.signUp('Author');
  await db.enrolment.create({ data: { courseId: course.id, userId: instructor.userId, role: 'instructor' } });
  student = await platform.signUp('Student', 'AUTHORS');
});

afterAll(async () => {
  await platform?.stop();
});

const BAD_HIDDEN = starterPackage()['tests/hidden.ts'].replace("props.stdoutIs('hello\\n')", "props.stdoutIs('goodbye\\n')");
const PRINTS_NOTHING = { file: 'wrong/prints-nothing.ts', mistake: 'prints nothing at all', violates: 'prints-hello', fails: ['prints hello and exits', 'prints hello'], feedback: 'stdout was ""' };

/** The starter package finished: a known-wrong solution (the starter itself) proves both its tests can fail. */
function finishedPackage(title: string): Record<string, string> {
  const files = starterPackage(title);
  const metadata = { ...JSON.parse(files['exercise.json']), wrong: [PRINTS_NOTHING] };
  return { ...files, 'exercise.json': JSON.stringify(metadata, null, 2), [PRINTS_NOTHING.file]: files['starter.ts'] };
}

function saveDraft(slug: string, files: Record<string, string>, as = instructor): Promise<Response> {
  return platform.request(`/api/exercises/${slug}/draft`, { method: 'PUT', body: { files }, as });
}

interface Stream {
  checks: string[];
  states: { state: string; valid?: boolean }[];
}

/** A draft run's event stream read to its end: each check as `ok …`/`FAIL …`, and the states. */
async function readRunEvents(id: string): Promise<Stream> {
  const response = await platform.request(`/api/draft-runs/${id}/events`, { as: instructor });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const text = await response.text();
  const events = text.split('\n\n').filter((block) => block.startsWith('event: ')).map((block) => {
    const [name, data] = block.split('\n');
    return { name: name.slice(7), data: JSON.parse(data.slice(6)) as Record<string, unknown> };
  });
  return {
    checks: events.filter((event) => event.name === 'check').map((event) => `${event.data.ok ? 'ok  ' : 'FAIL'} ${event.data.line}`),
    states: events.filter((event) => event.name === 'state').map((event) => event.data as Stream['states'][number]),
  };
}

async function validate(slug: string): Promise<Stream> {
  const started = await platform.request(`/api/exercises/${slug}/validate`, { method: 'POST', as: instructor });
  expect(started.status).toBe(202);
  return readRunEvents(((await started.json()) as { id: string }).id);
}

function without(files: Record<string, string>, ...paths: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([path]) => !paths.includes(path)));
}

function zip(entries: Zippable): Uint8Array {
  return zipSync(entries);
}

function importZip(bytes: Uint8Array, slug?: string, as: Account = instructor): Promise<Response> {
  return fetch(`${platform.baseUrl}/api/exercise-packages${slug ? `?slug=${slug}` : ''}`, {
    method: 'POST',
    headers: { cookie: as.cookie, origin: platform.baseUrl, 'content-type': 'application/zip' },
    body: Buffer.from(bytes),
  });
}

function packageEntries(folder: string, files: Record<string, string>): Zippable {
  return Object.fromEntries(Object.entries(files).map(([path, content]) => [`${folder}/${path}`, strToU8(content)]));
}

/** The check that what the Run panel starts runs the reference solution to its end. */
const RUN_PANEL_LINE = /^ok {3}the Run panel's programs \(default\) run the reference solution to its end in \d+ steps$/;

describe('validate and publish', () => {
  it('lists each check live, refuses to publish an invalid draft with its failing checks, and publishes version 1 once valid, audited', async () => {
    const files = { ...finishedPackage('Hello through the kernel'), 'tests/hidden.ts': BAD_HIDDEN };
    expect((await saveDraft('hello-kernel', files)).status).toBe(200);

    const failing = await validate('hello-kernel');
    expect(failing.checks.slice(0, 4)).toEqual([
      'ok   2 requirements, each checked by a test; each of the 2 tests checks one and fails for some known-wrong solution',
      'FAIL reference solution scores 2/3: prints hello and exits: stdout was "hello\\n" but should be "goodbye\\n" (rr schedule, seed 1)',
      expect.stringMatching(RUN_PANEL_LINE),
      'ok   starter code scores 1/3, below full marks',
    ]);
    expect(failing.states.at(-1)).toEqual({ state: 'graded', valid: false });

    const refused = await platform.request('/api/exercises/hello-kernel/publish', { method: 'POST', as: instructor });
    expect(refused.status).toBe(409);
    const refusal = (await refused.json()) as { error: string; checks: string[] };
    expect(refusal.error).toMatch(/^Not published: validation failed/);
    expect(refusal.checks).toEqual([failing.checks[1]]);

    const fixed = { ...files, 'tests/hidden.ts': starterPackage()['tests/hidden.ts'] };
    expect((await saveDraft('hello-kernel', fixed)).status).toBe(200);
    const stale = await platform.request('/api/exercises/hello-kernel/publish', { method: 'POST', as: instructor });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: string }).error).toContain('it changed since it was last validated');

    const passing = await validate('hello-kernel');
    expect(passing.checks).toEqual([
      failing.checks[0],
      expect.stringMatching(/^ok {3}reference solution scores 3\/3 \(\d+ ms\)$/),
      expect.stringMatching(RUN_PANEL_LINE),
      'ok   starter code scores 1/3, below full marks',
      `ok   wrong/prints-nothing.ts (prints nothing at all) scores 1, fails 'prints hello and exits', 'prints hello' and is told /stdout was ""/`,
    ]);
    expect(passing.states.map((event) => event.state)).toContain('graded');
    expect(passing.states.at(-1)).toEqual({ state: 'graded', valid: true });

    const published = await platform.request('/api/exercises/hello-kernel/publish', { method: 'POST', as: instructor });
    expect(published.status).toBe(201);
    expect(await published.json()).toEqual({ version: 1 });
    const { db } = platform.database;
    const version = await db.exerciseVersion.findFirstOrThrow({ where: { exercise: { slug: 'hello-kernel' } }, include: { files: true } });
    expect(version.number).toBe(1);
    expect(Object.fromEntries(version.files.map((file) => [file.path, file.content]))).toEqual(fixed);
    const again = await platform.request('/api/exercises/hello-kernel/publish', { method: 'POST', as: instructor });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toBe('Not published: Version 1 already has exactly this content.');
    const audit = await db.auditEntry.findMany({ where: { action: 'exercise.publish', subject: 'hello-kernel' } });
    expect(audit).toEqual([expect.objectContaining({ actorId: instructor.userId, details: expect.objectContaining({ version: 1 }) })]);
  });

  it('a known-wrong solution that passes a test it declares it fails makes the draft invalid', async () => {
    const files = starterPackage('Hello with a mistake');
    const metadata = { ...JSON.parse(files['exercise.json']), wrong: [{ file: 'wrong/prints-hello.ts', mistake: 'none really', violates: 'prints-hello', fails: ['prints hello and exits'], feedback: 'stdout' }] };
    await saveDraft('hello-wrong', { ...files, 'exercise.json': JSON.stringify(metadata), 'wrong/prints-hello.ts': files['solution.ts'] });
    const stream = await validate('hello-wrong');
    expect(stream.checks.at(-1)).toBe("FAIL wrong/prints-hello.ts (none really): it scores full marks; it passes 'prints hello and exits', which it should fail");
    expect(stream.states.at(-1)).toEqual({ state: 'graded', valid: false });
  });

  it('an unreadable package validates as invalid, each problem a FAIL line', async () => {
    const files = without(starterPackage(), 'statement.md');
    await saveDraft('no-statement', { ...files, 'exercise.json': '{"title": ""}' });
    const stream = await validate('no-statement');
    expect(stream.checks).toEqual(expect.arrayContaining([
      'FAIL exercise.json: title: Too small: expected string to have >=1 characters',
      'FAIL statement.md: missing (the statement in Markdown)',
    ]));
    expect(stream.states.at(-1)).toEqual({ state: 'graded', valid: false });
  });

  it('tries the reference and the starter as a student against the visible tests only', async () => {
    await saveDraft('hello-try', starterPackage());
    const scores: Record<string, string> = {};
    for (const file of ['solution.ts', 'starter.ts']) {
      const started = await platform.request('/api/exercises/hello-try/try', { body: { file }, as: instructor });
      expect(started.status).toBe(202);
      const { id } = (await started.json()) as { id: string };
      const run = await waitFor(`the try of ${file}`, async () => {
        const view = (await (await platform.request(`/api/draft-runs/${id}`, { as: instructor })).json()) as { state: string; result: { score: number; maxScore: number; tests: { name: string }[] } | null };
        return view.state === 'graded' && view.result !== null && view.result;
      });
      expect(run.tests.map((test) => test.name)).toEqual(['prints hello']);
      scores[file] = `${run.score}/${run.maxScore}`;
    }
    expect(scores).toEqual({ 'solution.ts': '1/1', 'starter.ts': '0/1' });
    const missing = await platform.request('/api/exercises/hello-try/try', { body: { file: 'tests/hidden.ts' }, as: instructor });
    expect(missing.status).toBe(400);
  });
});

describe('drafts', () => {
  it('refuses a draft over the size limits or with a path that leaves the package, with a sentence', async () => {
    const big = await saveDraft('too-big', { ...starterPackage(), 'statement.md': 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe('The draft was not saved: each file is at most 256 KiB.');
    const escaping = await saveDraft('escaping', { ...starterPackage(), '../outside.ts': 'x' });
    expect(escaping.status).toBe(400);
    expect(await platform.database.db.exerciseDraft.count({ where: { slug: { in: ['too-big', 'escaping'] } } })).toBe(0);
  });

  it('a student can neither author nor see another author\'s draft', async () => {
    await saveDraft('private-draft', starterPackage());
    expect((await saveDraft('student-draft', starterPackage(), student)).status).toBe(404);
    expect((await platform.request('/api/exercises/private-draft/export', { as: student })).status).toBe(404);
    expect((await platform.request('/instructor/exercises/private-draft/edit', { as: student })).status).toBe(404);
  });
});

describe('import and export', () => {
  it('imports a zipped package folder as a draft and exports exactly its files back', async () => {
    const files = starterPackage('Imported');
    const imported = await importZip(zip(packageEntries('imported-one', files)));
    expect(imported.status).toBe(201);
    expect(((await imported.json()) as { slug: string }).slug).toBe('imported-one');
    const exported = await platform.request('/api/exercises/imported-one/export', { as: instructor });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    const unpacked = unzipSync(new Uint8Array(await exported.arrayBuffer()));
    expect(Object.fromEntries(Object.entries(unpacked).map(([name, bytes]) => [name, Buffer.from(bytes).toString('utf8')]))).toEqual(
      Object.fromEntries(Object.entries(files).map(([path, content]) => [`imported-one/${path}`, content])),
    );
  });

  it('lists every problem of a malformed package by file and field, and creates nothing', async () => {
    const files = without(starterPackage(), 'solution.ts', 'tests/hidden.ts');
    const broken = zip({
      ...packageEntries('broken-one', { ...files, 'exercise.json': JSON.stringify({ title: '', topics: [], difficulty: 'trivial', kernel: { pipeCapacity: 0 }, hosts: ['nowhere'] }) }),
      'broken-one/tests/hidden.ts': new Uint8Array([0xff, 0xfe, 0x00]),
    });
    const response = await importZip(broken);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; problems: string[] };
    expect(body.error).toMatch(/^This package cannot be imported: \d+ problems are listed below\.$/);
    for (const problem of [
      'tests/hidden.ts: not UTF-8 text',
      'exercise.json: title: Too small',
      'exercise.json: topics: Too small',
      'exercise.json: difficulty: Invalid option',
      'exercise.json: kernel.pipeCapacity: Too small',
      'exercise.json: hosts.0: Invalid IPv4 address',
      'exercise.json: requirements: Invalid input',
      'solution.ts: missing (the reference solution)',
      'tests/hidden.ts: missing (the hidden tests)',
    ]) {
      expect(body.problems).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
    }
    expect(await platform.database.db.exerciseDraft.count({ where: { slug: 'broken-one' } })).toBe(0);
  });

  it('refuses what is not a zip with a sentence', async () => {
    const response = await importZip(strToU8('just some text, not a zip at all'), 'not-a-zip');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('This is not a zip file Rendezvous can read: its end-of-directory record is missing.');
  });

  it.each([
    ['a parent-directory path', { 'evil/../../outside.ts': strToU8('x') }, 'evil/../../outside.ts: climbs out of the package folder (..)'],
    ['an absolute path', { '/etc/cron.d/evil': strToU8('x') }, '/etc/cron.d/evil: is an absolute path'],
    ['a symbolic link', { 'slip/link': [strToU8('../../../etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }, 'slip/link: is a symbolic link'],
    ['a symbolic link to a folder', { 'slip/home/': [strToU8('/'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }, 'slip/home/: is a symbolic link'],
  ] as [string, Zippable, string][])('refuses a zip slip through %s, naming the entry, and creates nothing', async (_what, hostile, problem) => {
    const response = await importZip(zip({ ...packageEntries('slip', starterPackage()), ...hostile }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; problems: string[] };
    expect(body.error).toBe('The zip was refused because some of its entries would land outside the package folder (zip slip).');
    expect(body.problems).toEqual([problem]);
    expect(await platform.database.db.exerciseDraft.count({ where: { slug: 'slip' } })).toBe(0);
  });

  it('refuses too many files, a file over the limit, and a file whose zip entry lies about its size', async () => {
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`many/wrong/w${i}.ts`, strToU8('x')]));
    const tooMany = await importZip(zip({ ...packageEntries('many', starterPackage()), ...many }));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: string }).error).toBe('The zip holds 76 files; a package holds at most 64.');

    const oversized = await importZip(zip({ ...packageEntries('large', starterPackage()), 'large/statement.md': strToU8('x'.repeat(300 * 1024)) }));
    expect(oversized.status).toBe(413);
    expect(((await oversized.json()) as { problems: string[] }).problems).toEqual(['large/statement.md: over 256 KiB']);

    // A bomb: 10 MiB of zeros deflate to a few KiB; its directory entries then claim 100 bytes.
    const bomb = Buffer.from(zip({ ...packageEntries('bomb', starterPackage()), 'bomb/files/zeros.txt': new Uint8Array(10 * 1024 * 1024) }));
    for (let at = bomb.indexOf('bomb/files/zeros.txt'); at >= 0; at = bomb.indexOf('bomb/files/zeros.txt', at + 1)) {
      if (bomb.readUInt32LE(at - 46) === 0x02014b50) bomb.writeUInt32LE(100, at - 46 + 24);
      if (bomb.readUInt32LE(at - 30) === 0x04034b50) bomb.writeUInt32LE(100, at - 30 + 22);
    }
    const lying = await importZip(bomb);
    expect(lying.status).toBe(413);
    expect(((await lying.json()) as { problems: string[] }).problems).toEqual(['files/zeros.txt: inflates past the limits']);
    expect(await platform.database.db.exerciseDraft.count({ where: { slug: { in: ['many', 'large', 'bomb'] } } })).toBe(0);
  });

  it('refuses an upload over 2 MiB before reading it', async () => {
    const response = await importZip(new Uint8Array(3 * 1024 * 1024), 'huge');
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe('The zip is larger than 2 MiB, the most Rendezvous accepts.');
  });
});
