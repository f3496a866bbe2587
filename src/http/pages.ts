import { createHash } from 'node:crypto';
import type * as restify from 'restify';
import { PageLang, STORED_DATA, STORED_FIELDS, StoredField } from './stored-data';

/**
 * The pages the app manifest links to (websiteUrl `/`, privacyUrl `/privacy`, termsOfUseUrl
 * `/voorwaarden`): plain HTML in Dutch or English (`?lang=en|nl`, else Accept-Language, else
 * Dutch), no scripts, no external assets, one inline style allowed by its hash.
 */
export const PAGE_PATHS = ['/', '/privacy', '/voorwaarden'] as const;
/** The processing register (verwerkingsregister), linked from the privacy page (not from the manifest). */
export const REGISTER_PATH = '/verwerkingsregister';
type PagePath = (typeof PAGE_PATHS)[number] | typeof REGISTER_PATH;

const CSS = `
body { margin: 0; font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #ffffff; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 0 1.25rem; }
header { border-bottom: 1px solid #767676; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1.25rem; padding: 0; margin: 1rem 0; }
a { color: #0b4f8a; text-decoration: underline; }
a:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
a[aria-current="page"] { font-weight: 700; text-decoration: none; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.5rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.5rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.25rem; }
dt { font-weight: 700; margin-top: 0.5rem; }
dd { margin: 0 0 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: 0.25rem 0.75rem 0.25rem 0; border-bottom: 1px solid #767676; vertical-align: top; }
footer { border-top: 1px solid #767676; margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; }
`.trim();

/** The Content-Security-Policy of every page: nothing may load, only the one inline style. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `?lang=` wins; otherwise the first of nl/en in Accept-Language by weight; otherwise Dutch. */
export function pageLang(query: unknown, acceptLanguage: string | undefined): PageLang {
  if (query === 'en' || query === 'nl') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { primary: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.q > 0 && (x.primary === 'nl' || x.primary === 'en'))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.primary as PageLang | undefined) ?? 'nl';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The privacy contact as a link when it is an e-mail address or a web address, else as text. */
export function contactHtml(contact: string): string {
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact)) return `<a href="mailto:${esc(contact)}">${esc(contact)}</a>`;
  if (/^https:\/\/\S+$/.test(contact)) return `<a href="${esc(contact)}">${esc(contact)}</a>`;
  return esc(contact);
}

const T = {
  nl: {
    nav: 'Over deze site',
    names: { '/': 'Leerbudget', '/privacy': 'Privacy', '/voorwaarden': 'Gebruiksvoorwaarden', '/verwerkingsregister': 'Verwerkingsregister' },
    other: { lang: 'en', label: 'English' },
    labels: { what: 'Wat', why: 'Waarom', seenBy: 'Wie ziet het', kept: 'Hoe lang' },
    register: { categories: 'Soorten gegevens', people: 'Van wie', ground: 'Grondslag', recipients: 'Ontvangers', purpose: 'Doel', term: 'Bewaartermijn' },
  },
  en: {
    nav: 'About this site',
    names: { '/': 'Leerbudget', '/privacy': 'Privacy', '/voorwaarden': 'Terms of use', '/verwerkingsregister': 'Processing register' },
    other: { lang: 'nl', label: 'Nederlands' },
    labels: { what: 'What', why: 'Why', seenBy: 'Who sees it', kept: 'How long' },
    register: {
      categories: 'Categories of data',
      people: 'Whose data',
      ground: 'Legal ground',
      recipients: 'Recipients',
      purpose: 'Purpose',
      term: 'Retention',
    },
  },
} as const;

function home(lang: PageLang): string {
  return lang === 'nl'
    ? `<h1>Leerbudget</h1>
<p>Leerbudget is de Teams-bot waarmee de gemeente Zwolle het wijkgericht leerbudget verdeelt. Partners uit de sociale basis vragen er geld aan. Een panel van partners, ervaringsdeskundigen en de gemeente beoordeelt de aanvragen. De accounthouder van de gemeente besluit.</p>
<h2>Zo werkt het</h2>
<ul>
<li>Open in Microsoft Teams de chat met Leerbudget en typ <strong>hallo</strong>. De bot laat zien wat u kunt doen.</li>
<li>Het panel beoordeelt de aanvragen in het beoordelingskanaal van het team.</li>
<li>Vragen over een aanvraag of de ronde? Stel ze aan de accounthouder van de gemeente.</li>
</ul>
<p>Lees ook wat de bot over u bewaart (<a href="/privacy?lang=nl">privacy</a>) en de <a href="/voorwaarden?lang=nl">gebruiksvoorwaarden</a>.</p>`
    : `<h1>Leerbudget</h1>
<p>Leerbudget is the Teams bot the municipality of Zwolle uses to allocate its neighbourhood learning budget (wijkgericht leerbudget). Partners in the sociale basis apply for it. A panel of partners, lived-experience experts and the municipality reviews the applications. The municipality’s account holder decides.</p>
<h2>How it works</h2>
<ul>
<li>In Microsoft Teams, open the chat with Leerbudget and type <strong>hello</strong>. The bot shows what you can do.</li>
<li>The panel reviews the applications in the team’s review channel.</li>
<li>Questions about an application or the round? Ask the municipality’s account holder.</li>
</ul>
<p>See also what the bot stores about you (<a href="/privacy?lang=en">privacy</a>) and the <a href="/voorwaarden?lang=en">terms of use</a>.</p>`;
}

