import { InvalidExerciseError, parseExercise, readPackageFolder, type PackageFiles } from './exercise';
import path from 'node:path';

const sample = readPackageFolder(path.join(__dirname, '..', 'exercises', 'pipe-message'));

function problemsOf(files: PackageFiles): string[] {
  try {
    parseExercise('broken', files);
  } catch (error) {
    if (error instanceof InvalidExerciseError) return error.problems;
    throw error;
  }
  return [];
}

function withMetadata(change: (metadata: Record<string, unknown>) => void): PackageFiles {
  const metadata = JSON.parse(sample['exercise.json']);
  change(metadata);
  return { ...sample, 'exercise.json': JSON.stringify(metadata) };
}

describe('exercise packages', () => {
  it('reads a complete package with defaults filled in', () => {
    const exercise = parseExercise('pipe-message', sample);
    expect(exercise.metadata).toMatchObject({ entries: ['default'], hosts: [], network: {}, files: {} });
    expect(exercise.wrong.map((w) => w.fileName)).toContain('wrong/single-read.ts');
  });

  it('names exercise.json when it is not JSON', () => {
    expect(problemsOf({ ...sample, 'exercise.json': '{ title: ' })).toEqual([expect.stringMatching(/^exercise.json: not valid JSON/)]);
  });

  it('lists every problem of the metadata, each by field', () => {
    const problems = problemsOf(withMetadata((m) => {
      m.title = '';
      m.difficulty = 'trivial';
      m.groups = ['proc', 'sockets'];
      m.kernel = { pipeCapacity: 0, linkCapacity: 'lots' };
      m.hosts = ['10.0.0.300'];
      m.network = { loss: 1.5 };
      m.limits = { memoryMb: 4 };
      m.surprise = true;
    }));
    for (const field of ['title', 'difficulty', 'groups', 'kernel.pipeCapacity', 'kernel.linkCapacity', 'hosts.0', 'network.loss', 'limits.memoryMb', '(top level)']) {
      expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^exercise\\.json: ${field.replace(/[.()]/g, '\\$&')}: `)));
    }
    expect(problems).toContain("exercise.json: kernel.linkCapacity: must be a whole number (0 for a rendezvous) or 'inf'");
    expect(problems).toContainEqual(expect.stringMatching(/^exercise\.json: groups: must be 'all' or a list of groups from: proc, fd/));
  });

  it('checks that the Run panel starts entries of the exercise, on its hosts', () => {
    const problems = problemsOf(withMetadata((m) => {
      m.hosts = ['10.0.0.2'];
      m.launch = [{ entry: 'default', host: '10.0.0.2', argv: ['hi', [1, 2]] }, { entry: 'default', stdin: 3 }];
    }));
    expect(problems).toEqual(['exercise.json: launch.1.stdin: Invalid input: expected string, received number']);
    const unknown = problemsOf(withMetadata((m) => {
      m.launch = [{ entry: 'server', host: '10.0.0.9' }];
    }));
    expect(unknown).toEqual([
      "exercise.json: launch.0.entry: 'server' is not one of the entries (default)",
      'exercise.json: launch.0.host: 10.0.0.9 is not a host of this exercise (10.0.0.1)',
    ]);
    expect(problemsOf(withMetadata((m) => {
      m.launch = [];
    }))).toEqual([expect.stringMatching(/^exercise\.json: launch: Too small/)]);
  });

  it('names each missing file and what it is for', () => {
    const { 'statement.md': _statement, 'solution.ts': _solution, 'tests/hidden.ts': _hidden, ...rest } = sample;
    void _statement; void _solution; void _hidden;
    expect(problemsOf(rest)).toEqual([
      'statement.md: missing (the statement in Markdown)',
      'solution.ts: missing (the reference solution)',
      'tests/hidden.ts: missing (the hidden tests)',
    ]);
  });

  it('names a declared known-wrong solution that does not exist, and one outside wrong/', () => {
    const problems = problemsOf(withMetadata((m) => {
      m.wrong = [{ file: 'wrong/ghost.ts', mistake: 'none', violates: 'read-until-eof', fails: ['x'], feedback: 'x' },
        { file: 'solution.ts', mistake: 'none', violates: 'read-until-eof', fails: ['x'], feedback: 'x' }];
    }));
    expect(problems).toEqual([
      expect.stringMatching(/^exercise\.json: wrong\.1\.file: must be a file under wrong\//),
    ]);
    const missing = problemsOf(withMetadata((m) => {
      m.wrong = [{ file: 'wrong/ghost.ts', mistake: 'none', violates: 'read-until-eof', fails: ['x'], feedback: 'x' }];
    }));
    expect(missing).toEqual(['exercise.json: wrong.0.file: wrong/ghost.ts does not exist']);
  });

  it('accepts JavaScript sources where TypeScript ones are missing', () => {
    const { 'solution.ts': solution, ...rest } = sample;
    const exercise = parseExercise('js', { ...rest, 'solution.js': solution });
    expect(exercise.solution.fileName).toBe('solution.js');
  });

  it('asks for the statement\'s requirements, and for each known-wrong solution the requirement it violates and a valid feedback pattern', () => {
    const problems = problemsOf(withMetadata((m) => {
      m.requirements = [];
      m.wrong = [{ file: 'wrong/single-read.ts', mistake: 'one read', violates: 'nowhere', fails: ['x'], feedback: '(unclosed' }];
    }));
    expect(problems).toEqual(expect.arrayContaining([
      "exercise.json: requirements: list the statement's requirements, each with the tests that check it",
      'exercise.json: wrong.0.feedback: must be a valid regular expression',
    ]));
    const unknown = problemsOf(withMetadata((m) => {
      (m.wrong as { violates: string }[])[0].violates = 'nowhere';
    }));
    expect(unknown).toEqual(["exercise.json: wrong.0.violates: names no requirement of this exercise: 'nowhere'"]);
  });
});
