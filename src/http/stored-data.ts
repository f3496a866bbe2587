import {
  APPLICATION_FIELDS_CLASS,
  APPLICATION_ROW_CLASS,
  BUDGET_LINE_CLASS,
  DataCategory,
  DEFAULT_RETENTION,
  FieldClass,
  FIXED_TERMS,
  KeptReason,
  QUESTION_CLASS,
  RECUSAL_CLASS,
  RESULTS_CLASS,
  SHEET_CLASS,
} from '../domain/retention';
import { RECORD_CLASSES, RecordTerm } from '../domain/retention-records';
import { plural } from '../i18n';

/**
 * What Leerbudget stores about people, for the /privacy page and the processing register
 * (/verwerkingsregister): one entry per kind of data, with why, who sees it, its category, whose
 * data it is, the legal ground, the recipients and how long it is kept. The pages are computed from
 * this list (and the tests check the pages against it), so a change to what the bot stores is made
 * here once. The terms are computed from the retention defaults (`domain/retention.ts`): a round
 * may set its own on the round settings card.
 */
export type PageLang = 'nl' | 'en';
type Text = Record<PageLang, string>;

export interface StoredData {
  id: string;
  /** The kind of data, as a heading. */
  title: Text;
  /** What exactly, and about whom. */
  what: Text;
  why: Text;
  /** Who can see it in Teams, and where it goes beyond Teams. */
  seenBy: Text;
  kept: Text;
  /** For the processing register: categories of data, of people, the legal ground, the recipients. */
  register: { categories: Text; people: Text; ground: Text; recipients: Text };
}

const months = (n: number): Text => ({
  nl: plural('nl', n, { one: '{n} maand', other: '{n} maanden' }),
  en: plural('en', n, { one: '{n} month', other: '{n} months' }),
});
const years = (n: number): Text => ({
  nl: plural('nl', n, { one: '{n} jaar', other: '{n} jaar' }),
  en: plural('en', n, { one: '{n} year', other: '{n} years' }),
});
const days = (n: number): Text => ({ nl: plural('nl', n, { one: '{n} dag', other: '{n} dagen' }), en: plural('en', n, { one: '{n} day', other: '{n} days' }) });
const D = DEFAULT_RETENTION;
const F = FIXED_TERMS;

/** The application terms, as the register and the privacy page say them. */
const APPLICATION_TERM: Text = {
  nl: `Niet toegekende en ingetrokken aanvragen: ${months(D.notAwardedMonths).nl} na het besluit over de ronde. Concepten die nooit zijn ingediend: ${months(D.draftMonths).nl} na de indiendeadline. Toegekende aanvragen: ${years(D.awardedYears).nl} na de deadline van de eindejaarsrapportage aan de raad (de bewaartermijn voor subsidiedossiers; de functionaris gegevensbescherming bevestigt die). Daarna verwijdert de bot namen, e-mail, telefoon en alle getypte teksten; bedragen, wijk, organisatie, scores, datums en status blijven, zodat de raadsrapportages en de Woo-lijst dezelfde cijfers houden. De accounthouder stelt de termijnen per ronde in.`,
  en: `Applications not awarded and withdrawn ones: ${months(D.notAwardedMonths).en} after the round's decision. Drafts never submitted: ${months(D.draftMonths).en} after the submission deadline. Awarded applications: ${years(D.awardedYears).en} after the deadline of the year-end council report (the term for subsidy files; to be confirmed by the data protection officer). Then the bot removes names, e-mail, phone and every typed text; amounts, wijk, organisation, scores, dates and status stay, so the council reports and the Woo list keep the same numbers. The account holder sets the terms per round.`,
};
const PEOPLE_TERM: Text = {
  nl: `tot ${months(F.peopleMonths).nl} na de deadline van de eindejaarsrapportage van de ronde; daarna staat in het logboek van die ronde een vaste schuilnaam in plaats van uw id.`,
  en: `until ${months(F.peopleMonths).en} after the round's year-end report deadline; then the round's record shows a fixed pseudonym instead of your id.`,
};

