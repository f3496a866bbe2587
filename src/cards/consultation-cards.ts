import adminTemplate from '../../cards/consultation-admin.json';
import inviteTemplate from '../../cards/consultation-invite.json';
import respondTemplate from '../../cards/consultation-respond.json';
import {
  CONSULTATION_AUDIENCES,
  CONSULTATION_ROLES,
  ConsultationResponse,
  ConsultationRole,
  MAX_CONSULTATION_INVITED,
  NOT_REACHED_REASONS,
  proposalsOf,
  tally,
} from '../domain/consultation';
import type { Round } from '../domain/round';
import { fill, formatDate, Lang, messages, Messages, plural } from '../i18n';
import type { Consultation, ConsultationState } from '../domain/consultation';
import { Card, cardBytes, MESSAGE_LIMIT_BYTES, render, shortName, truncate } from './render';

const decimal = (lang: Lang, n: number) => n.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');

/** Counts by role; a participation recorded before 'onbekend' existed has none. */
function roleCounts(lang: Lang, t: Messages, counts: Partial<Record<ConsultationRole, number>>): string {
  return CONSULTATION_ROLES.map((r) => plural(lang, counts[r] ?? 0, t.consult.roleCounts[r])).join(', ');
}

/** Who could not be invited in person, by reason ("" when everyone could). */
function notReachedText(t: Messages, c: Consultation): string {
  const names = c.unreachableNames?.length ? fill(t.consult.notReachedNames, { names: c.unreachableNames.join(', ') }) : '';
  const parts = NOT_REACHED_REASONS.filter((r) => (c.notReached?.[r] ?? 0) > 0).map((r) =>
    fill(t.consult.notReachedParts[r], { count: c.notReached![r]!, max: MAX_CONSULTATION_INVITED, names: r === 'noConversation' ? names : '' }),
  );
  return parts.length ? fill(t.consult.notReached, { parts: parts.join(t.consult.and) }) : '';
}

