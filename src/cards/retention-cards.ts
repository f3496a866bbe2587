import anonymiseTemplate from '../../cards/anonymise.json';
import type { KeptItem, RemovedCounts } from '../domain/retention';
import { fill, Lang, plural } from '../i18n';
import { privacyMessages } from '../i18n/privacy';
import type { AnonymiseConfirmation, AnonymiseOutcome, AnonymiseScope } from '../usecases/anonymise';
import { Card, render } from './render';

/** The sentences of what is (or was) removed, computed from the counts; never a fixed claim. */
function removedLines(lang: Lang, r: RemovedCounts): string[] {
  const t = privacyMessages(lang);
  const names = (keys: string[], map: Record<string, string | undefined>) =>
    keys
      .map((k) => map[k])
      .filter(Boolean)
      .join(', ');
  const lines: string[] = [];
  if (r.applicationFields.length) lines.push(fill(t.fromApplication, { list: names(r.applicationFields, t.fields) }));
  if (r.resultsFields.length) lines.push(fill(t.fromResults, { list: names(r.resultsFields, t.results) }));
  for (const [n, forms] of [
    [r.comments, t.comments],
    [r.overallRemarks, t.overall],
    [r.recusalNotes, t.recusalNotes],
    [r.questions, t.questions],
    [r.answers, t.answers],
    [r.files ?? 0, t.files],
    [r.markRemarks ?? 0, t.markRemarks],
    [r.consultationTexts ?? 0, t.consultationTexts],
    [r.addresses ?? 0, t.addresses],
  ] as const)
    if (n > 0) lines.push(plural(lang, n, forms));
  if (r.applicantPseudonymised) lines.push(t.applicant);
  if (r.namesReplaced) lines.push(plural(lang, r.namesReplaced, t.namesReplaced));
  if (r.addressesLater) lines.push(t.addressesLater);
  return lines;
}

function keptLines(lang: Lang, kept: KeptItem[]): string[] {
  const t = privacyMessages(lang);
  return kept.map((k) => fill(t.keptLine, { what: t.kept[k.what], why: t.why[k.why] }));
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function card(
  lang: Lang,
  input: {
    scope: AnonymiseScope;
    title: string;
    intro: string;
    notice?: string;
    removed: string[];
    removedHeading: string;
    kept: string[];
    run?: { roundId: string; applicationId: string; rev: number; reference: string };
  },
): Card {
  const t = privacyMessages(lang);
  const removed = input.removed.length ? input.removed : [t.nothing];
  return render(anonymiseTemplate, {
    title: input.title,
    notice: input.notice ?? '',
    intro: input.intro,
    removedHeading: input.removedHeading,
    removed: removed.map((line) => ({ line })),
    keptHeading: t.keptHeading,
    hasKept: input.kept.length > 0,
    kept: input.kept.map((line) => ({ line: cap(line) })),
    canRun: Boolean(input.run),
    confirmTitle: input.run ? fill(t.confirm[input.scope], { reference: input.run.reference }) : '',
    roundId: input.run?.roundId ?? '',
    applicationId: input.run?.applicationId ?? '',
    rev: input.run?.rev ?? 0,
    scope: input.scope,
    back: t.back,
  });
}

/** The accounthouder's confirmation: what will be removed and what stays, computed from the plan. */
export function anonymiseConfirmCard(lang: Lang, c: AnonymiseConfirmation, notice?: string): Card {
  const t = privacyMessages(lang);
  const intro = c.scope === 'application' ? t.confirmIntro.application : plural(lang, c.applications, t.confirmIntro.person);
  return card(lang, {
    scope: c.scope,
    title: fill(t.confirmTitle[c.scope], { reference: c.reference }),
    intro: c.plan.nothingToRemove ? t.already : intro,
    ...(notice ? { notice } : {}),
    removedHeading: t.removedHeading,
    removed: c.plan.nothingToRemove ? [] : removedLines(lang, c.plan.removed),
    kept: keptLines(lang, c.plan.kept),
    ...(c.plan.nothingToRemove ? {} : { run: { roundId: c.roundId, applicationId: c.applicationId, rev: c.rev, reference: c.reference } }),
  });
}

/** After the button: what was removed (or that it was done before), and what stays. No button to press again. */
export function anonymisedCard(lang: Lang, reference: string, scope: AnonymiseScope, outcome: AnonymiseOutcome): Card {
  const t = privacyMessages(lang);
  const intro = [outcome.already ? t.already : t.done, ...(outcome.auditPseudonymised > 0 ? [plural(lang, outcome.auditPseudonymised, t.audit)] : [])].join(
    ' ',
  );
  return card(lang, {
    scope,
    title: fill(t.doneTitle, { reference }),
    intro,
    removedHeading: t.removedDone,
    removed: outcome.already ? [] : removedLines(lang, outcome.removed),
    kept: keptLines(lang, outcome.kept),
  });
}