const GROUND_TASK: Text = {
  nl: 'Algemeen belang / openbaar gezag (AVG art. 6 lid 1 onder e): de subsidietaak van de gemeente en de motie van 6 mei 2025.',
  en: 'Public task (GDPR art. 6(1)(e)): the municipality’s grant task and the council motion of 6 May 2025.',
};
const GROUND_DUTY: Text = {
  nl: 'Wettelijke plicht (AVG art. 6 lid 1 onder c): verantwoording aan de raad, archief- en subsidieregels.',
  en: 'Legal obligation (GDPR art. 6(1)(c)): accounting to the council, archive and grant rules.',
};
const MICROSOFT: Text = { nl: 'Microsoft (Azure, Teams) als verwerker.', en: 'Microsoft (Azure, Teams) as processor.' };

export const STORED_DATA: readonly StoredData[] = [
  {
    id: 'contact',
    title: { nl: 'Contactgegevens van aanvragers', en: 'Contact details of applicants' },
    what: {
      nl: 'Naam, e-mailadres en telefoonnummer van de contactpersoon die u bij een aanvraag invult.',
      en: 'Name, e-mail address and phone number of the contact person you enter on an application.',
    },
    why: {
      nl: 'Zodat de gemeente u kan bereiken over uw aanvraag, het besluit en de verantwoording.',
      en: 'So the municipality can reach you about your application, the decision and the report on results.',
    },
    seenBy: {
      nl: 'In Teams alleen u zelf, in uw chat met de bot: niet het panel en niet de accounthouders. Ze staan niet in de raadsrapportages en niet in de Woo-lijst. Beheerders van de gemeente kunnen ze in de opslag lezen.',
      en: 'In Teams only you, in your chat with the bot: not the panel and not the account holders. They are not in the council reports or the Woo list. Administrators of the municipality can read them in storage.',
    },
    kept: APPLICATION_TERM,
    register: {
      categories: { nl: 'Identificerend: naam, e-mail, telefoon.', en: 'Identifying: name, e-mail, phone.' },
      people: { nl: 'Contactpersonen van aanvragende organisaties.', en: 'Contact people of applying organisations.' },
      ground: GROUND_TASK,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'application',
    title: { nl: 'Aanvragen en resultaten', en: 'Applications and results' },
    what: {
      nl: 'Wat u invult: organisatie en mede-aanvragers, wijk, titel, vraag, aanpak, ervaringskennis, ambities, bedrag en begroting, periode, verwachte resultaten en onderbouwing; uw antwoorden op de toetsvragen; later het verslag van effect en resultaten en het bestede bedrag.',
      en: 'What you enter: organisation and co-applicants, neighbourhood (wijk), title, question, approach, lived experience, ambitions, amount and budget, period, expected results and evidence; your answers to the eligibility questions; later the report on effect and results and the amount spent.',
    },
    why: {
      nl: 'Om de aanvraag te beoordelen, het budget te verdelen en de gemeenteraad te vertellen hoe het geld is besteed (motie van 6 mei 2025).',
      en: 'To review the application, allocate the budget and tell the municipal council how the money was spent (council motion of 6 May 2025).',
    },
    seenBy: {
      nl: 'U, de accounthouders en het beoordelingspanel in het beoordelingskanaal. In de raadsrapportages staan organisatie, wijk, bedragen en scores. De Woo-lijst bevat geen teksten die u typte.',
      en: 'You, the account holders and the review panel in the review channel. The council reports show organisation, wijk, amounts and scores. The Woo list holds no text you typed.',
    },
    kept: APPLICATION_TERM,
    register: {
      categories: {
        nl: 'Vrije tekst (kan gegevens over jeugd en zorg bevatten), organisatie, feiten (bedragen, wijk, datums).',
        en: 'Free text (may hold data on youth and care), organisation, facts (amounts, wijk, dates).',
      },
      people: { nl: 'Aanvragers; wie in hun teksten genoemd wordt.', en: 'Applicants; whoever their texts mention.' },
      ground: GROUND_TASK,
      recipients: {
        nl: `De gemeenteraad (rapportages, zonder namen), het publiek via de Woo-lijst (zonder teksten). ${MICROSOFT.nl}`,
        en: `The council (reports, without names), the public through the Woo list (without texts). ${MICROSOFT.en}`,
      },
    },
  },
  {
    id: 'review',
    title: { nl: 'Beoordelingen', en: 'Reviews' },
    what: {
      nl: 'Scores, toelichtingen en eindoordelen van panelleden, gemelde belangenverstrengeling met de reden, vragen aan aanvragers met hun antwoorden, en eens of oneens over het verdeelvoorstel.',
      en: 'Scores, comments and overall remarks of panel members, declared conflicts of interest with their reason, questions to applicants and their answers, and agree or disagree on the allocation proposal.',
    },
    why: {
      nl: 'Zodat de beoordeling eerlijk en onafhankelijk verloopt en achteraf te controleren is.',
      en: 'So the review is fair and independent and can be checked afterwards.',
    },
    seenBy: {
      nl: 'Het beoordelingspanel (een panellid ziet de scores van anderen pas als het zelf heeft gescoord) en de accounthouders. Een vraag en het antwoord ziet ook de aanvrager. De raadsrapportage toont uitkomsten, geen namen bij scores.',
      en: 'The review panel (a member sees the others’ scores only after scoring themselves) and the account holders. The applicant sees a question and its answer too. The council report shows results, no names next to scores.',
    },
    kept: {
      nl: `Toelichtingen, eindoordelen, redenen, vragen en antwoorden: zolang de aanvraag waar ze bij horen. ${APPLICATION_TERM.nl} Scores blijven, met het id van het panellid, zolang de ronde bestaat.`,
      en: `Comments, overall remarks, reasons, questions and answers: as long as the application they belong to. ${APPLICATION_TERM.en} Scores stay, with the panel member's id, as long as the round exists.`,
    },
    register: {
      categories: { nl: 'Scores (feiten), vrije tekst van panelleden, Teams-id’s.', en: 'Scores (facts), free text of panel members, Teams ids.' },
      people: { nl: 'Panelleden; aanvragers (vragen en antwoorden).', en: 'Panel members; applicants (questions and answers).' },
      ground: GROUND_TASK,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'consultation',
    title: { nl: 'Reacties op de criteria', en: 'Responses on the criteria' },
    what: {
      nl: 'Uw reactie per criterium, nieuwe criteria die u voorstelt met de reden, en het antwoord van de accounthouder.',
      en: 'Your response per criterion, new criteria you propose with your reason, and the account holder’s reply.',
    },
    why: {
      nl: 'De criteria worden samen met partners en ervaringsdeskundigen opgesteld, zoals de raad vroeg.',
      en: 'The criteria are drafted together with partners and lived-experience experts, as the council asked.',
    },
    seenBy: { nl: 'De accounthouders.', en: 'The account holders.' },
    kept: {
      nl: `Tot ${months(F.consultationMonths).nl} na het vaststellen van de criteria; dan verwijdert de bot de teksten van de reacties en de namen van wie is uitgenodigd. Wat u steunde of wilde veranderen blijft als telling. Uw id in het logboek: ${PEOPLE_TERM.nl}`,
      en: `Until ${months(F.consultationMonths).en} after the criteria were published; then the bot removes the responses' texts and the names of those invited. What you endorsed or wanted changed stays as a count. Your id in the record: ${PEOPLE_TERM.en}`,
    },
    register: {
      categories: { nl: 'Vrije tekst, Teams-id’s.', en: 'Free text, Teams ids.' },
      people: { nl: 'Partners en ervaringsdeskundigen die reageren.', en: 'Partners and lived-experience experts who respond.' },
      ground: GROUND_TASK,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'people',
    title: { nl: 'Teams-gegevens en rollen', en: 'Teams details and roles' },
    what: {
      nl: 'Uw Microsoft-id (Entra object id) en Teams-id, uw naam zoals Teams die doorgeeft, uw taal, waar de bot u kan bereiken (uw chat), en uw rol: panellid met organisatie, of accounthouder.',
      en: 'Your Microsoft id (Entra object id) and Teams id, your name as Teams passes it on, your language, where the bot can reach you (your chat), and your role: panel member with organisation, or account holder.',
    },
    why: {
      nl: 'Om te weten wie iets doet en mag doen, en om u later berichten te sturen (besluit, herinneringen).',
      en: 'To know who does something and may do it, and to send you messages later (the decision, reminders).',
    },
    seenBy: {
      nl: 'Alleen de bot gebruikt de id’s. Namen van panelleden ziet het panel; de accounthouders zien wie in het panel zit.',
      en: 'Only the bot uses the ids. The panel sees panel members’ names; the account holders see who is on the panel.',
    },
    kept: {
      nl: `Waar de bot u bereikt (uw chat, het teamadres): tot ${months(F.addressMonths).nl} na de laatste wijziging, daarna verwijdert de bot het; ook als uw gegevens op verzoek worden verwijderd, zodra het laatste bericht aan u is verstuurd. Panelleden: ${PEOPLE_TERM.nl} Dan staat ook op de panelregel en bij eens of oneens een schuilnaam in plaats van uw naam. Accounthouders: zolang u die rol heeft; een beheerder beëindigt de rol. Uw id in het logboek: ${PEOPLE_TERM.nl}`,
      en: `Where the bot reaches you (your chat, the team address): until ${months(F.addressMonths).en} after it last changed, then the bot deletes it; also when your data is removed on request, as soon as the last message to you has been sent. Panel members: ${PEOPLE_TERM.en} Then the panel row and your agree or disagree show a pseudonym instead of your name. Account holders: as long as you hold the role; an administrator ends it. Your id in the record: ${PEOPLE_TERM.en}`,
    },
    register: {
      categories: { nl: 'Identificerend: Entra- en Teams-id, naam, taal, chatadres.', en: 'Identifying: Entra and Teams id, name, language, chat address.' },
      people: { nl: 'Iedereen die de bot gebruikt of in een team met de bot zit.', en: 'Everyone who uses the bot or is in a team with it.' },
      ground: GROUND_TASK,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'organisations',
    title: { nl: 'Register van partnerorganisaties', en: 'Register of partner organisations' },
    what: {
      nl: 'Naam, andere namen en KvK-nummer van organisaties, en wie ze heeft toegevoegd. Bij een eenmanszaak kan de naam een persoon noemen.',
      en: 'Name, other names and Chamber of Commerce (KvK) number of organisations, and who added them. A one-person business may carry a person’s name.',
    },
    why: {
      nl: 'Om belangenverstrengeling en de verdeling over organisaties goed te tellen.',
      en: 'To count conflicts of interest and the spread over organisations correctly.',
    },
    seenBy: {
      nl: 'De accounthouders; organisatienamen staan in de raadsrapportages en de Woo-lijst.',
      en: 'The account holders; organisation names are in the council reports and the Woo list.',
    },
    kept: {
      nl: `Zolang een ronde de organisatie noemt; een beheerder kan een organisatie verwijderen. Wie een organisatie toevoegde: ${PEOPLE_TERM.nl}`,
      en: `As long as a round names the organisation; an administrator can remove one. Who added an organisation: ${PEOPLE_TERM.en}`,
    },
    register: {
      categories: {
        nl: 'Organisatie (bij een eenmanszaak: een persoonsnaam), KvK-nummer, Entra-id van wie toevoegde.',
        en: 'Organisation (for a one-person business: a person’s name), KvK number, Entra id of who added it.',
      },
      people: { nl: 'Eigenaren van eenmanszaken; accounthouders.', en: 'Owners of one-person businesses; account holders.' },
      ground: GROUND_TASK,
      recipients: {
        nl: `Raad en publiek (organisatienaam in rapportages en Woo-lijst). ${MICROSOFT.nl}`,
        en: `Council and public (the organisation’s name in reports and the Woo list). ${MICROSOFT.en}`,
      },
    },
  },
  {
    id: 'audit',
    title: { nl: 'Logboek van handelingen', en: 'Record of actions' },
    what: {
      nl: 'Wie (Microsoft-id) wat deed en wanneer: indienen, scoren, besluiten, instellingen wijzigen. Zonder namen en zonder getypte teksten.',
      en: 'Who (Microsoft id) did what and when: submitting, scoring, deciding, changing settings. Without names and without typed text.',
    },
    why: {
      nl: 'Om achteraf te kunnen laten zien dat de ronde volgens de regels is verlopen.',
      en: 'To show afterwards that the round followed the rules.',
    },
    seenBy: { nl: 'Beheerders van de gemeente; niet zichtbaar in Teams.', en: 'Administrators of the municipality; not visible in Teams.' },
    kept: {
      nl: `Zolang de ronde bestaat (het bewijs dat de regels zijn gevolgd). Uw id: ${PEOPLE_TERM.nl}`,
      en: `As long as the round exists (the proof the rules were followed). Your id: ${PEOPLE_TERM.en}`,
    },
    register: {
      categories: { nl: 'Entra-id (later een schuilnaam), handeling, tijd; geen tekst.', en: 'Entra id (later a pseudonym), action, time; no text.' },
      people: { nl: 'Iedereen die iets doet in de bot.', en: 'Everyone who does something in the bot.' },
      ground: GROUND_DUTY,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'messages',
    title: { nl: 'Berichten die nog verstuurd worden', en: 'Messages waiting to be sent' },
    what: {
      nl: 'Besluiten, herinneringen en uitnodigingen die de bot klaarzet, met het adres van de chat of het kanaal.',
      en: 'Decisions, reminders and invitations the bot has queued, with the address of the chat or channel.',
    },
    why: {
      nl: 'Zodat elk bericht precies één keer aankomt, ook als de bot even niet draait.',
      en: 'So every message arrives exactly once, even when the bot is briefly down.',
    },
    seenBy: { nl: 'Alleen de ontvanger van het bericht.', en: 'Only the message’s recipient.' },
    kept: {
      nl: `Tot het bericht is verstuurd, daarna nog ${days(F.sentMessageDays).nl}.`,
      en: `Until the message is sent, then ${days(F.sentMessageDays).en} more.`,
    },
    register: {
      categories: { nl: 'Het bericht (kaart met tekst) en het chat- of kanaaladres.', en: 'The message (a card with text) and the chat or channel address.' },
      people: { nl: 'Ontvangers van berichten.', en: 'Recipients of messages.' },
      ground: GROUND_TASK,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'attachments',
    title: { nl: 'Bijlagen bij aanvragen', en: 'Attachments to applications' },
    what: {
      nl: 'De bestanden die u in de chat stuurt bij een aanvraag (zoals een begroting of plan), met hun naam, soort, grootte en wanneer u ze stuurde.',
      en: 'The files you send in the chat with an application (such as a budget or a plan), with their name, kind, size and when you sent them.',
    },
    why: {
      nl: 'Zodat het panel en de accounthouder uw aanvraag met de stukken erbij kunnen beoordelen.',
      en: 'So the panel and the account holder can review your application with its documents.',
    },
    seenBy: {
      nl: 'U, en na het indienen het beoordelingspanel en de accounthouders, via links die na 7 dagen verlopen. Ze staan in een afgeschermde opslag van de gemeente, niet in de raadsrapportages.',
      en: 'You, and after submission the review panel and the account holders, through links that expire after 7 days. They are kept in the municipality’s private storage, not in the council reports.',
    },
    kept: {
      nl: 'Zo lang als de aanvraag (zie hierboven). Als de termijn van de aanvraag voorbij is, verwijdert de bot de bestanden helemaal.',
      en: 'As long as the application (see above). When the application’s term has passed, the bot deletes the files entirely.',
    },
    register: {
      categories: {
        nl: 'Documenten bij een aanvraag; kunnen namen en andere persoonsgegevens bevatten.',
        en: 'Documents with an application; may hold names and other personal data.',
      },
      people: { nl: 'Aanvragers en wie in hun stukken genoemd wordt.', en: 'Applicants and whoever their documents name.' },
      ground: GROUND_TASK,
      recipients: MICROSOFT,
    },
  },
  {
    id: 'requests',
    title: { nl: 'Uw verzoeken over uw gegevens', en: 'Your requests about your data' },
    what: {
      nl: 'Wanneer u uw gegevens opvroeg (mijn gegevens) of om verwijdering vroeg, het besluit van de accounthouder met de reden, en wat er verwijderd is.',
      en: 'When you asked for your data (my data) or for deletion, the account holder’s decision with the reason, and what was removed.',
    },
    why: {
      nl: 'Zodat de gemeente kan laten zien dat zij uw verzoek heeft behandeld (AVG artikel 15 en 17).',
      en: 'So the municipality can show it handled your request (GDPR articles 15 and 17).',
    },
    seenBy: { nl: 'U en de accounthouders.', en: 'You and the account holders.' },
    kept: {
      nl: 'Het verzoek en het besluit blijven bewaard als bewijs dat de gemeente het heeft behandeld, met uw Microsoft-id maar zonder uw naam of iets wat u typte.',
      en: 'The request and the decision are kept as proof the municipality handled it, with your Microsoft id but without your name or anything you typed.',
    },
    register: {
      categories: { nl: 'Entra-id, datums, het besluit en de reden van een weigering.', en: 'Entra id, dates, the decision and the reason for a refusal.' },
      people: { nl: 'Wie om verwijdering vroeg.', en: 'Whoever asked for deletion.' },
      ground: GROUND_DUTY,
      recipients: MICROSOFT,
    },
  },
];

/** Where a stored field lives, its category, and what happens to it at the end of its term (the closing note's list). */
export interface StoredField {
  record: 'application' | 'fields' | 'budgetLine' | 'results' | 'sheet' | 'recusal' | 'question' | keyof typeof RECORD_CLASSES;
  field: string;
  category: DataCategory;
  end: 'removed' | 'pseudonymised' | 'kept' | 'kept if decided' | 'deleted';
  why?: KeptReason;
  /** Which term the record follows. */
  term: RecordTerm;
}

const fieldsOf = (record: StoredField['record'], cls: Record<string, FieldClass>, term: RecordTerm = 'application'): StoredField[] =>
  Object.entries(cls).map(([field, c]) => ({
    record,
    term,
    field,
    category: c.category,
    end: c.end.fate === 'keptIfDecided' ? 'kept if decided' : c.end.fate,
    ...('why' in c.end ? { why: c.end.why } : {}),
  }));

/**
 * Every field of every stored record with its category, its term and its end, computed from the
 * anonymiser's own classification (`domain/retention.ts` for applications and review rows,
 * `domain/retention-records.ts` for the rest), so the list cannot drift from what the code does.
 * Not personal and not listed: the round, criteria, counters, leases and anonymisation markers.
 */
export const STORED_FIELDS: readonly StoredField[] = [
  ...fieldsOf('application', APPLICATION_ROW_CLASS),
  ...fieldsOf('fields', APPLICATION_FIELDS_CLASS),
  ...fieldsOf('budgetLine', BUDGET_LINE_CLASS),
  ...fieldsOf('results', RESULTS_CLASS),
  ...fieldsOf('sheet', SHEET_CLASS),
  ...fieldsOf('recusal', RECUSAL_CLASS),
  ...fieldsOf('question', QUESTION_CLASS),
  ...(Object.entries(RECORD_CLASSES) as [keyof typeof RECORD_CLASSES, { cls: Record<string, FieldClass>; term: RecordTerm }][]).flatMap(([record, r]) =>
    fieldsOf(record, r.cls, r.term),
  ),
];
