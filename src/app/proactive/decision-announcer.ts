import { decisionCard, decisionSummaryCard, threadDecisionText } from '../../cards/allocation-cards';
import { langFor, Lang } from '../../i18n';
import type { Logger } from '../../log';
import type { DecisionRecord } from '../../domain/decision';
import { reviewThreads } from '../../domain/review';
import type { OutboxEntry } from '../../domain/outbox';
import type { SnapshotWithReviews } from '../../domain/snapshot';
import type { Versioned } from '../../domain/versioned';
import type { Deps } from '../../usecases/deps';
import { panelRemarksIn, resultIn } from '../../usecases/load-review';
import { errorFacts } from '../core/turn';

const CHANNEL_LANG: Lang = 'nl';

/**
 * Turns a stored decision into outbox messages: a decision card to each applicant, the decision in
 * each application's review thread, and a summary in the review channel. Entry ids derive from the
 * decision, so announcing twice (a crash before the decision was marked announced) stores nothing
 * twice; the outbox dispatcher sends each entry once.
 */
export class DecisionAnnouncer {
  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
    private readonly kick: () => void = () => undefined,
  ) {}

  async announcePending(): Promise<number> {
    let announced = 0;
    for (const round of await this.deps.repos.rounds.list()) {
      // The decision records tell whether anything waits; only then the whole round with its review rows (where the threads are).
      if (!(await this.deps.repos.allocation.decisions(round.id)).some((d) => !d.value.announced)) continue;
      const snapshot = await this.deps.repos.allocation.snapshotWithReviews(round.id);
      for (const decision of snapshot?.decisions ?? []) {
        if (decision.value.announced || !snapshot) continue;
        await this.announce(snapshot, decision);
        announced++;
      }
    }
    if (announced) this.kick();
    return announced;
  }

  announceLater(): void {
    this.announcePending().catch((e) => this.log.warn({ err: errorFacts(e) }, 'announcing decisions failed; the scheduler retries'));
  }

  private async announce(snapshot: SnapshotWithReviews, decision: Versioned<DecisionRecord>): Promise<void> {
    const d = decision.value;
    const round = snapshot.round.value;
    const entry = (id: string, kind: string, target: OutboxEntry['target'], body: { card?: object; text?: string }): OutboxEntry => ({
      id: `${d.id}-${id}`,
      roundId: d.roundId,
      kind,
      target,
      ...body,
      state: 'pending',
      attempts: 0,
      notBefore: d.approvedAt,
      createdAt: d.approvedAt,
    });
    const entries: OutboxEntry[] = [];
    for (const line of d.lines) {
      const app = snapshot.applications.find((a) => a.value.id === line.applicationId);
      if (!app) continue;
      const bundle = snapshot.bundles.get(line.applicationId);
      const result = resultIn(snapshot, app);
      const lang = langFor((await this.deps.repos.conversations.get(app.value.applicantId))?.locale);
      entries.push(
        entry(
          `${line.applicationId}-a`,
          'decision.applicant',
          { type: 'user', userId: app.value.applicantId },
          { card: decisionCard(lang, line, round, result, panelRemarksIn(snapshot, app)) },
        ),
      );
      const review = bundle?.review?.value;
      const { tenantId, botId } = review ?? {};
      // Every thread the card is in: the first post and each copy posted on request (`kaart`).
      reviewThreads(review).forEach((t, i) => {
        if (!tenantId || !botId) return;
        entries.push(
          entry(
            i === 0 ? `${line.applicationId}-t` : `${line.applicationId}-t${i}`,
            'decision.thread',
            { type: 'thread', serviceUrl: t.serviceUrl, tenantId, botId, threadId: t.threadId },
            { text: threadDecisionText(CHANNEL_LANG, line, d.approvedAt) },
          ),
        );
      });
    }
    const channel = round.routing.default;
    if (channel) {
      entries.push(
        entry(
          'summary',
          'decision.summary',
          { type: 'channel', serviceUrl: channel.serviceUrl, tenantId: channel.tenantId, botId: channel.botId, channelId: channel.channelId },
          { card: decisionSummaryCard(CHANNEL_LANG, d) },
        ),
      );
    }
    await this.deps.repos.outbox.enqueue(entries);
    await this.deps.repos.allocation.markAnnounced(d.roundId, decision);
    this.log.info({ roundId: d.roundId, decisionId: d.id, messages: entries.length }, 'decision announced');
  }
}
