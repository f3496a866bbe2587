import { fill, plural, type Lang, type Plural } from './index';

/** Texts of inzage (`mijn gegevens`), the deletion request and its decision. Same shape in both languages. */
const nl = {
  myData: {
    title: 'Uw gegevens',
    intro: 'Hier kunt u alles downloaden wat de bot over u bewaart: uw aanvragen, beoordelingen, reacties, berichten en het logboek van wat u deed.',
    counts: 'Nu bewaard: {applications}, {sheets}, {messages}, {audit}.',
    applications: { one: '{n} aanvraag', other: '{n} aanvragen' } as Plural,
    sheets: { one: '{n} beoordeling', other: '{n} beoordelingen' } as Plural,
    messages: { one: '{n} bericht', other: '{n} berichten' } as Plural,
    audit: { one: '{n} regel in het logboek', other: '{n} regels in het logboek' } as Plural,
    readable: 'Downloaden (leesbaar)',
    json: 'Downloaden (JSON)',
    linkValid: 'De links werken tot {date}. Alleen voor u: deel ze niet.',
    refresh: 'Nieuwe links',
    delete: 'Verwijder mijn gegevens',
  },
  file: {
    title: 'Uw gegevens in Leerbudget',
    generated: 'Gemaakt op {date}. Dit zijn alle gegevens die de bot over u bewaart. Gegevens van andere mensen staan er niet in.',
    none: 'Niets bewaard.',
    other: 'iemand anders',
    system: 'de bot',
    self: 'u',
    nameRemoved: '[naam verwijderd]',
    yes: 'ja',
    no: 'nee',
    sections: {
      contact: 'Contactgegevens',
      application: 'Aanvragen en resultaten',
      review: 'Beoordelingen',
      consultation: 'Reacties op de criteria',
      people: 'Teams-gegevens en rollen',
      organisations: 'Organisaties die u toevoegde',
      audit: 'Logboek van handelingen',
      messages: 'Berichten aan u',
      requests: 'Uw verzoeken',
      attachments: 'Uw bijlagen',
    },
  },
  delete: {
    confirmTitle: 'Uw gegevens verwijderen?',
    confirmIntro:
      'U kunt vragen om uw gegevens te verwijderen. De accounthouder van de gemeente beslist. Sommige gegevens moet de gemeente bewaren voor het subsidiedossier.',
    removedTitle: 'Wat verwijderd wordt',
    removedDoneTitle: 'Wat verwijderd is',
    keptTitle: 'Wat bewaard blijft',
    confirm: 'Ja, vraag verwijdering aan',
    cancel: 'Nee, terug',
    sentTitle: 'Uw verzoek is verstuurd',
    sent: 'De accounthouder krijgt uw verzoek van {date}. U krijgt het besluit in deze chat.',
    openTitle: 'Uw verzoek loopt al',
    open: 'U vroeg op {date} om verwijdering. De accounthouder beslist nog. U krijgt het besluit in deze chat.',
    approvedTitle: 'Uw gegevens zijn verwijderd',
    refusedTitle: 'Uw verzoek is afgewezen',
    refused: 'De accounthouder wees uw verzoek af. De reden: {reason}',
    approved: 'De accounthouder keurde uw verzoek goed op {date}.',
    removedLine: 'Verwijderd: {what}.',
    keptLine: 'Bewaard voor het subsidiedossier: {what}.',
    nothingRemoved: 'Er was niets meer om te verwijderen.',
  },
  decide: {
    title: 'Verzoek om verwijdering',
    who: '{name} vroeg op {date} om verwijdering van de eigen gegevens.',
    unknown: 'Iemand (onbekende naam)',
    stored: 'Bewaard over deze persoon: {what}.',
    reason: 'Reden bij afwijzen (de persoon krijgt deze te lezen)',
    reasonRequired: 'Schrijf waarom u het verzoek afwijst.',
    approve: 'Goedkeuren en verwijderen',
    refuse: 'Afwijzen',
    decidedTitle: 'Dit verzoek is al besloten',
    decided: '{state} door {name} op {date}.',
    approvedState: 'Goedgekeurd',
    refusedState: 'Afgewezen',
    doneApproved: 'Goedgekeurd. Verwijderd: {what}. De persoon krijgt bericht.',
    doneRefused: 'Afgewezen. De persoon krijgt bericht met uw reden.',
    notAvailableTitle: 'Verwijderen kan nog niet',
    notAvailable: 'De bot kan gegevens nog niet verwijderen. Het verzoek blijft open.',
    listTitle: 'Open verzoeken om verwijdering',
    listNone: 'Er zijn geen open verzoeken.',
    listCount: { one: '{n} open verzoek', other: '{n} open verzoeken' } as Plural,
    open: 'Bekijk {n}: {name}',
    forbiddenTitle: 'Alleen voor de accounthouder',
    forbidden: 'Over verzoeken om verwijdering beslist de Wmo-accounthouder van de gemeente.',
    notFoundTitle: 'Verzoek niet gevonden',
    notFound: 'Dit verzoek bestaat niet (meer).',
  },
};

