import { randomUUID } from 'node:crypto';
import { TableClient, TransactionAction } from '@azure/data-tables';
import { err, ok } from '../domain/result';
import type { AnonymisationMarker } from '../domain/retention';
import type { AnonymiseWrite, RetentionRepo } from '../ports';
import { applicationToEntity, auditToEntity, fromJsonEntity, jsonEntity, odata, prefixFilter, reviewEntity, ROW } from './entities';
import { fittingBatches } from './limits';
import { isConflict, isNotFound } from './tables';

async function listAll(table: TableClient, filter: string) {
  const out: Record<string, unknown>[] = [];
  for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(e);
  return out;
}

const markerEntity = (roundId: string, m: AnonymisationMarker) => jsonEntity(roundId, ROW.anonymised(m.applicationId), 'anonymised', m);

/**
 * Anonymisation in Table Storage. One application is one transaction in its round's partition:
 * the application row (ETag), the review record, every sheet and question (ETag), the recusals,
 * the marker (created: of two writers one commits) and the audit record. A review of 60 members
 * with their sheets is 64 operations and fits.
 *
 * When the operations do not fit one transaction (more than 100 rows or 3 MiB: many questions, or
 * sheets and recusals of the same members), it goes in steps that never show half an application:
 * first the application row, the marker as 'rows-pending' and the audit record together (every
 * report, card and export reads the application row, so from then on it is anonymised as a
 * whole); then the review rows in batches (each idempotent: a blanked row blanked again is the
 * same row); last the marker becomes 'done' (ETag). A crash between steps leaves 'rows-pending',
 * and the next run sends what still holds text and finishes the marker.
 */
export class TableRetentionRepo implements RetentionRepo {
  constructor(private readonly table: TableClient) {}

  async markers(roundId: string) {
    return (await listAll(this.table, prefixFilter(roundId, ROW.anonymisedPrefix))).map((e) => ({
      value: fromJsonEntity<AnonymisationMarker>(e),
      etag: String(e.etag),
    }));
  }

  async anonymise(w: AnonymiseWrite) {
    const { roundId, applicationId } = w;
    const rows: TransactionAction[] = [
      ...(w.review
        ? [
            [
              'update',
              reviewEntity(roundId, ROW.review(applicationId), 'review', applicationId, w.review.next),
              'Replace',
              { etag: w.review.current.etag },
            ] as TransactionAction,
          ]
        : []),
      ...w.sheets.map((s): TransactionAction => [
        'update',
        reviewEntity(roundId, ROW.sheet(applicationId, s.next.memberId), 'sheet', applicationId, s.next),
        'Replace',
        { etag: s.current.etag },
      ]),
      // A recusal is written once and never changed: replaced without an ETag (If-Match: *, so never re-created).
      ...w.recusals.map((r): TransactionAction => [
        'update',
        reviewEntity(roundId, ROW.recusal(applicationId, r.memberId), 'recusal', applicationId, r),
        'Replace',
      ]),
      ...w.questions.map((q): TransactionAction => [
        'update',
        reviewEntity(roundId, ROW.question(applicationId, q.next.id), 'question', applicationId, q.next),
        'Replace',
        { etag: q.current.etag },
      ]),
    ];
    const marker = (state: AnonymisationMarker['state']): TransactionAction =>
      w.marker.current
        ? ['update', markerEntity(roundId, { ...w.marker.next, state }), 'Replace', { etag: w.marker.current.etag }]
        : ['create', markerEntity(roundId, { ...w.marker.next, state })];
    const head: TransactionAction[] = [
      ...(w.application ? [['update', applicationToEntity(w.application.next), 'Replace', { etag: w.application.current.etag }] as TransactionAction] : []),
      ...(w.audit ? [['create', auditToEntity(w.audit, randomUUID())] as TransactionAction] : []),
    ];
    const whole = [...head, ...rows, marker('done')];
    const refused = () => (w.marker.current ? err({ code: 'CONFLICT' as const }) : err({ code: 'ALREADY_EXISTS' as const }));
    if (fittingBatches(whole).length === 1) {
      try {
        await this.table.submitTransaction(whole);
        return ok({ ...w.marker.next, state: 'done' as const });
      } catch (e) {
        if (!isConflict(e)) throw e;
        return (await this.markerOf(roundId, applicationId)) && !w.marker.current
          ? err({ code: 'ALREADY_EXISTS' as const })
          : err({ code: 'CONFLICT' as const });
      }
    }
    // Too large for one transaction: the application row and the marker first, then the rows.
    let markerEtag = w.marker.current?.etag;
    if (!w.marker.current || w.application) {
      try {
        const res = await this.table.submitTransaction([...head, marker('rows-pending')]);
        markerEtag = String(res.subResponses.at(-1)?.etag);
      } catch (e) {
        if (!isConflict(e)) throw e;
        return refused();
      }
    }
    for (const batch of fittingBatches(rows)) {
      try {
        await this.table.submitTransaction(batch);
      } catch (e) {
        if (!isConflict(e)) throw e;
        // A row changed since read (nothing writes review rows of a closed review but another
        // anonymiser): the marker stays 'rows-pending' and the next run reads again.
        return err({ code: 'CONFLICT' as const });
      }
    }
    try {
      await this.table.updateEntity(markerEntity(roundId, { ...w.marker.next, state: 'done' }), 'Replace', { etag: markerEtag! });
    } catch (e) {
      if (!isConflict(e)) throw e;
      return err({ code: 'CONFLICT' as const });
    }
    return ok({ ...w.marker.next, state: 'done' as const });
  }

  private async markerOf(roundId: string, applicationId: string) {
    try {
      return await this.table.getEntity(roundId, ROW.anonymised(applicationId));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * Audit rows are append-only for everything but this: the actor id (and a subject that is the
   * same person) is replaced in place by the pseudonym, ETag-guarded (Merge of two properties; the
   * row key, time, action and details stay), and `pseudonymised` is set. Rewriting in place keeps
   * the trail complete and in order; a copy plus delete would not be atomic across many rows.
   */
  async pseudonymiseAudit(partitions: readonly string[], actorId: string, pseudonym: string): Promise<number> {
    let changed = 0;
    for (const pk of partitions) {
      const filter = `PartitionKey eq ${odata(pk)} and kind eq 'audit' and (actorId eq ${odata(actorId)} or subjectId eq ${odata(actorId)})`;
      for (const e of await listAll(this.table, filter)) {
        const patch = {
          partitionKey: pk,
          rowKey: String(e.rowKey),
          ...(e.actorId === actorId ? { actorId: pseudonym } : {}),
          ...(e.subjectId === actorId ? { subjectId: pseudonym } : {}),
          pseudonymised: true,
        };
        try {
          await this.table.updateEntity(patch, 'Merge', { etag: String(e.etag) });
          changed++;
        } catch (err) {
          // Another instance rewrote it first: nothing is left to do for this row.
          if (!isConflict(err) && !isNotFound(err)) throw err;
        }
      }
    }
    return changed;
  }
}
