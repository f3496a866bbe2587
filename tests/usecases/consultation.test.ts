import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newDraft } from '../../src/domain/application';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import type { Consultation } from '../../src/domain/consultation';
import { newOrganisation, newOrganisationId } from '../../src/domain/organisation';
import type { OutboxEntry } from '../../src/domain/outbox';
import type { PanelRole } from '../../src/domain/panel';
import { memoryRepos } from '../../src/store/memory-repos';
import {
  consultationForRespondent,
  consultationInvitees,
  decideProposal,
  openConsultation,
  publishConsultation,
  queueInvitations,
  respondToConsultation,
  startConsultation,
} from '../../src/usecases/consultation';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { welcome } from '../../src/usecases/welcome';
import { fixedClock, NOW } from '../fixtures';

const BOSS = '00000000-0000-4000-8000-0000000000b0';
const closes = new Date(NOW.getTime() + 14 * 86_400_000).toISOString();
const invited = [
  { userId: 'p1', name: 'Partner', role: 'partner' as const },
  { userId: 'e1', name: 'Ervaringsdeskundige', role: 'ervaringsdeskundige' as const },
];

type Deps = Awaited<ReturnType<typeof setup>>['deps'];

async function member(deps: Deps, roundId: string, userId: string, role: PanelRole) {
  await deps.repos.reviews.putPanelMember(
    roundId,
    { userId, mri: `29:${userId}`, name: userId, role, addedBy: BOSS, addedAt: NOW.toISOString() },
    auditEvent(roundId, BOSS, 'panel.member-added', userId, NOW),
  );
}

async function talked(deps: Deps, userId: string, locale?: string) {
  await deps.repos.conversations.save({ userId, conversationId: `a:${userId}`, reference: {}, ...(locale ? { locale } : {}), updatedAt: NOW.toISOString() });
}

/** An application by `applicantId` for an organisation: one in the registry, or an id the registry does not know. */
async function applied(deps: Deps, roundId: string, applicantId: string, organisation: 'registered' | 'unregistered' | 'none') {
  let organisationId: string | undefined;
  if (organisation === 'registered') {
    organisationId = newOrganisationId(randomBytes);
    const org = newOrganisation({ name: `Stichting ${applicantId}`, aliases: [] }, { id: organisationId, createdBy: BOSS, now: NOW, source: 'accounthouder' });
    expect((await deps.repos.organisations.create(org, auditEvent(GLOBAL, BOSS, 'organisation.registered', organisationId, NOW))).ok).toBe(true);
  } else if (organisation === 'unregistered') organisationId = newOrganisationId(randomBytes);
  const draft = newDraft({ id: `app-${applicantId}`.padEnd(20, '0'), roundId, applicantId, now: NOW });
  await deps.repos.applications.create(
    { ...draft, fields: { organisation: `Stichting ${applicantId}`, ...(organisationId ? { organisationId } : {}) } },
    auditEvent(roundId, applicantId, 'application.created', draft.id, NOW),
  );
}

async function setup() {
  const clock = fixedClock();
  const deps = { repos: memoryRepos(), clock, accounthouders: [BOSS] };
  const { roundId } = await seedDemoRound(deps);
  return { deps, clock, roundId };
}