export type PrivacyMessages = typeof nl;

const en: PrivacyMessages = {
  myData: {
    title: 'Your data',
    intro: 'Here you can download everything the bot keeps about you: your applications, reviews, responses, messages and the record of what you did.',
    counts: 'Kept now: {applications}, {sheets}, {messages}, {audit}.',
    applications: { one: '{n} application', other: '{n} applications' },
    sheets: { one: '{n} review', other: '{n} reviews' },
    messages: { one: '{n} message', other: '{n} messages' },
    audit: { one: '{n} line in the record', other: '{n} lines in the record' },
    readable: 'Download (readable)',
    json: 'Download (JSON)',
    linkValid: 'The links work until {date}. Only for you: do not share them.',
    refresh: 'New links',
    delete: 'Delete my data',
  },
  file: {
    title: 'Your data in Leerbudget',
    generated: 'Made on {date}. This is all the data the bot keeps about you. Other people’s data is not in it.',
    none: 'Nothing kept.',
    other: 'someone else',
    system: 'the bot',
    self: 'you',
    nameRemoved: '[name removed]',
    yes: 'yes',
    no: 'no',
    sections: {
      contact: 'Contact details',
      application: 'Applications and results',
      review: 'Reviews',
      consultation: 'Responses on the criteria',
      people: 'Teams details and roles',
      organisations: 'Organisations you added',
      audit: 'Record of actions',
      messages: 'Messages to you',
      requests: 'Your requests',
      attachments: 'Your attachments',
    },
  },
  delete: {
    confirmTitle: 'Delete your data?',
    confirmIntro:
      'You can ask for your data to be deleted. The municipality’s account holder decides. Some data the municipality must keep for the subsidy file.',
    removedTitle: 'What will be removed',
    removedDoneTitle: 'What was removed',
    keptTitle: 'What is kept',
    confirm: 'Yes, ask for deletion',
    cancel: 'No, back',
    sentTitle: 'Your request has been sent',
    sent: 'The account holder gets your request of {date}. You will get the decision in this chat.',
    openTitle: 'Your request is already in',
    open: 'You asked for deletion on {date}. The account holder has not decided yet. You will get the decision in this chat.',
    approvedTitle: 'Your data has been deleted',
    refusedTitle: 'Your request was refused',
    refused: 'The account holder refused your request. The reason: {reason}',
    approved: 'The account holder approved your request on {date}.',
    removedLine: 'Removed: {what}.',
    keptLine: 'Kept for the subsidy file: {what}.',
    nothingRemoved: 'There was nothing left to remove.',
  },
  decide: {
    title: 'Request for deletion',
    who: '{name} asked on {date} for their own data to be deleted.',
    unknown: 'Someone (name unknown)',
    stored: 'Kept about this person: {what}.',
    reason: 'Reason when refusing (the person will read it)',
    reasonRequired: 'Write why you refuse the request.',
    approve: 'Approve and delete',
    refuse: 'Refuse',
    decidedTitle: 'This request has been decided',
    decided: '{state} by {name} on {date}.',
    approvedState: 'Approved',
    refusedState: 'Refused',
    doneApproved: 'Approved. Removed: {what}. The person will be told.',
    doneRefused: 'Refused. The person will be told, with your reason.',
    notAvailableTitle: 'Deleting is not possible yet',
    notAvailable: 'The bot cannot delete data yet. The request stays open.',
    listTitle: 'Open requests for deletion',
    listNone: 'There are no open requests.',
    listCount: { one: '{n} open request', other: '{n} open requests' },
    open: 'View {n}: {name}',
    forbiddenTitle: 'For the account holder only',
    forbidden: 'The municipality’s Wmo account holder decides on requests for deletion.',
    notFoundTitle: 'Request not found',
    notFound: 'This request does not exist (any more).',
  },
};

