/**
 * One grader sandbox process per concurrent job: a job borrows an idle client and gives it back,
 * so a sandbox that a submission crashed is replaced (by SandboxClient) without touching the others.
 */
import { SandboxClient } from '../grader/sandbox-client';

export class SandboxPool {
  /** Clients no job holds right now. */
  private readonly idle: SandboxClient[];
  /** Every client, held or not, so closing reaches them all. */
  private readonly all: SandboxClient[];

  constructor(size: number) {
    this.all = Array.from({ length: size }, () => new SandboxClient());
    this.idle = [...this.all];
  }

  /** Runs `use` with a client of its own; BullMQ's concurrency never asks for more than the pool holds. */
  async with<T>(use: (client: SandboxClient) => Promise<T>): Promise<T> {
    const client = this.idle.pop();
    if (!client) throw new Error('No idle sandbox: more jobs at once than the worker\'s concurrency.');
    try {
      return await use(client);
    } finally {
      this.idle.push(client);
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
