import chooseTemplate from '../../cards/round-choose.json';
import newRoundTemplate from '../../cards/round-new.json';
import type { Round } from '../domain/round';
import { NewRoundErrors, SETTINGS_LIMITS, YEAR_RANGE } from '../domain/round-settings';
import { fill, Lang, plural } from '../i18n';
import { adminMessages } from '../i18n/admin';
import { roundMessages } from '../i18n/rounds';
import { noticeCard } from './notice';
import { Card, render, withError } from './render';

/** At most this many rounds on the "which round?" card (the live ones, or one year's). */
export const CHOOSER_LIMIT = 20;

/** "Which round?": one button per round; the button runs `command` again with that round. */
export function roundChooserCard(lang: Lang, rounds: readonly Round[], command: string, typed: string): Card {
  const r = roundMessages(lang);
  const a = adminMessages(lang);
  const shown = rounds.slice(0, CHOOSER_LIMIT);
  return render(chooseTemplate, {
    t: r.choose,
    intro: plural(lang, rounds.length, r.choose.intro),
    command,
    rounds: shown.map((x) => ({
      id: x.id,
      name: x.name,
      line: fill(r.choose.line, { id: x.id, status: a.settings.status[x.status] }),
      button: fill(r.choose.button, { name: x.id }),
    })),
    tip: shown[0] ? fill(r.choose.tip, { command: typed, id: shown[0].id }) : '',
  });
}

export function roundNotFoundCard(lang: Lang): Card {
  const r = roundMessages(lang);
  return noticeCard(lang, r.notFoundTitle, r.notFound);
}

export interface NewRoundView {
  token: string;
  /** The rounds to copy from, newest first; the first is chosen unless `raw.copyFrom` says otherwise. */
  rounds: readonly Round[];
  raw?: { name?: string; prefix?: string; year?: string; copyFrom?: string };
  errors?: NewRoundErrors;
  notice?: string;
  year: number;
}

/** The card to start another round: name, prefix, year and the round whose settings are copied. */
export function newRoundCard(lang: Lang, view: NewRoundView): Card {
  const r = roundMessages(lang);
  const errors = view.errors ?? {};
  const errorText = (f: keyof NewRoundErrors) => (errors[f] ? r.start.errors[errors[f]!] : '');
  const hasErrors = Object.keys(errors).length > 0;
  const notice = view.notice ?? (hasErrors ? r.start.fixBelow : '');
  return render(newRoundTemplate, {
    t: r.start,
    notice,
    noticeColor: hasErrors ? 'attention' : 'accent',
    token: view.token,
    nameLabel: withError(r.start.name, errorText('name')),
    prefixLabel: withError(r.start.prefix, errorText('prefix')),
    yearLabel: withError(r.start.year, errorText('year')),
    name: view.raw?.name ?? '',
    nameMax: SETTINGS_LIMITS.name,
    prefix: view.raw?.prefix ?? '',
    year: view.raw?.year ?? String(view.year),
    yearMin: YEAR_RANGE.min,
    yearMax: YEAR_RANGE.max,
    hasRounds: view.rounds.length > 0,
    rounds: view.rounds.slice(0, CHOOSER_LIMIT).map((x) => ({ id: x.id, title: `${x.name} (${x.id})` })),
    copyFrom: view.raw?.copyFrom ?? view.rounds[0]?.id ?? '',
  });
}