export function privacyMessages(lang: Lang): PrivacyMessages {
  return lang === 'en' ? en : nl;
}

/** An application's removed fields in two words: contact details (name, e-mail, phone) and texts (everything typed). */
const CONTACT_FIELDS = new Set(['contactName', 'contactEmail', 'contactPhone']);

const KEPT_WORDS: Record<Lang, Record<string, string>> = {
  nl: {
    amounts: 'bedragen',
    wijk: 'wijk',
    organisation: 'organisatie',
    scores: 'scores',
    dates: 'datums',
    status: 'status',
    title: 'titel van een toegekende aanvraag',
    reference: 'kenmerk',
  },
  en: {
    amounts: 'amounts',
    wijk: 'neighbourhood',
    organisation: 'organisation',
    scores: 'scores',
    dates: 'dates',
    status: 'status',
    title: 'title of an awarded application',
    reference: 'reference',
  },
};

const COUNTS = {
  nl: {
    applications: { one: '{n} aanvraag: {what}', other: '{n} aanvragen: {what}' },
    contact: 'contactgegevens',
    texts: 'teksten',
    results: 'teksten van het resultatenverslag',
    comments: { one: '{n} toelichting van een panellid', other: '{n} toelichtingen van panelleden' },
    overall: { one: '{n} eindoordeel van een panellid', other: '{n} eindoordelen van panelleden' },
    notes: { one: '{n} toelichting bij een belang', other: '{n} toelichtingen bij een belang' },
    questions: { one: '{n} vraag van het panel', other: '{n} vragen van het panel' },
    answers: { one: '{n} antwoord op een vraag', other: '{n} antwoorden op vragen' },
    files: { one: '{n} bijlage', other: '{n} bijlagen' },
    markRemarks: { one: '{n} opmerking bij eens of oneens', other: '{n} opmerkingen bij eens of oneens' },
    consultationTexts: { one: '{n} tekst uit een raadpleging', other: '{n} teksten uit raadplegingen' },
    names: { one: 'de naam op {n} plek (nu een schuilnaam)', other: 'de naam op {n} plekken (nu een schuilnaam)' },
    addresses: { one: '{n} chatadres', other: '{n} chatadressen' },
    addressesLater: 'het chatadres (zodra het laatste bericht is verstuurd)',
    audit: {
      person: {
        one: 'uw Microsoft-id, ook in {n} regel van het logboek (nu een schuilnaam)',
        other: 'uw Microsoft-id, ook in {n} regels van het logboek (nu een schuilnaam)',
      },
      accounthouder: {
        one: 'de Microsoft-id van de persoon, ook in {n} regel van het logboek (nu een schuilnaam)',
        other: 'de Microsoft-id van de persoon, ook in {n} regels van het logboek (nu een schuilnaam)',
      },
    },
    id: { person: 'uw Microsoft-id (nu een schuilnaam)', accounthouder: 'de Microsoft-id van de persoon (nu een schuilnaam)' },
  },
  en: {
    applications: { one: '{n} application: {what}', other: '{n} applications: {what}' },
    contact: 'contact details',
    texts: 'texts',
    results: 'texts of the results report',
    comments: { one: '{n} comment by a panel member', other: '{n} comments by panel members' },
    overall: { one: '{n} overall remark by a panel member', other: '{n} overall remarks by panel members' },
    notes: { one: '{n} note on an interest', other: '{n} notes on an interest' },
    files: { one: '{n} attached file', other: '{n} attached files' },
    markRemarks: { one: '{n} remark with an agree or disagree', other: '{n} remarks with an agree or disagree' },
    consultationTexts: { one: '{n} text from a consultation', other: '{n} texts from consultations' },
    names: { one: 'the name in {n} place (now a pseudonym)', other: 'the name in {n} places (now a pseudonym)' },
    addresses: { one: '{n} chat address', other: '{n} chat addresses' },
    addressesLater: 'the chat address (once the last message has been sent)',
    questions: { one: '{n} question from the panel', other: '{n} questions from the panel' },
    answers: { one: '{n} answer to a question', other: '{n} answers to questions' },
    audit: {
      person: {
        one: 'your Microsoft id, also in {n} line of the record (now a pseudonym)',
        other: 'your Microsoft id, also in {n} lines of the record (now a pseudonym)',
      },
      accounthouder: {
        one: 'the person’s Microsoft id, also in {n} line of the record (now a pseudonym)',
        other: 'the person’s Microsoft id, also in {n} lines of the record (now a pseudonym)',
      },
    },
    id: { person: 'your Microsoft id (now a pseudonym)', accounthouder: 'the person’s Microsoft id (now a pseudonym)' },
  },
};

