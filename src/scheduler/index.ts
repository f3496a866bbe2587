import { Cron } from 'croner';
import type { DecisionAnnouncer } from '../app/proactive/decision-announcer';
import type { ReviewPublisher } from '../app/proactive/review-publisher';
import { errorFacts } from '../app/core/turn';
import type { Logger } from '../log';
import { closeDueReviews } from '../usecases/close-review';
import type { Deps } from '../usecases/deps';
import { loadReview } from '../usecases/load-review';
import { sweepOrphanBlobs } from '../usecases/attachments';
import { expireChangeRequests } from '../usecases/request-changes';
import type { ReminderJob } from './reminder-job';
import type { RetentionJob } from './retention-job';

/**
 * The clock's work inside the bot process: post review cards that could not be posted (no
 * channel yet, connector down), close reviews whose deadline passed with quorum, announce
 * decisions and send due reminders. `protect` skips a run while the previous one is still busy.
 */
export function startScheduler(
  deps: Deps,
  publisher: ReviewPublisher,
  announcer: DecisionAnnouncer,
  log: Logger,
  pattern = '*/5 * * * *',
  reminders?: ReminderJob,
  retention?: RetentionJob,
) {
  const job = new Cron(pattern, { protect: true, timezone: 'Europe/Amsterdam' }, async () => {
    await runReviewJobs(deps, publisher, log);
    // A decision stored just before a crash still gets its messages.
    await announcer.announcePending().catch((e) => log.warn({ err: errorFacts(e) }, 'announcing decisions failed'));
    // Due reminders, and those missed while the bot was down if still useful.
    await reminders?.run().catch((e) => log.warn({ err: errorFacts(e) }, 'reminders failed; next run retries'));
    await sweepAttachments(deps, log);
    // Applications whose retention term passed are anonymised, each once.
    await retention?.run().catch((e) => log.warn({ err: errorFacts(e) }, 'retention failed; next run retries'));
  });
  return { stop: () => job.stop() };
}

export async function runReviewJobs(deps: Deps, publisher: ReviewPublisher, log: Logger) {
  try {
    // Change requests whose date passed go back in review as they were (the stated rule), before reviews are closed.
    const expired = await expireChangeRequests(deps).catch((e) => (log.warn({ err: errorFacts(e) }, 'expiring change requests failed'), []));
    for (const c of expired) {
      const ctx = await loadReview(deps, c.roundId, c.applicationId);
      if (ctx) await publisher.refreshShared(ctx).catch(() => undefined);
    }
    if (expired.length) log.info({ expired: expired.length }, 'change requests expired');
    const posted = await publisher.sweep();
    const closed = await closeDueReviews(deps);
    for (const c of closed) {
      const ctx = await loadReview(deps, c.roundId, c.applicationId);
      if (ctx) await publisher.refreshShared(ctx).catch(() => undefined);
    }
    if (posted || closed.length) log.info({ posted, closed: closed.length }, 'review jobs');
    return { posted, closed: closed.length };
  } catch (e) {
    log.warn({ err: errorFacts(e) }, 'review jobs failed; next run retries');
    return { posted: 0, closed: 0 };
  }
}

/** Blobs an upload left without a row (a crash between the two) are deleted once they are old enough. */
export async function sweepAttachments(deps: Deps, log: Logger): Promise<number> {
  try {
    const swept = await sweepOrphanBlobs(deps);
    if (swept) log.info({ swept }, 'orphan attachment blobs deleted');
    return swept;
  } catch (e) {
    log.warn({ err: errorFacts(e) }, 'attachment sweep failed; next run retries');
    return 0;
  }
}

/** Every scheduled job once, for the HTTP trigger (a platform timer when the bot runs as several instances). */
export async function runJobsOnce(
  deps: Deps,
  publisher: ReviewPublisher,
  announcer: DecisionAnnouncer,
  reminders: ReminderJob,
  log: Logger,
  retention?: RetentionJob,
) {
  const review = await runReviewJobs(deps, publisher, log);
  const announced = await announcer.announcePending().catch((e) => (log.warn({ err: errorFacts(e) }, 'announcing decisions failed'), 0));
  return {
    ...review,
    announced,
    reminders: await reminders.run(),
    orphanBlobs: await sweepAttachments(deps, log),
    ...(retention ? { retention: await retention.run() } : {}),
  };
}
