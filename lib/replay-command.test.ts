import { replayCommand, shellWord } from './replay-command';

const BASE = 'npx rendezvous run submission.ts --replay counterexample.json --trace';
const command = (request: Parameters<typeof replayCommand>[0]) => replayCommand(request, 'submission.ts', 'counterexample.json');

describe('the replay command of a run', () => {
  it("gives the run's arguments, stdin and kernel settings as options, quoted for a shell", () => {
    expect(command({
      programs: [{ entry: 'default', argv: ['hello world', "it's", 'plain'], stdin: 'a\nb' }],
      settings: {
        schedule: 'random', seed: 7, enable: ['proc', 'fd', 'pipe'], files: { 'notes.txt': 'x y' }, linkCapacity: Infinity,
        pipeCapacity: 16, pipeBuf: 8, maxProcs: 5, maxSteps: 900, mailboxCapacity: 8, network: {}, hosts: [],
      },
    })).toEqual({
      command: `${BASE} --arg 'hello world' --arg 'it'\\''s' --arg plain --stdin 'a\nb' --enable proc,fd,pipe --file 'notes.txt=x y' `
        + '--link-capacity inf --pipe-capacity 16 --pipe-buf 8 --max-procs 5 --max-steps 900',
    });
  });

  it('starts a default export on another host with --host', () => {
    expect(command({ programs: [{}, { host: '10.0.0.2' }], settings: { hosts: ['10.0.0.2'] } }))
      .toEqual({ command: `${BASE} --host 10.0.0.2=submission.ts` });
  });

  it('says why when the command line cannot start the run', () => {
    const unavailable = (request: Parameters<typeof replayCommand>[0]) => {
      const answer = command(request);
      return 'unavailable' in answer ? answer.unavailable : answer.command;
    };
    expect(unavailable({ programs: [{ entry: 'producer' }, { entry: 'consumer' }], settings: {} }))
      .toBe("The command line starts a file's default export, and this run starts producer and consumer: replay it here.");
    expect(unavailable({ programs: [{ argv: [2, 100] }], settings: {} })).toBe('The command line passes arguments as text, and this run passes 2: replay it here.');
    expect(unavailable({ programs: [{}], settings: { mailboxCapacity: 0 } })).toBe('The command line has no option for mailboxCapacity (0 in this run): replay it here.');
    expect(unavailable({ programs: [{}], settings: { network: { loss: 0.2 } } })).toBe('The command line has no option for network faults, which this run has: replay it here.');
    expect(unavailable({ programs: [{}, { argv: ['10.0.0.1'], host: '10.0.0.2' }], settings: {} }))
      .toBe('The command line starts one program per host, each beyond the first with no arguments or stdin, and this run does not: replay it here.');
    expect(unavailable({ programs: [{}], settings: { hosts: ['10.0.0.3'] } }))
      .toBe('The command line creates a host only for a program, and this run has 10.0.0.3 with none: replay it here.');
  });

  it('leaves plain words alone and quotes the rest', () => {
    expect(['a', 'a-b/c.ts', '10.0.0.1=x.ts', '', 'two words', "it's"].map(shellWord)).toEqual(['a', 'a-b/c.ts', '10.0.0.1=x.ts', "''", "'two words'", "'it'\\''s'"]);
  });
});
