import type { AuditEvent } from '../domain/audit';
import type { ConsultationResponse, ProposalDecision } from '../domain/consultation';
import { err, ok } from '../domain/result';
import type { Round } from '../domain/round';
import type { Consultation } from '../domain/consultation';
import type { ConsultationRepo, Repos } from '../ports';
import type { Versioned } from '../domain/versioned';

/** In-memory twin of the consultation store, on top of the in-memory repos (for the round and the counter). */
export function memoryConsultations(repos: Repos & { auditEvents: AuditEvent[] }): ConsultationRepo {
  let seq = 0;
  const etag = () => `W/"c${++seq}"`;
  const consultations = new Map<string, Versioned<Consultation>>();
  const responses = new Map<string, Map<string, Versioned<ConsultationResponse>>>();
  const decisions = new Map<string, Record<string, ProposalDecision>>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    async state(roundId) {
      const c = consultations.get(roundId);
      if (!c) return undefined;
      // Responses by user id, as the table's row keys sort them.
      const byUser = [...(responses.get(roundId)?.values() ?? [])].sort((a, b) =>
        a.value.userId < b.value.userId ? -1 : a.value.userId > b.value.userId ? 1 : 0,
      );
      return { consultation: clone(c), responses: byUser.map(clone), decisions: clone(decisions.get(roundId) ?? {}) };
    },
    async get(roundId) {
      const c = consultations.get(roundId);
      return c && clone(c);
    },
    async update(current, next, audit) {
      if (consultations.get(next.roundId)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
      const v = { value: clone(next), etag: etag() };
      consultations.set(next.roundId, v);
      repos.auditEvents.push(clone(audit));
      return ok(clone(v));
    },
    async start(consultation, audit) {
      if (consultations.has(consultation.roundId)) return err({ code: 'ALREADY_EXISTS' as const });
      const v = { value: clone(consultation), etag: etag() };
      consultations.set(consultation.roundId, v);
      repos.auditEvents.push(clone(audit));
      return ok(clone(v));
    },
    async saveResponse(roundId, response, current, audit) {
      const byUser = responses.get(roundId) ?? new Map();
      if (byUser.get(response.userId)?.etag !== current) return err({ code: 'CONFLICT' as const });
      byUser.set(response.userId, { value: clone(response), etag: etag() });
      responses.set(roundId, byUser);
      repos.auditEvents.push(clone(audit));
      return ok(undefined);
    },
    async decide(roundId, proposalId, decision, audit) {
      const d = decisions.get(roundId) ?? {};
      if (d[proposalId]) return err({ code: 'ALREADY_EXISTS' as const });
      d[proposalId] = clone(decision);
      decisions.set(roundId, d);
      repos.auditEvents.push(clone(audit));
      return ok(undefined);
    },
    async publish(input: { consultation: Versioned<Consultation>; next: Consultation; round: Versioned<Round>; nextRound: Round; audit: AuditEvent }) {
      // As the table checks: once anything was submitted it is FROZEN, whatever else changed.
      if ((await repos.rounds.submissionCount(input.nextRound.id)) > 0) return err({ code: 'FROZEN' as const });
      if (consultations.get(input.next.roundId)?.etag !== input.consultation.etag) return err({ code: 'CONFLICT' as const });
      const updated = await repos.rounds.update(input.round, input.nextRound, input.audit, { whileNoSubmissions: true });
      // Without budgetCoversSpent the update never answers OVERSPENT.
      if (!updated.ok) return err(updated.error.code === 'FROZEN' ? { code: 'FROZEN' as const } : { code: 'CONFLICT' as const });
      consultations.set(input.next.roundId, { value: clone(input.next), etag: etag() });
      return ok(undefined);
    },
  };
}