describe('the criteria consultation', () => {
  it('only an accounthouder starts it, with a future closing date and someone invited', async () => {
    const { deps } = await setup();
    expect(await startConsultation(deps, { actorId: 'p1', closesAt: closes, invited })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await startConsultation(deps, { actorId: BOSS, closesAt: NOW.toISOString(), invited })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', field: 'closesAt' },
    });
    expect((await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited })).ok).toBe(true);
    expect(await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited })).toMatchObject({ ok: false, error: { code: 'ALREADY_STARTED' } });
  });

  it('anyone responds (invited or not, in the channel or not), in the role the store gives them; they can change their mind until it closes', async () => {
    const { deps, clock, roundId } = await setup();
    await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited, channel: { channelId: '19:c' } });
    // Before: only the invited, or anyone in the channel with a role chosen on the card. Now anyone, and the store decides the role.
    const stranger = await respondToConsultation(deps, { actorId: 'stranger', roundId, perCriterion: { integraal: { kind: 'endorse' } } });
    expect(stranger.ok && stranger.value.responses.find((r) => r.value.userId === 'stranger')?.value.role).toBe('onbekend');
    await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { regie: { kind: 'change', change: { weight: 2 }, reason: 'Kern.' } } });
    const changed = await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { regie: { kind: 'endorse' } } });
    expect(changed.ok && changed.value.responses.find((r) => r.value.userId === 'p1')?.value.perCriterion).toEqual({ regie: { kind: 'endorse' } });
    expect(await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { geld: { kind: 'endorse' } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(
      await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { regie: { kind: 'change', change: { weight: 50 }, reason: 'x' } } }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    clock.set(new Date(Date.parse(closes) + 1));
    expect(await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: {} })).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
  });

  it('the accounthouder decides each proposal once and publishes the final set as the next version, recorded by role', async () => {
    const { deps, roundId } = await setup();
    // The roles come from the store: p1 and e1 sit on the panel.
    await member(deps, roundId, 'p1', 'partner');
    await member(deps, roundId, 'e1', 'ervaringsdeskundige');
    await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited });
    await respondToConsultation(deps, {
      actorId: 'p1',
      roundId,
      perCriterion: { integraal: { kind: 'endorse' }, regie: { kind: 'change', change: { weight: 2 }, reason: 'Regie is de kern.' } },
    });
    await respondToConsultation(deps, {
      actorId: 'e1',
      roundId,
      perCriterion: {},
      newCriterion: { title: 'Jongeren praten mee', description: 'Met jongeren.', weight: 1, reason: 'Niet over maar met.' },
    });
    expect(await decideProposal(deps, { actorId: 'p1', roundId, proposalId: 'p1|regie', accept: true, reply: 'ja' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const d1 = await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'p1|regie', accept: true, reply: 'Eens, goed punt.' });
    expect(d1.ok && d1.value).toMatchObject({ proposerId: 'p1', already: false });
    const again = await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'p1|regie', accept: false, reply: 'toch niet' });
    expect(again.ok && again.value.already).toBe(true);
    await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'e1|new|0', accept: false, reply: 'Zit al in ervaringsdeskundigheid.' });
    expect(await publishConsultation(deps, { actorId: 'e1', roundId })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    const published = await publishConsultation(deps, { actorId: BOSS, roundId });
    expect(published.ok && published.value.consultation.value).toMatchObject({
      status: 'published',
      publishedVersion: 2,
      changes: [{ proposalId: 'p1|regie', criterionId: 'regie', kind: 'changed' }],
      participation: {
        invited: { partner: 1, ervaringsdeskundige: 1, gemeente: 0, onbekend: 0 },
        responded: { partner: 1, ervaringsdeskundige: 1, gemeente: 0, onbekend: 0 },
        proposals: 2,
        accepted: 1,
        rejected: 1,
      },
    });
    const round = (await deps.repos.rounds.get(roundId))!.value;
    expect(round.criteria.version).toBe(2);
    expect(round.criteria.items.find((c) => c.id === 'regie')?.weight).toBe(2);
    // A published version never changes: publishing again or deciding later changes nothing.
    expect((await publishConsultation(deps, { actorId: BOSS, roundId })).ok).toBe(true);
    expect(await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'e1|new|0', accept: true, reply: '' })).toMatchObject({
      ok: false,
      error: { code: 'PUBLISHED' },
    });
    expect((await deps.repos.rounds.get(roundId))!.value.criteria.version).toBe(2);
  });
});

// Entra object ids as the activity carries them (lower case).
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [SANNE, MOHAMED, KEES, ANOUK, PETER, LOTTE, FATIMA] = [1, 2, 3, 4, 5, 6, 7].map(id) as [string, string, string, string, string, string, string];
const compose = ({ consultation, lang, to }: { consultation: Consultation; lang: string; to: 'person' | 'channel' }) => ({
  text: `${to} ${lang} ${consultation.roundId}`,
});

