/**
 * What Leerbudget stores about people, for the /privacy page: one entry per kind of data, with
 * why, who sees it and how long it is kept. The page is computed from this list (and the tests
 * check the page against it), so a change to what the bot stores is made here once.
 *
 * Kept today: the bot deletes nothing by itself (a panel row goes when a member is removed; the
 * audit keeps that it happened). When retention terms exist they decide `kept` per entry.
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
}

const KEPT_UNTIL_REMOVED: Text = {
  nl: 'Tot een beheerder van de gemeente het verwijdert. De bot verwijdert dit nu nog niet zelf na een vaste termijn.',
  en: 'Until an administrator of the municipality removes it. The bot does not yet delete this by itself after a fixed term.',
};

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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
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
    kept: KEPT_UNTIL_REMOVED,
  },
];
