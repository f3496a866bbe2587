import { randomUUID } from 'node:crypto';
import { errorFacts } from '../app/core/turn';
import type { Logger } from '../log';
import { anonymiseDue, AnonymiseDueResult } from '../usecases/anonymise';
import type { Deps } from '../usecases/deps';

/**
 * The retention run of one bot process (the croner job and the HTTP trigger): anonymises the
 * applications whose term passed. Runs in this process queue behind each other; across processes
 * the lease and the markers keep each application to one anonymisation. Logs counts only.
 */
export class RetentionJob {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
    readonly owner: string = randomUUID(),
  ) {}

  run(): Promise<AnonymiseDueResult> {
    const next = this.chain.then(() => this.runOnce());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async runOnce(): Promise<AnonymiseDueResult> {
    const started = Date.now();
    const result = await anonymiseDue(this.deps, {
      owner: this.owner,
      onError: (roundId, e) => this.log.warn({ roundId, err: errorFacts(e) }, 'anonymising a round stopped; the next run carries on'),
    });
    if (result.anonymised || result.auditPseudonymised || result.failedRounds) this.log.info({ ...result, ms: Date.now() - started }, 'retention');
    return result;
  }
}
