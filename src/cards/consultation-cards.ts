import adminTemplate from '../../cards/consultation-admin.json';
import respondTemplate from '../../cards/consultation-respond.json';
import { CONSULTATION_ROLES, ConsultationResponse, ConsultationRole, proposalsOf, tally } from '../domain/consultation';
import type { Round } from '../domain/round';
import { fill, formatDate, Lang, messages, Messages } from '../i18n';
import type { Consultation, ConsultationState } from '../domain/consultation';
import { Card, render } from './render';

const decimal = (lang: Lang, n: number) => n.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');

function roleCounts(t: Messages, counts: Record<ConsultationRole, number>): string {
  return fill(t.consult.roleCounts, counts);
}

export interface ConsultationAdminView {
  notice?: string;
  noticeColor?: 'good' | 'attention' | 'warning' | 'default';
}

/** The accounthouder's consultation card: start one, or follow it, decide proposals and publish. */
export function consultationAdminCard(lang: Lang, round: Round, state: ConsultationState | undefined, frozen: boolean, view: ConsultationAdminView = {}): Card {
  const t = messages(lang);
  const c = state?.consultation.value;
  const responses = state?.responses.map((r) => r.value) ?? [];
  const decisions = state?.decisions ?? {};
  const open = c?.status === 'open';
  const titleOf = (id: string) => c?.draft.items.find((i) => i.id === id)?.title ?? id;
  const changeText = (ch: { title?: string; description?: string; weight?: number }) =>
    [
      ch.title && fill(t.consult.changeTitle, { value: ch.title }),
      ch.description && fill(t.consult.changeDescription, { value: ch.description }),
      ch.weight !== undefined && fill(t.consult.changeWeight, { value: decimal(lang, ch.weight) }),
    ]
      .filter(Boolean)
      .join(', ');
  let replySeq = 0;
  const proposalView = (p: ReturnType<typeof proposalsOf>[number]) => {
    const d = decisions[p.id];
    return {
      id: p.id,
      text: p.added
        ? fill(t.consult.proposalNew, {
            role: t.consult.roles[p.role],
            title: p.added.title,
            description: p.added.description,
            weight: decimal(lang, p.added.weight),
            reason: p.reason,
          })
        : fill(t.consult.proposalChange, { role: t.consult.roles[p.role], change: changeText(p.change ?? {}), reason: p.reason }),
      decided: d ? fill(d.accepted ? t.consult.accepted : t.consult.rejected, { reply: d.reply || '–' }) : '',
      decidedColor: d?.accepted ? 'good' : 'attention',
      open: open && !d,
      replyId: `reply${++replySeq}`,
    };
  };
  const criteria = c
    ? [
        ...tally(c.draft, responses).map((x) => ({
          title: titleOf(x.criterionId),
          endorsed: fill(t.consult.endorsed, { counts: roleCounts(t, x.endorsements) }),
          proposals: x.proposals.map(proposalView),
        })),
        ...(() => {
          const added = proposalsOf(responses).filter((p) => p.added);
          return added.length ? [{ title: t.consult.newProposals, endorsed: '', proposals: added.map(proposalView) }] : [];
        })(),
      ]
    : [];
  const responded = (role: ConsultationRole) => responses.filter((r) => r.role === role).length;
  const invited = (role: ConsultationRole) => (c?.invited ?? []).filter((i) => i.role === role).length;
  const count = (f: (r: ConsultationRole) => number) => Object.fromEntries(CONSULTATION_ROLES.map((r) => [r, f(r)])) as Record<ConsultationRole, number>;
  return render(adminTemplate, {
    t: t.consult,
    roundId: round.id,
    roundName: round.name,
    notice: view.notice ?? (frozen && !c ? t.consult.frozen : ''),
    noticeColor: view.noticeColor ?? 'default',
    canStart: !c && !frozen,
    hasChannel: Boolean(round.routing.default),
    inviteChannelDefault: round.routing.default ? 'true' : 'false',
    closesAt: '',
    running: Boolean(c),
    statusText: c
      ? c.status === 'published'
        ? fill(t.consult.statusPublished, { date: formatDate(lang, c.publishedAt ?? c.startedAt), version: c.publishedVersion ?? '' })
        : fill(t.consult.status, {
            date: formatDate(lang, c.closesAt),
            responded: responses.filter((r) => c.invited.some((i) => i.userId === r.userId)).length,
            invited: c.invited.length,
            channel: c.channel ? t.consult.statusChannel : '',
          })
      : '',
    participationText: c ? fill(t.consult.participation, { invited: roleCounts(t, count(invited)), responded: roleCounts(t, count(responded)) }) : '',
    criteria,
    canPublish: open && !frozen,
  });
}

export interface RespondView {
  notice?: string;
  noticeColor?: 'good' | 'attention' | 'warning' | 'default';
  /** The person's current response, to show what they said. */
  response?: ConsultationResponse;
  /** Role known from the invitation: no need to ask. */
  knownRole?: ConsultationRole;
  now: Date;
}

/** The invitation and response card: per criterion agree / propose a change / no opinion, and a new criterion. */
export function consultationRespondCard(lang: Lang, c: Consultation, view: RespondView): Card {
  const t = messages(lang);
  const r = view.response;
  const open = c.status === 'open' && view.now.getTime() <= Date.parse(c.closesAt);
  const added = r?.newCriteria[0];
  return render(respondTemplate, {
    t: t.consult,
    roundId: c.roundId,
    intro: fill(t.consult.respondIntro, { date: formatDate(lang, c.closesAt) }),
    notice: view.notice ?? (open ? '' : t.consult.closed.split('.')[0]! + '.'),
    noticeColor: view.noticeColor ?? 'default',
    open,
    askRole: !view.knownRole,
    role: r?.role ?? view.knownRole ?? '',
    roles: CONSULTATION_ROLES.map((value) => ({ title: t.consult.roles[value], value })),
    verdicts: (['endorse', 'change', 'none'] as const).map((value) => ({ title: t.consult.verdicts[value], value })),
    criteria: c.draft.items.map((i) => {
      const mine = r?.perCriterion[i.id];
      return {
        title: i.title,
        description: i.description,
        weightText: fill(t.consult.weight, { weight: decimal(lang, i.weight) }),
        verdictId: `verdict_${i.id}`,
        verdictLabel: fill(t.consult.verdictLabel, { title: i.title }),
        verdict: mine?.kind ?? '',
        titleId: `title_${i.id}`,
        descriptionId: `description_${i.id}`,
        weightId: `weight_${i.id}`,
        reasonId: `reason_${i.id}`,
        newTitle: mine?.kind === 'change' ? (mine.change.title ?? '') : '',
        newDescription: mine?.kind === 'change' ? (mine.change.description ?? '') : '',
        newWeight: mine?.kind === 'change' && mine.change.weight !== undefined ? String(mine.change.weight) : '',
        reason: mine?.kind === 'change' ? mine.reason : '',
      };
    }),
    add: { title: added?.title ?? '', description: added?.description ?? '', weight: added ? String(added.weight) : '', reason: added?.reason ?? '' },
  });
}
