import { randomUUID } from 'node:crypto';
import { TableClient, TransactionAction } from '@azure/data-tables';
import type { ConsultationResponse, ProposalDecision } from '../domain/consultation';
import type { AuditEvent } from '../domain/audit';
import { err, ok } from '../domain/result';
import type { Round } from '../domain/round';
import type { Consultation, ConsultationState } from '../domain/consultation';
import type { ConsultationRepo } from '../ports';
import type { Versioned } from '../domain/versioned';
import { auditToEntity, fromJsonEntity, jsonEntity, prefixFilter, roundToEntity, ROW } from './entities';
import { refusedOn } from './refused';
import { noSubmissionsGuard } from './guards';

/** Consultation rows share a prefix in the round's partition: one range query reads them all. */
const PREFIX = 'cs_';
const KEY = { consultation: ROW.consultation, response: (userId: string) => `cs_r_${userId}`, decision: (proposalId: string) => `cs_d_${proposalId}` };

const audit = (event: AuditEvent): TransactionAction => ['create', auditToEntity(event, randomUUID())];

export class TableConsultationRepo implements ConsultationRepo {
  constructor(private readonly table: TableClient) {}

  async state(roundId: string): Promise<ConsultationState | undefined> {
    const rows: Record<string, unknown>[] = [];
    const filter = prefixFilter(roundId, PREFIX);
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) rows.push(e);
    const main = rows.find((e) => e.rowKey === KEY.consultation);
    if (!main) return undefined;
    const decisions: Record<string, ProposalDecision> = {};
    for (const e of rows.filter((r) => String(r.rowKey).startsWith('cs_d_'))) decisions[String(e.rowKey).slice(5)] = fromJsonEntity(e);
    return {
      consultation: { value: fromJsonEntity<Consultation>(main), etag: String(main.etag) },
      responses: rows
        .filter((r) => String(r.rowKey).startsWith('cs_r_'))
        .map((e) => ({ value: fromJsonEntity<ConsultationResponse>(e), etag: String(e.etag) })),
      decisions,
    };
  }

  async start(consultation: Consultation, event: AuditEvent) {
    const res = await refusedOn('ALREADY_EXISTS', () =>
      this.table.submitTransaction([['create', jsonEntity(consultation.roundId, KEY.consultation, 'consultation', consultation)], audit(event)]),
    );
    return res.ok ? ok({ value: consultation, etag: String(res.value.subResponses[0]?.etag) }) : res;
  }

  async saveResponse(roundId: string, response: ConsultationResponse, etag: string | undefined, event: AuditEvent) {
    const entity = jsonEntity(roundId, KEY.response(response.userId), 'consultation-response', response);
    return refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction([etag ? ['update', entity, 'Replace', { etag }] : ['create', entity], audit(event)]);
    });
  }

  async decide(roundId: string, proposalId: string, decision: ProposalDecision, event: AuditEvent) {
    return refusedOn('ALREADY_EXISTS', async () => {
      await this.table.submitTransaction([['create', jsonEntity(roundId, KEY.decision(proposalId), 'consultation-decision', decision)], audit(event)]);
    });
  }

  async publish(input: { consultation: Versioned<Consultation>; next: Consultation; round: Versioned<Round>; nextRound: Round; audit: AuditEvent }) {
    const roundId = input.nextRound.id;
    const guard = await noSubmissionsGuard(this.table, roundId);
    if (guard === 'FROZEN') return err({ code: 'FROZEN' as const });
    const actions: TransactionAction[] = [
      ['update', roundToEntity(input.nextRound), 'Replace', { etag: input.round.etag }],
      ['update', jsonEntity(roundId, KEY.consultation, 'consultation', input.next), 'Replace', { etag: input.consultation.etag }],
      audit(input.audit),
    ];
    if (guard) actions.push(guard);
    return refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction(actions);
    });
  }
}
