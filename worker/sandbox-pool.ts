/**
 * One grader sandbox process per concurrent job: a job borrows an idle client and gives it back,
 * so a sandbox that a submission crashed is replaced (by SandboxClient) without touching the others.
 */
import { SandboxClient, type SandboxClientOptions } from '../grader/sandbox-client';

export class SandboxPool {
  /** Clients no job holds right now. */
  private readonly idle: SandboxClient[];
  /** Every client, held or not, so closing reaches them all. */
  private readonly all: SandboxClient[];
  /** Jobs waiting for a client, first come first served (the grading and trace queues share the pool). */
  private readonly waiting: ((client: SandboxClient) => void)[] = [];

  /** `onRestart` hears of every sandbox process that died or was killed during a job (the next job starts a fresh one). */
  constructor(size: number, private readonly onRestart: () => void = () => undefined, options: SandboxClientOptions = {}) {
    this.all = Array.from({ length: size }, () => new SandboxClient(options));
    this.idle = [...this.all];
  }

  /** Runs `use` with a client of its own, waiting for one to be free. */
  async with<T>(use: (client: SandboxClient) => Promise<T>): Promise<T> {
    const client = this.idle.pop() ?? (await new Promise<SandboxClient>((resolve) => this.waiting.push(resolve)));
    const before = client.childPid;
    try {
      return await use(client);
    } finally {
      // A child that ran before the job and is not the one running after it was replaced (or is gone until the next job).
      if (before !== undefined && client.childPid !== before) this.onRestart();
      const next = this.waiting.shift();
      if (next) next(client);
      else this.idle.push(client);
    }
  }

  /** The walls around every sandbox process (they are alike), for the start-up log. */
  describeWalls(): string[] {
    return this.all[0]?.describeWalls() ?? [];
  }

  close(): void {
    for (const client of this.all) client.close();
  }
}
