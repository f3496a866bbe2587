import type { NewRoundErrorCode } from '../domain/round-settings';
import type { Lang, Plural } from './index';

/**
 * Texts about more rounds at the same time: starting another round, choosing a round for a
 * command, a partner choosing the round to apply to. Dutch in plain B1; `en` has the same shape.
 * Placeholders: {name} (a round's name), {id} (its id, LBN-2026), {command} (what was typed).
 */
const nl = {
  start: {
    title: 'Nieuwe ronde starten',
    intro:
      'Start een extra ronde, bijvoorbeeld een tweede regeling of een najaarsronde. Elke ronde heeft een eigen budget, uitgangspunten, panel, kanaal en eigen kenmerken.',
    prefixHelp:
      'Het voorvoegsel staat voor elk kenmerk, bijvoorbeeld LBN wordt LBN-2026-007. Gebruik alleen letters (hoogstens 6). Het mag in dat jaar nog niet gebruikt zijn.',
    name: 'Naam van de ronde (verplicht)',
    prefix: 'Voorvoegsel van de kenmerken (verplicht)',
    year: 'Jaar (verplicht)',
    copyFrom: 'Neem de instellingen over van',
    copyHelp: 'Budget, data, wijken, quorum en kanalen worden overgenomen. Je kunt ze daarna aanpassen. De uitgangspunten beginnen bij de standaard.',
    submit: 'Ronde starten',
    back: 'Terug naar de ronde',
    created: 'Ronde {id} ({name}) is gemaakt als concept. Pas aan wat nodig is en kies Opslaan. Open de ronde als alles klopt.',
    again: 'Deze ronde was al gestart met deze kaart. Er is niets dubbel gemaakt.',
    sourceGone: 'De ronde om van over te nemen is niet gevonden. Kies een andere.',
    errors: {
      required: 'Vul dit in.',
      tooLong: 'Dit is te lang.',
      controlCharacters: 'Gebruik gewone tekst op één regel.',
      prefixLetters: 'Gebruik alleen letters, hoogstens 6 (bijvoorbeeld LBN).',
      prefixTaken: 'Dit voorvoegsel heeft al een ronde in dat jaar. Kies een ander voorvoegsel.',
      year: 'Vul een jaar in, bijvoorbeeld 2026.',
    } satisfies Record<NewRoundErrorCode, string>,
    fixBelow: 'Er is niets gemaakt. Verbeter wat hieronder staat.',
  },
  choose: {
    title: 'Welke ronde?',
    intro: {
      one: 'Er loopt 1 ronde. Kies de ronde.',
      other: 'Er lopen {n} rondes. Kies de ronde waarover het gaat.',
    } as Plural,
    tip: 'Tip: noem de ronde erbij, bijvoorbeeld "{command} {id}".',
    line: '{id} · {status}',
    button: 'Kies {name}',
  },
  notFoundTitle: 'Ronde niet gevonden',
  notFound: 'Die ronde is er niet. Typ "ronde" voor de rondes die er zijn.',
  partner: {
    chooseIntro: {
      one: 'Je kunt nu aanvragen doen voor 1 ronde.',
      other: 'Je kunt nu aanvragen doen voor {n} rondes. Kies de ronde die bij je plan past.',
    } as Plural,
    applyTo: 'Aanvragen: {name}',
    round: 'Ronde: {name}',
  },
  channel: {
    linkWhich: {
      one: 'Er loopt 1 ronde: {ids}. Typ de ronde erbij, bijvoorbeeld "koppel beoordeling {id}".',
      other: 'Er lopen {n} rondes: {ids}. Typ de ronde erbij, bijvoorbeeld "koppel beoordeling {id}" of "koppel beoordeling {id} <wijk>".',
    } as Plural,
    panelWhich: {
      one: 'Typ de ronde erbij, bijvoorbeeld "panel {id}".',
      other: 'Dit kanaal hoort niet bij precies 1 ronde, en er lopen {n} rondes: {ids}. Typ de ronde erbij, bijvoorbeeld "panel {id}".',
    } as Plural,
    notFound: 'Ronde {id} is er niet. Er is niets veranderd.',
  },
};

const en: typeof nl = {
  start: {
    title: 'Start a new round',
    intro:
      'Start another round, for example a second scheme or an autumn call. Each round has its own budget, criteria, panel, channel and its own reference numbers.',
    prefixHelp:
      'The prefix starts every reference number, for example LBN gives LBN-2026-007. Use letters only (at most 6). It must not be in use that year yet.',
    name: 'Name of the round (required)',
    prefix: 'Prefix of the reference numbers (required)',
    year: 'Year (required)',
    copyFrom: 'Copy the settings of',
    copyHelp: 'Budget, dates, wijken, quorum and channels are copied. You can change them afterwards. The criteria start from the default.',
    submit: 'Start round',
    back: 'Back to the round',
    created: 'Round {id} ({name}) has been created as a draft. Adjust what is needed and press Save. Open the round when everything is right.',
    again: 'This round was already started with this card. Nothing was made twice.',
    sourceGone: 'The round to copy from was not found. Choose another one.',
    errors: {
      required: 'Fill this in.',
      tooLong: 'This is too long.',
      controlCharacters: 'Use plain text on one line.',
      prefixLetters: 'Use letters only, at most 6 (for example LBN).',
      prefixTaken: 'This prefix already has a round that year. Choose another prefix.',
      year: 'Fill in a year, for example 2026.',
    },
    fixBelow: 'Nothing was created. Correct what is shown below.',
  },
  choose: {
    title: 'Which round?',
    intro: {
      one: '1 round is running. Choose the round.',
      other: '{n} rounds are running. Choose the round you mean.',
    },
    tip: 'Tip: name the round, for example "{command} {id}".',
    line: '{id} · {status}',
    button: 'Choose {name}',
  },
  notFoundTitle: 'Round not found',
  notFound: 'That round does not exist. Type "round" to see the rounds there are.',
  partner: {
    chooseIntro: {
      one: 'You can apply to 1 round now.',
      other: 'You can apply to {n} rounds now. Choose the round that fits your plan.',
    },
    applyTo: 'Apply: {name}',
    round: 'Round: {name}',
  },
  channel: {
    linkWhich: {
      one: '1 round is running: {ids}. Add the round, for example "link review {id}".',
      other: '{n} rounds are running: {ids}. Add the round, for example "link review {id}" or "link review {id} <wijk>".',
    },
    panelWhich: {
      one: 'Add the round, for example "panel {id}".',
      other: 'This channel does not belong to exactly 1 round, and {n} rounds are running: {ids}. Add the round, for example "panel {id}".',
    },
    notFound: 'Round {id} does not exist. Nothing was changed.',
  },
};

export type RoundMessages = typeof nl;

export function roundMessages(lang: Lang): RoundMessages {
  return lang === 'en' ? en : nl;
}
