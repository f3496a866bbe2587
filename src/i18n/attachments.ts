import type { AttachmentKind } from '../domain/attachments';
import type { Lang, Plural } from './index';

/**
 * Texts about attachments (files sent in the chat). Dutch in plain B1; `en` has the same shape.
 * Placeholders: {name} (the file), {title} (the application), {max} / {left} (a size).
 */
const nl = {
  title: 'Bijlagen',
  count: { one: '1 bijlage', other: '{n} bijlagen' } as Plural,
  none: 'Nog geen bijlagen.',
  onReadCard: 'Bijlagen: {count}. Open ze met "Lees de hele aanvraag".',
  hint: 'Een bijlage toevoegen, zoals je begroting of plan? Stuur het bestand in deze chat. Vervangen? Verwijder het oude bestand en stuur het nieuwe.',
  forApplication: 'Aanvraag: {title}',
  untitled: 'zonder titel',
  received: 'Ontvangen: {name}. Het bestand hoort nu bij je aanvraag "{title}".',
  duplicate: 'Dit bestand zit al bij je aanvraag "{title}" (als {name}). Het is niet nog een keer bewaard.',
  wrongType:
    '{name} is niet bewaard: dit soort bestand kan niet. Stuur een PDF, een Word- of Excel-bestand (.docx, .xlsx), een OpenDocument-bestand (.odt, .ods) of een afbeelding (PNG, JPEG).',
  empty: '{name} is niet bewaard: het bestand is leeg.',
  tooLarge: '{name} is niet bewaard: het bestand is groter dan {max}. Maak het kleiner en stuur het opnieuw.',
  totalExceeded: '{name} is niet bewaard: alle bijlagen samen mogen niet groter zijn dan {max}. Er is nog {left} ruimte.',
  tooMany: {
    one: '{name} is niet bewaard: bij een aanvraag kan maar 1 bijlage.',
    other: '{name} is niet bewaard: bij een aanvraag kunnen maximaal {n} bijlagen.',
  } as Plural,
  noDraft:
    'Je hebt geen aanvraag open die je nog kunt aanvullen. Een bestand hoort bij een aanvraag die nog niet is ingediend, of die je moet aanvullen. Begin een nieuwe aanvraag en stuur het bestand daarna opnieuw.',
  notDraft: 'Je aanvraag "{title}" is al ingediend. Een ingediende aanvraag kan niet meer veranderen. {name} is niet bewaard.',
  downloadFailed: '{name} kon niet worden opgehaald uit Teams. Er is niets bewaard. Probeer het opnieuw.',
  refusedHost:
    '{name} is niet bewaard: de bot haalt bestanden alleen op uit Teams zelf (SharePoint of OneDrive). Stuur het bestand als bijlage in deze chat, niet als link naar een andere website.',
  unavailable: 'Bestanden ontvangen kan nu niet. Er is niets bewaard. Probeer het later opnieuw.',
  busy: 'Het lukte nu niet om {name} te bewaren. Er is niets bewaard. Probeer het opnieuw.',
  severalDrafts: {
    one: '',
    other: 'Je hebt {n} open aanvragen. Het bestand hoort bij de aanvraag waaraan je het laatst werkte: "{title}".',
  } as Plural,
  open: 'Open bijlage {n}',
  remove: 'Verwijder bijlage {n}',
  removed: '{name} is verwijderd.',
  alreadyRemoved: 'Dit bestand was al verwijderd.',
  resume: 'Verder met de aanvraag',
  line: '{n}. {name}',
  facts: '{document} · {kind} · {size}',
  kinds: {
    pdf: 'PDF',
    docx: 'Word',
    xlsx: 'Excel',
    odt: 'OpenDocument-tekst',
    ods: 'OpenDocument-rekenblad',
    png: 'PNG-afbeelding',
    jpeg: 'JPEG-afbeelding',
  } as Record<AttachmentKind, string>,
  documents: { begroting: 'Begroting', plan: 'Plan', other: 'Bijlage' } as Record<string, string>,
  bytes: { kb: '{n} kB', mb: '{n} MB' },
};

export type AttachmentMessages = typeof nl;

const en: AttachmentMessages = {
  title: 'Attachments',
  count: { one: '1 attachment', other: '{n} attachments' },
  none: 'No attachments yet.',
  onReadCard: 'Attachments: {count}. Open them with "Read the whole application".',
  hint: 'Want to add an attachment, such as your budget or plan? Send the file in this chat. To replace one, remove the old file and send the new one.',
  forApplication: 'Application: {title}',
  untitled: 'untitled',
  received: 'Received: {name}. The file is now part of your application "{title}".',
  duplicate: 'This file is already part of your application "{title}" (as {name}). It was not stored again.',
  wrongType:
    '{name} was not stored: this kind of file is not accepted. Send a PDF, a Word or Excel file (.docx, .xlsx), an OpenDocument file (.odt, .ods) or an image (PNG, JPEG).',
  empty: '{name} was not stored: the file is empty.',
  tooLarge: '{name} was not stored: the file is larger than {max}. Make it smaller and send it again.',
  totalExceeded: '{name} was not stored: all attachments together may not be larger than {max}. There is {left} left.',
  tooMany: {
    one: '{name} was not stored: an application can have only 1 attachment.',
    other: '{name} was not stored: an application can have at most {n} attachments.',
  },
  noDraft:
    'You have no application open that you can still add to. A file belongs to an application that has not been submitted, or that you were asked to add to. Start a new application and send the file again.',
  notDraft: 'Your application "{title}" has been submitted. A submitted application cannot change. {name} was not stored.',
  downloadFailed: '{name} could not be fetched from Teams. Nothing was stored. Please try again.',
  refusedHost:
    '{name} was not stored: the bot only fetches files from Teams itself (SharePoint or OneDrive). Send the file as an attachment in this chat, not as a link to another website.',
  unavailable: 'Files cannot be received right now. Nothing was stored. Please try again later.',
  busy: '{name} could not be stored just now. Nothing was stored. Please try again.',
  severalDrafts: {
    one: '',
    other: 'You have {n} open applications. The file belongs to the one you worked on last: "{title}".',
  },
  open: 'Open attachment {n}',
  remove: 'Remove attachment {n}',
  removed: '{name} has been removed.',
  alreadyRemoved: 'This file had already been removed.',
  resume: 'Continue with the application',
  line: '{n}. {name}',
  facts: '{document} · {kind} · {size}',
  kinds: {
    pdf: 'PDF',
    docx: 'Word',
    xlsx: 'Excel',
    odt: 'OpenDocument text',
    ods: 'OpenDocument spreadsheet',
    png: 'PNG image',
    jpeg: 'JPEG image',
  },
  documents: { begroting: 'Budget', plan: 'Plan', other: 'Attachment' },
  bytes: { kb: '{n} kB', mb: '{n} MB' },
};

export function attachmentMessages(lang: Lang): AttachmentMessages {
  return lang === 'en' ? en : nl;
}