function privacy(lang: PageLang, contact: string): string {
  const l = T[lang].labels;
  const items = STORED_DATA.map(
    (d) => `<section aria-labelledby="data-${d.id}">
<h3 id="data-${d.id}">${esc(d.title[lang])}</h3>
<dl>
<dt>${l.what}</dt><dd>${esc(d.what[lang])}</dd>
<dt>${l.why}</dt><dd>${esc(d.why[lang])}</dd>
<dt>${l.seenBy}</dt><dd>${esc(d.seenBy[lang])}</dd>
<dt>${l.kept}</dt><dd>${esc(d.kept[lang])}</dd>
</dl>
</section>`,
  ).join('\n');
  return lang === 'nl'
    ? `<h1>Privacy: wat Leerbudget bewaart</h1>
<p>De gemeente Zwolle is verantwoordelijk voor de gegevens in Leerbudget. Hier staat welke gegevens de bot bewaart, waarom, wie ze ziet en hoe lang.</p>
<h2>Welke gegevens</h2>
${items}
<h2>Wat de bot niet bewaart of doorgeeft</h2>
<p>De technische logbestanden bevatten geen namen, e-mailadressen, getypte teksten of id’s van personen. De bot geeft geen gegevens aan andere partijen dan Microsoft: de gegevens staan in Azure Table Storage van de gemeente (Microsoft Azure), en berichten lopen via Microsoft Teams.</p>
<h2>Uw rechten en vragen</h2>
<p>U mag vragen welke gegevens over u zijn bewaard (inzage), en vragen ze te verbeteren of te verwijderen. De accounthouder beslist daarover. Wat de gemeente voor de subsidie moet bewaren, blijft bewaard.</p>
<p>Vragen of een verzoek: ${contactHtml(contact)}.</p>
<p>Alle gegevens met hun grondslag, ontvangers en termijn staan in het <a href="${REGISTER_PATH}?lang=nl">verwerkingsregister</a>.</p>
<p>Bent u het niet eens met hoe de gemeente met uw gegevens omgaat? Dan kunt u een klacht indienen bij de Autoriteit Persoonsgegevens.</p>`
    : `<h1>Privacy: what Leerbudget stores</h1>
<p>The municipality of Zwolle is responsible for the data in Leerbudget. This page says which data the bot stores, why, who sees it and for how long.</p>
<h2>Which data</h2>
${items}
<h2>What the bot does not store or pass on</h2>
<p>The technical logs hold no names, e-mail addresses, typed text or ids of people. The bot passes no data to parties other than Microsoft: the data is in the municipality’s Azure Table Storage (Microsoft Azure), and messages go through Microsoft Teams.</p>
<h2>Your rights and questions</h2>
<p>You may ask which data about you is stored (access), and ask for it to be corrected or deleted. The account holder decides. What the municipality must keep for the grant is kept.</p>
<p>Questions or a request: ${contactHtml(contact)}.</p>
<p>Every kind of data with its legal ground, recipients and term is in the <a href="${REGISTER_PATH}?lang=en">processing register</a>.</p>
<p>If you disagree with how the municipality handles your data, you can file a complaint with the Dutch Data Protection Authority (Autoriteit Persoonsgegevens).</p>`;
}

