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
import { isNotFound } from './tables';

/** Consultation rows share a prefix in the round's partition: one range query reads them all. */
const PREFIX = 'cs_';
const KEY = { consultation: ROW.consultation, response: (userId: string) => `cs_r_${userId}`, decision: (proposalId: string) => `cs_d_${proposalId}` };

const audit = (event: AuditEvent): TransactionAction => ['create', auditToEntity(event, randomUUID())];

/**
 * A string property holds at most 64 KiB (32,768 UTF-16 code units), an entity 1 MiB. The invited
 * list can be thousands of people (about 80 characters each), so it is kept beside the JSON in
 * parts `invited0`, `invited1`, … of at most this many characters, each a JSON array of whole
 * entries (a part never splits a name or an emoji).
 */
const INVITED_PART = 30_000;

export function consultationEntity(c: Consultation): Record<string, unknown> & { partitionKey: string; rowKey: string } {
  const { invited, ...rest } = c;
  const parts: string[] = [];
  let current: string[] = [];
  let length = 2;
  for (const person of invited) {
    const json = JSON.stringify(person);
    if (current.length && length + json.length + 1 > INVITED_PART) {
      parts.push(`[${current.join(',')}]`);
      current = [];
      length = 2;
    }
    current.push(json);
    length += json.length + 1;
  }
  if (current.length) parts.push(`[${current.join(',')}]`);
  return {
    ...jsonEntity(c.roundId, KEY.consultation, 'consultation', rest),
    invitedParts: parts.length,
    ...Object.fromEntries(parts.map((p, i) => [`invited${i}`, p])),
  };
}

/** The consultation from its row; rows written before the list moved out of the JSON keep it inside. */
export function consultationFromEntity(e: Record<string, unknown>): Consultation {
  const value = fromJsonEntity<Consultation>(e);
  if (Array.isArray(value.invited)) return value;
  const parts = Number(e.invitedParts ?? 0);
  const invited = Array.from({ length: parts }, (_, i) => JSON.parse(String(e[`invited${i}`] ?? '[]')) as Consultation['invited']).flat();
  return { ...value, invited };
}

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
      consultation: { value: consultationFromEntity(main), etag: String(main.etag) },
      responses: rows
        .filter((r) => String(r.rowKey).startsWith('cs_r_'))
        .map((e) => ({ value: fromJsonEntity<ConsultationResponse>(e), etag: String(e.etag) })),
      decisions,
    };
  }

  async get(roundId: string): Promise<Versioned<Consultation> | undefined> {
    try {
      const e = await this.table.getEntity<Record<string, unknown>>(roundId, KEY.consultation);
      return { value: consultationFromEntity(e), etag: String(e.etag) };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async start(consultation: Consultation, event: AuditEvent) {
    const res = await refusedOn('ALREADY_EXISTS', () => this.table.submitTransaction([['create', consultationEntity(consultation)], audit(event)]));
    return res.ok ? ok({ value: consultation, etag: String(res.value.subResponses[0]?.etag) }) : res;
  }

  async update(current: Versioned<Consultation>, next: Consultation, event: AuditEvent) {
    const res = await refusedOn('CONFLICT', () =>
      this.table.submitTransaction([['update', consultationEntity(next), 'Replace', { etag: current.etag }], audit(event)]),
    );
    return res.ok ? ok({ value: next, etag: String(res.value.subResponses[0]?.etag) }) : res;
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
      ['update', consultationEntity(input.next), 'Replace', { etag: input.consultation.etag }],
      audit(input.audit),
    ];
    if (guard) actions.push(guard);
    return refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction(actions);
    });
  }
}
