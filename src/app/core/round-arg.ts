import { z } from 'zod';
import { roundChooserCard, roundNotFoundCard } from '../../cards/round-cards';
import type { Card } from '../../cards/render';
import type { Round } from '../../domain/round';
import type { Versioned } from '../../domain/versioned';
import type { Lang } from '../../i18n';
import type { Deps } from '../../usecases/deps';
import { pickRound, type RoundArg } from '../../usecases/pick-round';

/**
 * The accounthouder's commands that act on one round, each with the words it is typed as. The
 * "which round?" card sends the key back (`round.choose`); the command is then run again as typed
 * text with the chosen round's id after it.
 */
export const ROUND_COMMANDS = {
  ronde: { nl: 'ronde', en: 'round' },
  criteria: { nl: 'uitgangspunten', en: 'criteria' },
  toekenning: { nl: 'toekenning', en: 'allocation' },
  verdeling: { nl: 'verslag verdeling', en: 'allocation report' },
  resultaten: { nl: 'verslag resultaten', en: 'results report' },
  overzicht: { nl: 'overzicht', en: 'overview' },
  aanvragen: { nl: 'aanvragen', en: 'applications' },
  export: { nl: 'export', en: 'export' },
  exportNamen: { nl: 'export met namen', en: 'export with names' },
  vastgelopen: { nl: 'vastgelopen', en: 'stuck' },
  raadpleging: { nl: 'raadpleging', en: 'consultation' },
  formulier: { nl: 'formulier', en: 'form' },
} as const;
export type RoundCommand = keyof typeof ROUND_COMMANDS;
export const roundCommand = z.enum(Object.keys(ROUND_COMMANDS) as [RoundCommand, ...RoundCommand[]]);

/**
 * A command typed with a round after it, as `normaliseCommand` leaves it: `ronde lbn 2026`
 * (`LBN-2026`) or `ronde 2026` (a year). `re` is matched against the whole text first, then without
 * a trailing year, then without a trailing prefix and year. Undefined when it does not match.
 */
export function matchWithRound(normalised: string, re: RegExp): { m: RegExpExecArray; arg?: RoundArg } | undefined {
  const whole = re.exec(normalised);
  if (whole) return { m: whole };
  const year = / (\d{4})$/.exec(normalised);
  if (!year) return undefined;
  const rest = normalised.slice(0, year.index);
  const withYear = re.exec(rest);
  if (withYear) return { m: withYear, arg: { year: Number(year[1]) } };
  const prefix = / ([a-z]{1,6})$/.exec(rest);
  if (!prefix) return undefined;
  const withId = re.exec(rest.slice(0, prefix.index));
  return withId ? { m: withId, arg: { id: `${prefix[1]!.toUpperCase()}-${year[1]}` } } : undefined;
}

/**
 * The card of a round command: the round named (not found when it is not there), a "which round?"
 * card when more than one fits, else `show` with the command's default round (`undefined` when
 * there is no round at all; a year without a round is `noneOfYear`). Call it after the role check.
 */
export async function cardForRound(
  deps: Deps,
  lang: Lang,
  input: {
    arg: RoundArg | undefined;
    command: RoundCommand;
    fallback: (deps: Deps) => Promise<Versioned<Round> | undefined>;
    /** The card when the year named has no round (default: round not found). */
    noneOfYear?: (year: number) => Card | Promise<Card>;
    /** Of several live rounds, the ones this command can still act on (see `pickRound`). */
    relevant?: (deps: Deps, round: Round) => Promise<boolean>;
  },
  show: (round: Versioned<Round> | undefined) => Promise<Card>,
): Promise<Card> {
  const picked = await pickRound(deps, input.arg, input.fallback, input.relevant);
  switch (picked.kind) {
    case 'round':
      return show(picked.round);
    case 'choose':
      return roundChooserCard(lang, picked.rounds, input.command, ROUND_COMMANDS[input.command][lang]);
    case 'not-found':
      return roundNotFoundCard(lang);
    case 'none':
      if (input.arg && 'year' in input.arg) return input.noneOfYear ? input.noneOfYear(input.arg.year) : roundNotFoundCard(lang);
      return show(undefined);
  }
}
