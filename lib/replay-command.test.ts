import { replayCommand, shellWord } from './replay-command';

const BASE = 'npx rendezvous run submission.ts --replay counterexample.json --trace';
const command = (request: Parameters<typeof replayCommand>[0]) => replayCommand(request, { program: 'submission.ts', replay: 'counterexample.json', programs: 'programs.json' });

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
        + '--link-capacity inf --mailbox-capacity 8 --pipe-capacity 16 --pipe-buf 8 --max-procs 5 --max-steps 900',
      programs: null,
    });
  });

  it('starts a default export on another host with --host', () => {
    expect(command({ programs: [{}, { host: '10.0.0.2' }], settings: { hosts: ['10.0.0.2'] } }))
      .toEqual({ command: `${BASE} --host 10.0.0.2=submission.ts --hosts 10.0.0.2`, programs: null });
  });

  it('lists in a --programs file what the options cannot say: other exports, arguments that are not text, several programs with arguments', () => {
    const listing = (programs: Parameters<typeof replayCommand>[0]['programs']) => command({ programs, settings: { enable: ['shm'] } });
    const producers = [{ entry: 'producer', argv: [1, 3] }, { entry: 'consumer', argv: [3] }];
    expect(listing(producers)).toEqual({ command: `${BASE} --programs programs.json --enable shm`, programs: JSON.stringify(producers, null, 2) });
    expect(listing([{ argv: [2, 100] }])).toEqual({ command: `${BASE} --programs programs.json --enable shm`, programs: JSON.stringify([{ argv: [2, 100] }], null, 2) });
    const clientServer = [{ entry: 'default' }, { entry: 'default', host: '10.0.0.2', argv: ['10.0.0.1'] }];
    expect(listing(clientServer)).toMatchObject({ programs: JSON.stringify(clientServer, null, 2) });
  });

  it('gives the capacities, the output limit, network faults and extra hosts as options', () => {
    expect(command({
      programs: [{}],
      settings: { hosts: ['10.0.0.3', '10.0.0.2'], network: { loss: 0.2, reorder: 0.1 }, mailboxCapacity: Infinity, msgqueueCapacity: 2, outputLimit: 100 },
    })).toEqual({
      command: `${BASE} --hosts 10.0.0.3,10.0.0.2 --network loss=0.2,reorder=0.1 --mailbox-capacity inf --msgqueue-capacity 2 --output-limit 100`,
      programs: null,
    });
  });

  it('says why when the command line has no option for a setting of the run', () => {
    expect(command({ programs: [{}], settings: { socketCapacity: 100 } })).toEqual({ unavailable: 'The command line has no option for socketCapacity (100 in this run): replay it here.' });
    expect(command({ programs: [{}], settings: { detectRaces: false } })).toEqual({ unavailable: 'The command line has no option for detectRaces (false in this run): replay it here.' });
  });

  it('leaves plain words alone and quotes the rest', () => {
    expect(['a', 'a-b/c.ts', '10.0.0.1=x.ts', '', 'two words', "it's"].map(shellWord)).toEqual(['a', 'a-b/c.ts', '10.0.0.1=x.ts', "''", "'two words'", "'it'\\''s'"]);
  });
});
