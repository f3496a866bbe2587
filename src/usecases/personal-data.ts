import { GLOBAL, auditEvent } from '../domain/audit';
import type { AuditEvent } from '../domain/audit';
import { cardTexts, withoutNames, type ApplicationEntry, type ChangeRequestEntry, type PersonalData, type PersonalSections } from '../domain/personal-data';
import { fieldChanges } from '../domain/change-request';
import type { Answer, Application } from '../domain/application';
import { formOf, ownQuestionsOf } from '../domain/form';
import type { Round } from '../domain/round';
import type { Deps } from './deps';

/**
 * Collects everything stored about one person (AVG art. 15) from every round and the global
 * partition: a scan over the rounds (each: its rows with reviews, consultation, audit, outbox and
 * marks), the registry, roles and the person's conversation. The person is who asks (`userId`
 * from the activity, or from a signed link made for them): nobody can ask for someone else.
 *
 * Other people are left out: their sheets, remarks and recusals are not read into it, who asked a
 * question or replied is not named, audit records by others on this person's applications say
 * "someone else", and names of other people the bot knows are removed from messages' texts.
 */
export async function collectPersonalData(deps: Deps, userId: string, placeholder: string): Promise<PersonalData> {
  const now = deps.clock.now();
  const [rounds, accounthouders, conversation, roster, allRoster, organisations, request] = await Promise.all([
    deps.repos.rounds.list(),
    deps.repos.roles.listAccounthouders(),
    deps.repos.conversations.get(userId),
    deps.repos.conversations.getRoster(userId),
    deps.repos.conversations.listRoster(),
    deps.repos.organisations.list(),
    deps.repos.privacy.get(userId),
  ]);
  const sections: PersonalSections = {
    contact: [],
    application: [],
    review: { sheets: [], recusals: [], questions: [], marks: [] },
    consultation: [],
    people: { userId, names: [], panel: [] },
    organisations: [],
    audit: [],
    messages: [],
    requests: [],
    attachments: [],
  };
  const ownNames = new Set<string>();
  const otherNames = new Set<string>();
  for (const r of allRoster) (r.userId === userId ? ownNames : otherNames).add(r.name);
  for (const a of accounthouders) (a.userId === userId ? ownNames : otherNames).add(a.name);

  /** Subjects (application ids) this person has a stake in, with their reference, per round. */
  const references = new Map<string, string | undefined>();
  const ownApplications = new Set<string>();
  const ownFiles: { roundId: string; applicationId: string; reference?: string }[] = [];
  const audits: AuditEvent[] = [];
  const outbox: { roundId: string; entries: Awaited<ReturnType<typeof deps.repos.outbox.list>> }[] = [];

  for (const round of rounds) {
    const [snapshot, consultation, audit, messages, marks] = await Promise.all([
      deps.repos.allocation.snapshotWithReviews(round.id),
      deps.repos.consultations.state(round.id),
      deps.repos.audit.list(round.id),
      deps.repos.outbox.list(round.id),
      deps.repos.allocation.listAllMarks(round.id),
    ]);
    if (!snapshot) continue;
    for (const m of snapshot.panel) (m.userId === userId ? ownNames : otherNames).add(m.name);
    for (const { value: app } of snapshot.applications) {
      references.set(app.id, app.reference);
      const bundle = snapshot.bundles.get(app.id);
      if (app.applicantId === userId) {
        ownApplications.add(app.id);
        ownFiles.push({ roundId: round.id, applicationId: app.id, ...(app.reference ? { reference: app.reference } : {}) });
        const f = app.fields;
        sections.contact.push({
          roundId: round.id,
          ...(app.reference ? { reference: app.reference } : {}),
          ...(f.title ? { title: f.title } : {}),
          ...(f.contactName ? { contactName: f.contactName } : {}),
          ...(f.contactEmail ? { contactEmail: f.contactEmail } : {}),
          ...(f.contactPhone ? { contactPhone: f.contactPhone } : {}),
        });
        if (f.contactName) ownNames.add(f.contactName);
        sections.application.push({
          roundId: round.id,
          applicationId: app.id,
          ...(app.reference ? { reference: app.reference } : {}),
          status: app.status,
          createdAt: app.createdAt,
          updatedAt: app.updatedAt,
          ...(app.submittedAt ? { submittedAt: app.submittedAt } : {}),
          ...(app.withdrawnAt ? { withdrawnAt: app.withdrawnAt } : {}),
          fields: app.fields,
          ...(f.answers ? { formAnswers: formAnswersOf(snapshot.round.value, f.answers) } : {}),
          ...(app.eligibility ? { eligibility: app.eligibility } : {}),
          ...(app.decision ? { decision: app.decision } : {}),
          ...(app.results ? { results: app.results } : {}),
          ...(app.reviewResult?.overall !== undefined ? { overall: app.reviewResult.overall } : {}),
          questions: (bundle?.questions ?? []).map(({ value: q }) => ({
            text: q.text,
            askedAt: q.askedAt,
            ...(q.answer ? { answer: q.answer } : {}),
            ...(q.answeredAt ? { answeredAt: q.answeredAt } : {}),
          })),
          ...(app.changeRequest ? { changeRequest: changeRequestEntry(app) } : {}),
        });
      }
      if (!bundle) continue;
      const ref = app.reference ? { reference: app.reference } : {};
      for (const { value: sheet } of bundle.sheets.filter((s) => s.value.memberId === userId)) {
        sections.review.sheets.push({ roundId: round.id, ...ref, scores: sheet.scores, comments: sheet.comments, overall: sheet.overall, at: sheet.at });
      }
      for (const r of bundle.recusals.filter((x) => x.memberId === userId)) {
        sections.review.recusals.push({ roundId: round.id, ...ref, reason: r.reason, ...(r.note ? { note: r.note } : {}), at: r.at });
      }
      for (const { value: q } of bundle.questions.filter((x) => x.value.askedBy === userId)) {
        sections.review.questions.push({ roundId: round.id, ...ref, text: q.text, askedAt: q.askedAt, answered: q.answer !== undefined });
      }
    }
    for (const m of snapshot.panel.filter((p) => p.userId === userId)) {
      sections.people.panel.push({
        roundId: round.id,
        name: m.name,
        role: m.role,
        ...(m.organisation ? { organisation: m.organisation } : {}),
        addedAt: m.addedAt,
      });
    }
    for (const m of marks.filter((x) => x.memberId === userId)) {
      sections.review.marks.push({ roundId: round.id, agree: m.agree, ...(m.remark ? { remark: m.remark } : {}), at: m.at });
    }
    for (const { value: r } of consultation?.responses.filter((x) => x.value.userId === userId) ?? []) {
      sections.consultation.push({
        roundId: round.id,
        role: r.role,
        perCriterion: r.perCriterion,
        newCriteria: r.newCriteria,
        updatedAt: r.updatedAt,
        replies: Object.entries(consultation?.decisions ?? {})
          .filter(([id]) => id.startsWith(`${userId}|`))
          .map(([proposalId, d]) => ({ proposalId, accepted: d.accepted, reply: d.reply, decidedAt: d.decidedAt })),
      });
    }
    audits.push(...audit);
    outbox.push({ roundId: round.id, entries: messages });
  }
  // The files attached to the person's own applications.
  for (const { roundId, applicationId, reference } of ownFiles) {
    for (const { value: f } of await deps.repos.attachments.list(roundId, applicationId)) {
      sections.attachments.push({ roundId, ...(reference ? { reference } : {}), name: f.name, kind: f.kind, size: f.size, addedAt: f.addedAt });
    }
  }
  const [globalAudit, globalOutbox] = await Promise.all([deps.repos.audit.list(GLOBAL), deps.repos.outbox.list(GLOBAL)]);
  audits.push(...globalAudit);
  outbox.push({ roundId: GLOBAL, entries: globalOutbox });

  for (const e of audits) {
    const mine = e.actorId === userId;
    const aboutMe = e.subjectId === userId || ownApplications.has(e.subjectId);
    if (!mine && !aboutMe) continue;
    const reference = references.get(e.subjectId);
    sections.audit.push({
      roundId: e.roundId,
      at: e.at,
      action: e.action,
      actor: mine ? 'self' : e.actorId === 'system' ? 'system' : 'other',
      ...(reference ? { reference } : {}),
      ...(e.details ? { details: e.details } : {}),
    });
  }
  sections.audit.sort((a, b) => a.at.localeCompare(b.at));

  for (const name of ownNames) otherNames.delete(name);
  const scrub = (t: string) => withoutNames(t, [...otherNames], placeholder);
  for (const { roundId, entries } of outbox) {
    for (const e of entries.filter((x) => x.target.type === 'user' && x.target.userId === userId)) {
      sections.messages.push({
        roundId,
        kind: e.kind,
        state: e.state,
        createdAt: e.createdAt,
        ...(e.sentAt ? { sentAt: e.sentAt } : {}),
        text: [...(e.text !== undefined ? [e.text] : []), ...cardTexts(e.card)].map(scrub),
      });
    }
  }

  const configured = deps.accounthouders?.includes(userId) ?? false;
  const record = accounthouders.find((a) => a.userId === userId);
  if (record || configured) sections.people.accounthouder = { since: record?.addedAt ?? '', byConfig: configured };
  if (conversation) {
    sections.people.conversation = {
      conversationId: conversation.conversationId,
      ...(conversation.locale ? { locale: conversation.locale } : {}),
      updatedAt: conversation.updatedAt,
    };
  }
  if (roster) sections.people.roster = { name: roster.name, tenantId: roster.tenantId, updatedAt: roster.updatedAt };
  sections.people.names = [...ownNames].filter((n) => n.trim() !== '').sort();
  for (const { value: o } of organisations.filter((x) => x.value.createdBy === userId)) {
    sections.organisations.push({ id: o.id, name: o.name, ...(o.kvk ? { kvk: o.kvk } : {}), aliases: o.aliases, createdAt: o.createdAt, source: o.source });
  }
  if (request) {
    const r = request.value;
    sections.requests.push({
      kind: 'deletion',
      state: r.state,
      requestedAt: r.requestedAt,
      ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    });
  }
  return { userId, generatedAt: now.toISOString(), sections };
}