describe('who is invited: everyone the bot knows, each once, in the role the store gives them', () => {
  /**
   * Sanne: panel (partner) with a chat, stored in upper case on the panel. Mohamed: panel
   * (ervaringsdeskundige), never chatted. Kees: panel (gemeente) who also applied for a registered
   * organisation. Anouk: applied for a registered organisation, chatted. Peter: applied for a registered
   * organisation, never chatted. Lotte: chatted, applied for an organisation id the registry does not
   * know. Fatima: chatted, nothing else.
   */
  async function people() {
    const s = await setup();
    const { deps, roundId } = s;
    await member(deps, roundId, SANNE.toUpperCase(), 'partner');
    await member(deps, roundId, MOHAMED, 'ervaringsdeskundige');
    await member(deps, roundId, KEES, 'gemeente');
    await applied(deps, roundId, KEES, 'registered');
    await applied(deps, roundId, ANOUK, 'registered');
    await applied(deps, roundId, PETER, 'registered');
    await applied(deps, roundId, LOTTE, 'unregistered');
    for (const u of [SANNE, KEES, ANOUK, LOTTE, FATIMA, BOSS]) await talked(deps, u);
    return s;
  }

  it('everyone: each stored 1:1 chat, the panel and the registered partners; reached only with a chat, the others counted by reason', async () => {
    const { deps } = await people();
    const res = await consultationInvitees(deps, { actorId: BOSS, audience: 'everyone', inviteChannel: false });
    expect(res.ok && res.value).toEqual({
      invited: [
        { userId: BOSS, role: 'onbekend' },
        { userId: SANNE, role: 'partner' },
        { userId: KEES, role: 'gemeente' },
        { userId: ANOUK, role: 'partner' },
        { userId: LOTTE, role: 'onbekend' },
        { userId: FATIMA, role: 'onbekend' },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
      audience: 'everyone',
      // Mohamed (panel) and Peter (registered partner) have no chat with the bot; only Mohamed's name is known (the panel's).
      notReached: { noConversation: 2 },
      unreachableNames: [MOHAMED],
    });
  });

  it("a team roster address makes someone reachable (the bot starts the chat), but does not add them to 'everyone' by itself", async () => {
    const { deps } = await people();
    const address = (userId: string) => ({
      userId,
      rosterId: `29:${userId}`,
      tenantId: 't',
      serviceUrl: 'https://smba.example/',
      botId: '28:bot',
      name: 'x',
      updatedAt: NOW.toISOString(),
    });
    const STRANGER = id(99);
    await deps.repos.conversations.saveRoster([address(MOHAMED), address(STRANGER)]);
    const res = await consultationInvitees(deps, { actorId: BOSS, audience: 'everyone', inviteChannel: false });
    expect(res.ok && res.value.invited.map((p) => p.userId)).toContain(MOHAMED);
    expect(res.ok && res.value.invited.map((p) => p.userId)).not.toContain(STRANGER);
    expect(res.ok && res.value).toMatchObject({ notReached: { noConversation: 1 }, unreachableNames: [] });
  });

  it('panel only: the panel members, each once (Sanne is on the panel in upper case and chats in lower case)', async () => {
    const { deps } = await people();
    const res = await consultationInvitees(deps, { actorId: BOSS, audience: 'panel', inviteChannel: false });
    expect(res.ok && res.value).toEqual({
      invited: [
        { userId: SANNE, role: 'partner' },
        { userId: KEES, role: 'gemeente' },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
      audience: 'panel',
      notReached: { noConversation: 1 },
      unreachableNames: [MOHAMED],
    });
  });

  it('the review channel only when asked and linked; only an accounthouder asks', async () => {
    const { deps, roundId } = await people();
    expect(await consultationInvitees(deps, { actorId: SANNE, audience: 'everyone', inviteChannel: true })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const unlinked = await consultationInvitees(deps, { actorId: BOSS, audience: 'panel', inviteChannel: true });
    expect(unlinked.ok && unlinked.value.channel).toBeUndefined();
    const round = (await deps.repos.rounds.get(roundId))!;
    const link = {
      serviceUrl: 'https://smba.example/',
      tenantId: 't',
      botId: '28:bot',
      teamId: '19:team',
      channelId: '19:c@thread.tacv2',
      linkedBy: BOSS,
      linkedAt: NOW.toISOString(),
    };
    await deps.repos.rounds.update(
      round,
      { ...round.value, routing: { ...round.value.routing, default: link } },
      auditEvent(roundId, BOSS, 'round.channel-linked', roundId, NOW),
    );
    const linked = await consultationInvitees(deps, { actorId: BOSS, audience: 'panel', inviteChannel: true });
    expect(linked.ok && linked.value.channel).toEqual({ channelId: '19:c@thread.tacv2' });
  });

  it("the start records whom and why not; the invitations are stored once, in each person's language, and again after a crash stores nothing twice", async () => {
    const { deps, roundId, clock } = await people();
    await talked(deps, FATIMA, 'en-GB');
    const invitees = await consultationInvitees(deps, { actorId: BOSS, audience: 'everyone', inviteChannel: false });
    const started = await startConsultation(deps, { actorId: BOSS, closesAt: closes, ...(invitees.ok ? invitees.value : { invited: [] }) });
    expect(started.ok && started.value.consultation.value).toMatchObject({ audience: 'everyone', notReached: { noConversation: 2 } });
    expect(deps.repos.auditEvents.find((e) => e.action === 'consultation.started')?.details).toEqual({
      invited: 6,
      channel: false,
      audience: 'everyone',
      noConversation: 2,
    });

    // A crash after the first batch: part of it stored, no mark.
    const crash = async (entries: OutboxEntry[]) => {
      await deps.repos.outbox.enqueue(entries.slice(0, 2));
      throw new Error('process died');
    };
    await expect(queueInvitations(deps, { roundId, compose, enqueue: crash })).rejects.toThrow('process died');
    expect((await deps.repos.outbox.list(roundId)).length).toBe(2);
    expect((await deps.repos.consultations.get(roundId))?.value.invitationsQueuedAt).toBeUndefined();

    expect(await queueInvitations(deps, { roundId, compose })).toEqual({ queued: 6 });
    const outbox = await deps.repos.outbox.list(roundId);
    expect(outbox.map((e) => e.target).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      invitees.ok ? invitees.value.invited.map((i) => ({ type: 'user', userId: i.userId })) : [],
    );
    expect(outbox.find((e) => e.target.type === 'user' && e.target.userId === FATIMA)?.text).toBe('person en LB-2026');
    expect(outbox.find((e) => e.target.type === 'user' && e.target.userId === SANNE)?.text).toBe('person nl LB-2026');
    expect((await deps.repos.consultations.get(roundId))?.value.invitationsQueuedAt).toBe(NOW.toISOString());
    expect(deps.repos.auditEvents.find((e) => e.action === 'consultation.invited')?.details).toEqual({ messages: 6 });

    // Marked: a third call stores nothing; neither does one after the closing date.
    expect(await queueInvitations(deps, { roundId, compose })).toEqual({ queued: 0 });
    clock.set(new Date(Date.parse(closes) + 1));
    expect(await queueInvitations(deps, { roundId, compose })).toEqual({ queued: 0 });
    expect((await deps.repos.outbox.list(roundId)).length).toBe(6);
  });

  it('beyond the maximum, people are counted, not invited', async () => {
    const { planInvitations } = await import('../../src/domain/consultation');
    const facts = { panel: new Map([['c', 'gemeente' as const]]), registeredApplicants: new Set(['d']) };
    expect(planInvitations({ audience: 'everyone', facts, withConversation: ['a', 'b', 'c', 'D'], max: 2 })).toEqual({
      invited: [
        { userId: 'a', role: 'onbekend' },
        { userId: 'b', role: 'onbekend' },
      ],
      notReached: { overLimit: 2 },
      unreachable: [],
    });
  });
});

describe('the role of a response comes from the store at that moment, never from the card', () => {
  it('panel role, partner of a registered organisation, or unknown; it follows the store', async () => {
    const { deps, roundId } = await setup();
    await member(deps, roundId, KEES.toUpperCase(), 'gemeente');
    await applied(deps, roundId, ANOUK, 'registered');
    await applied(deps, roundId, LOTTE, 'unregistered');
    // Invited as someone else entirely: the invitation's role does not count either.
    await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited: [{ userId: FATIMA, role: 'ervaringsdeskundige' }] });
    const roleOf = async (userId: string) => {
      const res = await respondToConsultation(deps, { actorId: userId, roundId, perCriterion: { integraal: { kind: 'endorse' } } });
      return res.ok ? res.value.responses.find((r) => r.value.userId === userId)?.value.role : res.error.code;
    };
    expect(await roleOf(KEES)).toBe('gemeente');
    expect(await roleOf(ANOUK)).toBe('partner');
    expect(await roleOf(LOTTE)).toBe('onbekend');
    expect(await roleOf(FATIMA)).toBe('onbekend');
    // Fatima joins the panel: her next response counts as ervaringsdeskundige.
    await member(deps, roundId, FATIMA, 'ervaringsdeskundige');
    expect(await roleOf(FATIMA)).toBe('ervaringsdeskundige');
    expect(
      (await consultationForRespondent(deps, { actorId: LOTTE, roundId })).ok && (await consultationForRespondent(deps, { actorId: LOTTE, roundId })),
    ).toMatchObject({ value: { role: 'onbekend', response: { role: 'onbekend' } } });

    const published = await publishConsultation(deps, { actorId: BOSS, roundId });
    expect(published.ok && published.value.consultation.value.participation).toMatchObject({
      invited: { partner: 0, ervaringsdeskundige: 1, gemeente: 0, onbekend: 0 },
      responded: { partner: 1, ervaringsdeskundige: 1, gemeente: 1, onbekend: 1 },
    });
  });
});

describe('the open entry on the welcome card', () => {
  it('while a consultation of a round is open and before its closing date; not after, not once published', async () => {
    const { deps, clock, roundId } = await setup();
    expect((await welcome(deps)).consultation).toBeUndefined();
    await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited });
    expect(await openConsultation(deps)).toEqual({ roundId, closesAt: closes });
    expect((await welcome(deps)).consultation).toEqual({ roundId, closesAt: closes });
    clock.set(new Date(Date.parse(closes)));
    expect(await openConsultation(deps)).toBeUndefined();
    clock.set(NOW);
    await publishConsultation(deps, { actorId: BOSS, roundId });
    expect(await openConsultation(deps)).toBeUndefined();
  });
});