const FIELD_END: Record<PageLang, Record<string, string>> = {
  nl: { removed: 'verwijderd', pseudonymised: 'schuilnaam', kept: 'blijft', 'kept if decided': 'blijft als er een besluit is', deleted: 'helemaal verwijderd' },
  en: { removed: 'removed', pseudonymised: 'pseudonym', kept: 'kept', 'kept if decided': 'kept when decided', deleted: 'deleted entirely' },
};
const TERM_WORD: Record<PageLang, Record<StoredField['term'], string>> = {
  nl: {
    application: 'termijn van de aanvraag',
    people: 'mensen van de ronde',
    consultation: 'raadpleging',
    sentMessage: 'verstuurd bericht',
    address: 'adres',
    whileRole: 'zolang de rol geldt',
    registry: 'zolang een ronde de organisatie noemt',
    proof: 'bewijs dat het verzoek is behandeld',
  },
  en: {
    application: 'the application’s term',
    people: 'the round’s people',
    consultation: 'consultation',
    sentMessage: 'sent message',
    address: 'address',
    whileRole: 'while the role holds',
    registry: 'while a round names the organisation',
    proof: 'proof the request was handled',
  },
};

/** The processing register (AVG art. 30), computed from STORED_DATA and STORED_FIELDS. */
function register(lang: PageLang, contact: string): string {
  const l = T[lang].register;
  const items = STORED_DATA.map(
    (d) => `<section aria-labelledby="reg-${d.id}">
<h3 id="reg-${d.id}">${esc(d.title[lang])}</h3>
<dl>
<dt>${l.purpose}</dt><dd>${esc(d.why[lang])}</dd>
<dt>${l.categories}</dt><dd>${esc(d.register.categories[lang])}</dd>
<dt>${l.people}</dt><dd>${esc(d.register.people[lang])}</dd>
<dt>${l.ground}</dt><dd>${esc(d.register.ground[lang])}</dd>
<dt>${l.recipients}</dt><dd>${esc(d.register.recipients[lang])}</dd>
<dt>${l.term}</dt><dd>${esc(d.kept[lang])}</dd>
</dl>
</section>`,
  ).join('\n');
  const rows = STORED_FIELDS.map(
    (f) =>
      `<tr><td>${esc(f.record)}.${esc(f.field)}</td><td>${esc(f.category)}</td><td>${esc(TERM_WORD[lang][f.term])}</td><td>${esc(FIELD_END[lang][f.end]!)}</td></tr>`,
  ).join('\n');
  const head =
    lang === 'nl'
      ? '<tr><th scope="col">Veld</th><th scope="col">Soort</th><th scope="col">Termijn</th><th scope="col">Na de termijn</th></tr>'
      : '<tr><th scope="col">Field</th><th scope="col">Category</th><th scope="col">Term</th><th scope="col">After the term</th></tr>';
  return lang === 'nl'
    ? `<h1>Verwerkingsregister Leerbudget</h1>
<p>Verwerkingsverantwoordelijke: de gemeente Zwolle. Contact: ${contactHtml(contact)}. Doel: het wijkgericht leerbudget verdelen en de raad verantwoorden (motie van 6 mei 2025).</p>
<h2>Gegevens per soort</h2>
${items}
<h2>Beveiliging</h2>
<ul>
<li>Alleen Microsoft Teams komt binnen: elke aanvraag wordt met een token van Microsoft gecontroleerd.</li>
<li>Wie iets mag, bepaalt de bot zelf uit zijn opslag, nooit uit een kaart.</li>
<li>Downloads zijn ondertekende links die na 7 dagen verlopen.</li>
<li>Logbestanden bevatten geen namen, e-mail, getypte tekst of id’s.</li>
<li>Na de termijn verwijdert de bot de persoonsgegevens zelf, één keer per aanvraag, vastgelegd in het logboek.</li>
</ul>
<h2>Elk veld van een aanvraag en de beoordeling</h2>
<table>
${head}
${rows}
</table>`
    : `<h1>Leerbudget processing register</h1>
<p>Controller: the municipality of Zwolle. Contact: ${contactHtml(contact)}. Purpose: allocating the neighbourhood learning budget and accounting to the council (motion of 6 May 2025).</p>
<h2>Data by kind</h2>
${items}
<h2>Security</h2>
<ul>
<li>Only Microsoft Teams gets in: every request is checked with a Microsoft token.</li>
<li>Who may do what comes from the bot’s own store, never from a card.</li>
<li>Downloads are signed links that expire after 7 days.</li>
<li>Logs hold no names, e-mail, typed text or ids.</li>
<li>After the term the bot removes the personal data itself, once per application, recorded in the audit.</li>
</ul>
<h2>Every field of an application and its review</h2>
<table>
${head}
${rows}
</table>`;
}

