import type { Lang } from './index';

/**
 * Texts for a round's own form questions (the application form as data). Dutch in plain B1; `en`
 * has the same shape. Placeholders: {min} / {max} (a number or amount), {name} (a document).
 */
const nl = {
  errors: {
    number: 'Vul een getal in.',
    belowMin: 'Dit is minder dan {min}.',
    aboveMax: 'Dit is meer dan {max}.',
    unknownChoice: 'Kies uit de lijst.',
    unsupported: 'Deze vraag kan hier nog niet worden ingevuld. Laat hem leeg.',
  },
  /** Under a file question on its step: it is answered by sending the file in the chat. */
  fileHint: 'Stuur dit document als bestand in deze chat. Zet "{word}" in de bestandsnaam.',
  /** A budget-lines question where this build has no input for it. */
  budgetLinesHint: 'Deze vraag kan nog niet in Teams worden ingevuld.',
  /** The summary's line for a file question. */
  fileAttached: 'Bijgevoegd: {name}',
  fileMissing: 'Nog niet bijgevoegd',
  /** Submission refused while a required document is missing. */
  missingDocuments: 'Je aanvraag is niet ingediend. Dit document ontbreekt nog: {names}. Stuur het als bestand in deze chat en dien daarna opnieuw in.',
  yes: 'ja',
  /** A card that shows the answers shortened so that it fits in Teams. */
  shortened: 'Lange antwoorden zijn hier ingekort, zodat alles in Teams past. De volledige tekst is bewaard.',
};

export type FormMessages = typeof nl;

const en: FormMessages = {
  errors: {
    number: 'Please enter a number.',
    belowMin: 'This is less than {min}.',
    aboveMax: 'This is more than {max}.',
    unknownChoice: 'Please choose from the list.',
    unsupported: 'This question cannot be answered here yet. Please leave it empty.',
  },
  fileHint: 'Send this document as a file in this chat. Put "{word}" in the file name.',
  budgetLinesHint: 'This question cannot be answered in Teams yet.',
  fileAttached: 'Attached: {name}',
  fileMissing: 'Not attached yet',
  missingDocuments: 'Your application was not submitted. This document is still missing: {names}. Send it as a file in this chat, then submit again.',
  yes: 'yes',
  shortened: 'Long answers are shortened here so that everything fits in Teams. The full text is kept.',
};

export function formMessages(lang: Lang): FormMessages {
  return lang === 'en' ? en : nl;
}