export interface ConsultationAdminView {
  notice?: string;
  noticeColor?: 'accent' | 'attention' | 'default';
  /** Just started: the notice says how many were invited (who could not be reached is on the card). */
  started?: boolean;
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
    // Numbered, so that each proposal's buttons and reply field say which proposal they act on.
    const n = ++replySeq;
    const text = p.added
      ? fill(t.consult.proposalNew, {
          role: t.consult.roles[p.role],
          title: p.added.title,
          description: p.added.description,
          weight: decimal(lang, p.added.weight),
          reason: p.reason,
        })
      : fill(t.consult.proposalChange, { role: t.consult.roles[p.role], change: changeText(p.change ?? {}), reason: p.reason });
    return {
      id: p.id,
      text: fill(t.consult.proposalNumber, { n, text }),
      acceptTitle: fill(t.consult.accept, { n }),
      rejectTitle: fill(t.consult.reject, { n }),
      replyLabel: fill(t.consult.replyLabel, { n }),
      decided: d ? fill(d.accepted ? t.consult.accepted : t.consult.rejected, { reply: d.reply || '–' }) : '',
      decidedColor: d?.accepted ? 'accent' : 'attention',
      open: open && !d,
      replyId: `reply${n}`,
    };
  };
  const criteria = c
    ? [
        ...tally(c.draft, responses).map((x) => ({
          title: titleOf(x.criterionId),
          endorsed: fill(t.consult.endorsed, { counts: roleCounts(lang, t, x.endorsements) }),
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
  const invitedIds = new Set(c?.invited.map((i) => i.userId));
  const startedNotice =
    c && view.started ? fill(plural(lang, c.invited.length, t.consult.started), { channel: c.channel ? t.consult.startedChannel : '' }) : undefined;
  return render(adminTemplate, {
    t: t.consult,
    roundId: round.id,
    roundName: round.name,
    notice: view.notice ?? startedNotice ?? (frozen && !c ? t.consult.frozen : ''),
    noticeColor: view.noticeColor ?? (startedNotice ? 'accent' : 'default'),
    canStart: !c && !frozen,
    hasChannel: Boolean(round.routing.default),
    inviteChannelDefault: round.routing.default ? 'true' : 'false',
    audiences: CONSULTATION_AUDIENCES.map((value) => ({ title: t.consult.audiences[value], value })),
    closesAt: '',
    running: Boolean(c),
    statusText: c
      ? c.status === 'published'
        ? fill(t.consult.statusPublished, { date: formatDate(lang, c.publishedAt ?? c.startedAt), version: c.publishedVersion ?? '' })
        : fill(t.consult.status, {
            date: formatDate(lang, c.closesAt),
            responded: responses.length,
            respondedInvited: responses.filter((r) => invitedIds.has(r.userId)).length,
            invited: c.invited.length,
            channel: c.channel ? t.consult.statusChannel : '',
          })
      : '',
    notReachedText: c ? notReachedText(t, c) : '',
    participationText: c
      ? fill(t.consult.participation, { invited: roleCounts(lang, t, count(invited)), responded: roleCounts(lang, t, count(responded)) })
      : '',
    criteria,
    canPublish: open && !frozen,
  });
}

export interface RespondView {
  notice?: string;
  noticeColor?: 'accent' | 'attention' | 'default';
  /** The person's current response, to show what they said. */
  response?: ConsultationResponse;
  /** The role their response counts in, from the store (shown, never asked). */
  role?: ConsultationRole;
  now: Date;
}

/** The invitation in someone's chat or the review channel: what it is about, until when, and a button that opens the respond card for whoever presses it. */
export function consultationInviteCard(lang: Lang, c: Consultation): Card {
  const t = messages(lang);
  return render(inviteTemplate, { t: t.consult, roundId: c.roundId, text: fill(t.consult.inviteText, { date: formatDate(lang, c.closesAt) }) });
}

/** Criterion descriptions on the respond card, when the whole card would pass Teams' size limit. */
const RESPOND_DESCRIPTION_SHORT = 160;

/**
 * The invitation and response card: per criterion agree / propose a change / no opinion, and a
 * new criterion. Everything the person typed is always on it; when that and the criteria do not
 * fit Teams' limit together (12 criteria, every one changed at full length), the criteria's
 * descriptions are shortened and the card says so.
 */
export function consultationRespondCard(lang: Lang, c: Consultation, view: RespondView): Card {
  const full = respondCardAt(lang, c, view, false);
  return cardBytes(full) <= MESSAGE_LIMIT_BYTES ? full : respondCardAt(lang, c, view, true);
}

function respondCardAt(lang: Lang, c: Consultation, view: RespondView, compact: boolean): Card {
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
    roleText: !view.role ? '' : view.role === 'onbekend' ? t.consult.roleUnknown : fill(t.consult.roleNote, { role: t.consult.roles[view.role] }),
    verdicts: (['endorse', 'change', 'none'] as const).map((value) => ({ title: t.consult.verdicts[value], value })),
    shortenedText: compact && c.draft.items.some((i) => i.description.length > RESPOND_DESCRIPTION_SHORT) ? t.consult.descriptionsShortened : '',
    criteria: c.draft.items.map((i, k) => {
      const mine = r?.perCriterion[i.id];
      return {
        title: i.title,
        description: compact ? truncate(i.description, RESPOND_DESCRIPTION_SHORT) : i.description,
        weightText: fill(t.consult.weight, { weight: decimal(lang, i.weight) }),
        verdictId: `verdict_${i.id}`,
        verdictLabel: compact ? fill(t.consult.verdictLabelShort, { n: k + 1 }) : fill(t.consult.verdictLabel, { title: i.title }),
        // The change fields stay folded away until someone wants them (or already proposed a change): a shorter card.
        changeId: `change_${i.id}`,
        // Numbered: two criteria can start alike, and each button must say which one it opens.
        changeToggle: fill(t.consult.changeToggle, { title: shortName(`${k + 1}. ${i.title}`) }),
        showChange: mine?.kind === 'change',
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