const list = (lang: Lang, items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${lang === 'nl' ? 'en' : 'and'} ${items[items.length - 1]}`;

/**
 * What is (or was) removed, as one phrase computed from the counts ("1 aanvraag: contactgegevens
 * en teksten, 3 toelichtingen van panelleden en …"); empty when nothing. `voice` is who reads it:
 * the person ("uw") or the accounthouder ("de persoon"). `auditRecords` only once it was done.
 */
export function removedPhrase(
  lang: Lang,
  r: {
    applicationFields: readonly string[];
    resultsFields: readonly string[];
    comments: number;
    overallRemarks: number;
    recusalNotes: number;
    questions: number;
    answers: number;
    applicantPseudonymised: boolean;
    files?: number;
    markRemarks?: number;
    consultationTexts?: number;
    namesReplaced?: number;
    addresses?: number;
    addressesLater?: boolean;
  },
  applications: number,
  options: { voice?: 'person' | 'accounthouder'; auditRecords?: number } = {},
): string {
  const c = COUNTS[lang];
  const voice = options.voice ?? 'person';
  const parts: string[] = [];
  const kinds = [
    ...(r.applicationFields.some((f) => CONTACT_FIELDS.has(f)) ? [c.contact] : []),
    ...(r.applicationFields.some((f) => !CONTACT_FIELDS.has(f)) ? [c.texts] : []),
  ];
  if (applications && kinds.length) parts.push(fill(plural(lang, applications, c.applications), { what: list(lang, kinds) }));
  if (r.resultsFields.length) parts.push(c.results);
  if (r.comments) parts.push(plural(lang, r.comments, c.comments));
  if (r.overallRemarks) parts.push(plural(lang, r.overallRemarks, c.overall));
  if (r.recusalNotes) parts.push(plural(lang, r.recusalNotes, c.notes));
  if (r.questions) parts.push(plural(lang, r.questions, c.questions));
  if (r.answers) parts.push(plural(lang, r.answers, c.answers));
  if (r.files) parts.push(plural(lang, r.files, c.files));
  if (r.markRemarks) parts.push(plural(lang, r.markRemarks, c.markRemarks));
  if (r.consultationTexts) parts.push(plural(lang, r.consultationTexts, c.consultationTexts));
  if (r.namesReplaced) parts.push(plural(lang, r.namesReplaced, c.names));
  if (r.addresses) parts.push(plural(lang, r.addresses, c.addresses));
  else if (r.addressesLater) parts.push(c.addressesLater);
  if (options.auditRecords) parts.push(plural(lang, options.auditRecords, c.audit[voice]));
  else if (r.applicantPseudonymised || parts.length) parts.push(c.id[voice]);
  return list(lang, parts);
}

/** What is kept (for the subsidy file, the council report, the Woo list), as one phrase. */
export function keptPhrase(lang: Lang, kept: readonly { what: string }[]): string {
  return list(
    lang,
    kept.map((k) => KEPT_WORDS[lang][k.what] ?? k.what),
  );
}