/** The person asked for their data: audited (who, when), nothing else is written. */
export async function recordExportRequested(deps: Deps, userId: string): Promise<void> {
  await deps.repos.audit.record(auditEvent(GLOBAL, userId, 'privacy.export-requested', userId, deps.clock.now()));
}

/** The round's own questions this person answered, labelled (an answer to a question no longer in the form keeps its id as label). */
function formAnswersOf(round: Round, answers: Record<string, Answer>): NonNullable<ApplicationEntry['formAnswers']> {
  const questions = ownQuestionsOf(formOf(round));
  const known = questions
    .filter((q) => answers[q.id] !== undefined)
    .map((q) => ({ question: q.id, label: q.label ?? { nl: q.id, en: q.id }, answer: answers[q.id]! }));
  const rest = Object.keys(answers)
    .filter((id) => !questions.some((q) => q.id === id))
    .map((id) => ({ question: id, label: { nl: id, en: id }, answer: answers[id]! }));
  return [...known, ...rest];
}

/** The change request as the applicant may see it: the note, its dates, what changed; not who asked or proposed it. */
function changeRequestEntry(app: Application): ChangeRequestEntry {
  const cr = app.changeRequest!;
  const waiting = app.status === 'changes_requested';
  return {
    note: cr.note,
    requestedAt: cr.requestedAt,
    dueBy: cr.dueBy,
    proposedByPanel: Boolean(cr.proposedBy),
    ...(cr.resubmittedAt ? { resubmittedAt: cr.resubmittedAt } : {}),
    ...(cr.expiredAt ? { expiredAt: cr.expiredAt } : {}),
    changed: waiting ? fieldChanges(cr.snapshot, app.fields).map((c) => c.key) : (cr.changed ?? []),
    fieldsWhenAsked: cr.snapshot,
  };
}