function terms(lang: PageLang, contact: string): string {
  return lang === 'nl'
    ? `<h1>Gebruiksvoorwaarden</h1>
<h2>Voor wie</h2>
<p>Leerbudget is voor partners uit de sociale basis in Zwolle, voor de leden van het beoordelingspanel en voor de accounthouders van de gemeente. U gebruikt de bot in Microsoft Teams met uw account bij de gemeente of als gast.</p>
<h2>Aanvragen</h2>
<ul>
<li>Een aanvraag die u in de bot indient, is uw aanvraag voor het leerbudget.</li>
<li>Indienen geeft nog geen recht op geld. De gemeente besluit, binnen het budget en de criteria van de ronde.</li>
<li>Vul alles naar waarheid in. Zolang er geen besluit is, kunt u uw aanvraag intrekken.</li>
</ul>
<h2>Schrijf niet over één persoon</h2>
<p>Schrijf over groepen en over uw aanpak. Noem geen kind, jongere of cliënt die te herkennen is, en zet geen gegevens over iemands gezondheid of zorg in een aanvraag, een score of een vraag.</p>
<h2>Beoordelen</h2>
<p>Panelleden beoordelen zelfstandig, melden belangenverstrengeling en houden aanvragen en scores vertrouwelijk, ook buiten Teams.</p>
<h2>Beschikbaarheid</h2>
<p>De gemeente zorgt dat de bot zo goed mogelijk werkt, maar kan niet beloven dat hij altijd bereikbaar is. Lukt iets niet, zeker vlak voor een deadline? Neem dan contact op met de accounthouder.</p>
<h2>Vragen</h2>
<p>Over de ronde: de accounthouder van de gemeente. Over uw gegevens: ${contactHtml(contact)}.</p>`
    : `<h1>Terms of use</h1>
<h2>Who it is for</h2>
<p>Leerbudget is for partners in the sociale basis in Zwolle, for members of the review panel and for the municipality’s account holders. You use the bot in Microsoft Teams with your municipality account or as a guest.</p>
<h2>Applications</h2>
<ul>
<li>An application you submit in the bot is your application for the learning budget.</li>
<li>Submitting does not yet entitle you to money. The municipality decides, within the round’s budget and criteria.</li>
<li>Fill everything in truthfully. As long as there is no decision, you can withdraw your application.</li>
</ul>
<h2>Do not write about one person</h2>
<p>Write about groups and about your approach. Do not name a child, young person or client who can be recognised, and do not put anyone’s health or care details in an application, a score or a question.</p>
<h2>Reviewing</h2>
<p>Panel members review independently, declare conflicts of interest and keep applications and scores confidential, also outside Teams.</p>
<h2>Availability</h2>
<p>The municipality keeps the bot working as well as it can, but cannot promise it is always reachable. If something does not work, especially close to a deadline, contact the account holder.</p>
<h2>Questions</h2>
<p>About the round: the municipality’s account holder. About your data: ${contactHtml(contact)}.</p>`;
}

export function renderPage(path: PagePath, lang: PageLang, contact: string): string {
  const t = T[lang];
  const body =
    path === '/' ? home(lang) : path === '/privacy' ? privacy(lang, contact) : path === REGISTER_PATH ? register(lang, contact) : terms(lang, contact);
  const nav = PAGE_PATHS.map((p) => `<li><a href="${p}?lang=${lang}"${p === path ? ' aria-current="page"' : ''}>${esc(t.names[p])}</a></li>`).join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(path === '/' ? 'Leerbudget' : `${t.names[path]} · Leerbudget`)}</title>
<style>${CSS}</style>
</head>
<body>
<header><nav aria-label="${t.nav}"><ul>${nav}<li><a href="${path}?lang=${t.other.lang}" lang="${t.other.lang}" hreflang="${t.other.lang}">${t.other.label}</a></li></ul></nav></header>
<main>
${body}
</main>
<footer><p>Leerbudget · ${lang === 'nl' ? 'gemeente Zwolle' : 'municipality of Zwolle'}</p></footer>
</body>
</html>
`;
}

export function registerPages(server: restify.Server, options: { privacyContact: string }): void {
  for (const path of [...PAGE_PATHS, REGISTER_PATH] as const) {
    // HEAD too: link checkers (and Teams' own) often ask for the headers only.
    for (const method of ['get', 'head'] as const) {
      server[method](path, async (req: restify.Request, res: restify.Response) => {
        const lang = pageLang(new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang'), req.header('accept-language'));
        const html = renderPage(path, lang, options.privacyContact);
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Length': Buffer.byteLength(html, 'utf8'),
          'Content-Language': lang,
          'Content-Security-Policy': PAGE_CSP,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'public, max-age=300',
          Vary: 'Accept-Language',
        });
        res.end(method === 'get' ? html : undefined);
      });
    }
  }
}
