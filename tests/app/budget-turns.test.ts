import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { tableRepos } from '../../src/store/table-repos';
import { tableClients } from '../../src/store/tables';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, personalMessage, readCard, User } from '../support/teams';

/** Budget lines through the real bot: the budget step's rows, Regel toevoegen, errors under a row, the summary and the inzage. */
let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());
beforeEach(() => h.connector.clear());

const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));

async function press(card: unknown, title: string, inputs: Record<string, string> = {}, user: User = ANOUK, locale = 'nl-NL') {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }, locale));
}

/** A new draft moved on to the budget step (steps 1–3 as in the fixtures). */
async function toBudgetStep(user: User = ANOUK) {
  const welcome = await h.invoke(cardAction(h.connector.url, user, 'app.home', {}));
  const eligibility = await press(welcome, 'Nieuwe aanvraag', {}, user);
  let card = await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }, user);
  for (const step of STEPS.slice(0, 3)) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>, user);
  return card;
}

const rowIds = (card: unknown) =>
  readCard(card)
    .inputs.map((i) => String(i.id))
    .filter((id) => id.startsWith('line_'));
const rowsShown = (card: unknown) => new Set(rowIds(card).map((id) => id.split('_')[1])).size;
const applicationOf = async (card: unknown) => {
  const data = readCard(card).action('Volgende').data as { roundId: string; applicationId: string };
  return (await repos().applications.get(data.roundId, data.applicationId))!.value;
};

const BASE = { amount: '12500', periodStart: '2027-01-01', periodEnd: '2027-12-31' };

describe('budget lines on the budget step', () => {
  it('shows one empty row with a label on every input, and Regel toevoegen', async () => {
    const card = readCard(await toBudgetStep());
    expect(card.text).toContain('Begroting: waar geef je het geld aan uit? (verplicht)');
    expect(card.input('budgetBreakdown')?.label).toBe('Toelichting op de begroting (nodig als de regels samen niet precies het gevraagde bedrag zijn)');
    expect(card.inputs.filter((i) => String(i.id).startsWith('line_')).map((i) => [i.id, i.label])).toEqual([
      ['line_0_description', 'Regel 1: waarvoor is het geld?'],
      ['line_0_amount', 'Regel 1: bedrag uit het leerbudget, in hele euro’s'],
      ['line_0_own', 'Regel 1: eigen bijdrage, in hele euro’s (optioneel)'],
      ['line_0_coFunding', 'Regel 1: bijdrage van anderen (cofinanciering), in hele euro’s (optioneel)'],
    ]);
    expect(card.action('Regel toevoegen').data).toMatchObject({ direction: 'addLine', rows: 1 });
  });

  it('Regel toevoegen keeps what was typed and gives one row more each time; the same card pressed again adds nothing', async () => {
    const step = await toBudgetStep();
    const typed = { ...BASE, line_0_description: 'Begeleiding', line_0_amount: '8000' };
    const two = await press(step, 'Regel toevoegen', typed);
    expect(rowsShown(two)).toBe(2);
    expect(readCard(two).input('line_0_description')?.value).toBe('Begeleiding');
    expect(readCard(two).input('line_0_amount')?.value).toBe(8000);
    // After saving: the totals and the difference from the requested amount, with the ask to explain it.
    expect(readCard(two).text.replace(/\u00a0/g, ' ')).toContain(
      'Let op: de regels zijn samen € 4.500 minder dan het gevraagde bedrag (€ 12.500). Leg het verschil uit in de toelichting.',
    );
    const saved = await applicationOf(two);
    expect(saved.fields.budgetLines).toEqual([{ description: 'Begeleiding', amount: 8000 }]);
    expect(saved.position).toBe('budget');

    // Pressed again with the second row left empty: still one more row, not two.
    const three = await press(two, 'Regel toevoegen', { ...typed, line_1_description: '', line_1_amount: '' });
    expect(rowsShown(three)).toBe(3);
    expect((await applicationOf(three)).fields.budgetLines).toHaveLength(1);

    // The older card pressed again (a double click): the current card, nothing saved twice, no extra row.
    const before = await applicationOf(three);
    const stale = await press(two, 'Regel toevoegen', { ...typed, line_1_description: 'Ruimte', line_1_amount: '2500' });
    expect(readCard(stale).text).toContain('Er is niets dubbel opgeslagen');
    expect(rowsShown(stale)).toBeLessThanOrEqual(3);
    const after = await applicationOf(stale);
    expect(after.rev).toBe(before.rev);
    expect(after.fields.budgetLines).toEqual([{ description: 'Begeleiding', amount: 8000 }]);
  });

  it('a row with an error: the message under that row, everything typed still there, nothing stored', async () => {
    const step = await toBudgetStep();
    const before = await applicationOf(step);
    const typed = {
      ...BASE,
      line_0_description: 'Begeleiding',
      line_0_amount: '8000',
      line_1_description: 'Ruimte',
      line_1_amount: '12,5',
      line_1_own: '-3',
      budgetBreakdown: 'Uitleg die blijft staan',
    };
    const res = await press(step, 'Volgende', typed);
    const card = readCard(res);
    expect(card.text).toContain(
      'Regel 2: Bedrag: vul een bedrag in hele euro’s in, zonder centen; Eigen bijdrage: een bedrag kan niet minder dan 0 zijn. Er is niets opgeslagen.',
    );
    expect(card.text).not.toContain('Regel 1: Bedrag');
    expect(card.input('line_1_amount')?.label).toBe('Regel 2: bedrag uit het leerbudget, in hele euro’s: vul een bedrag in hele euro’s in, zonder centen');
    expect(card.input('line_0_description')?.value).toBe('Begeleiding');
    expect(card.input('line_1_description')?.value).toBe('Ruimte');
    expect(card.input('budgetBreakdown')?.value).toBe('Uitleg die blijft staan');
    expect((await applicationOf(res)).rev).toBe(before.rev);
    // Fixing the row and saving for later stores both lines.
    await press(res, 'Later verder', { ...typed, line_1_amount: '2500', line_1_own: '' });
    const after = await applicationOf(step);
    expect(after.rev).toBe(before.rev + 1);
    expect(after.fields.budgetLines).toEqual([
      { description: 'Begeleiding', amount: 8000 },
      { description: 'Ruimte', amount: 2500 },
    ]);
  });

  it('lines that do not add up need the explanation; with it the summary shows the table, the totals and the difference', async () => {
    const step = await toBudgetStep();
    const lines = {
      line_0_description: 'Begeleiding',
      line_0_amount: '8000',
      line_0_own: '1000',
      line_1_description: 'Ruimte',
      line_1_amount: '4000',
      line_1_coFunding: '250',
    };
    const refused = readCard(await press(step, 'Volgende', { ...BASE, ...lines }));
    expect(refused.input('budgetBreakdown')?.label).toContain('De regels van de begroting zijn samen niet precies het gevraagde bedrag. Leg hier uit waarom.');
    expect((await applicationOf(step)).fields.budgetLines).toBeUndefined();

    const results = await press(step, 'Volgende', { ...BASE, ...lines, budgetBreakdown: 'De rest betalen we uit de reserve.' });
    const summary = await press(results, 'Volgende', VALID_INPUT.results as Record<string, string>);
    const text = readCard(summary).text.replace(/\u00a0/g, ' ');
    expect(text).toContain('Begroting · 2 begrotingsregels');
    for (const cell of ['Waarvoor', 'Leerbudget', 'Eigen', 'Anderen', 'Begeleiding', '€ 8.000', '€ 1.000', 'Ruimte', '€ 4.000', '€ 250', 'Totaal', '€ 12.000'])
      expect(text).toContain(cell);
    expect(text).toContain('Totaal van de regels: € 12.000. Eigen bijdrage: € 1.000. Cofinanciering: € 250. Het hele project: € 13.250.');
    // Explained already: the summary states the difference and does not ask again.
    expect(text).toContain('De regels zijn samen € 500 minder dan het gevraagde bedrag (€ 12.500).');
    expect(text).not.toContain('Leg het verschil uit');

    // Back on the budget step (Wijzig stap 4): the stored lines and one empty row, with the totals after saving.
    const edit = readCard(await press(summary, 'Wijzig stap 4'));
    expect(edit.input('line_1_description')?.value).toBe('Ruimte');
    expect(edit.inputs.filter((i) => String(i.id).endsWith('_description'))).toHaveLength(3);
    expect(edit.text.replace(/\u00a0/g, ' ')).toContain('Totaal van de regels: € 12.000.');
  });

  it('a payload with inputs the card never had: row names past the 20th are dropped, other keys ignored, too many inputs refused', async () => {
    const step = await toBudgetStep();
    const next = readCard(step).action('Volgende');
    const tampered = await h.invoke(
      cardAction(h.connector.url, ANOUK, next.verb, {
        ...next.data,
        ...(VALID_INPUT.budget as Record<string, string>),
        line_25_description: 'Extra',
        line_25_amount: '1',
        budgetLines: JSON.stringify([{ description: 'x', amount: 1 }]),
        actorId: 'someone-else',
      }),
    );
    expect(readCard(tampered).text).toContain('Wat wil je bereiken, en hoe laat je dat zien?');
    const saved = await applicationOf(step);
    expect(saved.fields.budgetLines?.map((l) => l.description)).toEqual(['Begeleiding', 'Ruimte', 'Materiaal']);

    const flood = Object.fromEntries(
      Array.from({ length: 81 }, (_, i) => [`line_${Math.floor(i / 4) % 99}_${['description', 'amount', 'own', 'coFunding'][i % 4]}`, '1']),
    );
    expect(Object.keys(flood)).toHaveLength(81);
    const refused = await h.invoke(cardAction(h.connector.url, ANOUK, next.verb, { ...next.data, rev: String(saved.rev), ...flood }));
    expect(readCard(refused).text).not.toContain('Wat wil je bereiken, en hoe laat je dat zien?');
    expect((await applicationOf(step)).rev).toBe(saved.rev);
  });

  it('the applicant’s inzage lists the lines', async () => {
    const step = await toBudgetStep();
    await press(step, 'Volgende', VALID_INPUT.budget as Record<string, string>);
    h.connector.clear();
    await h.send(personalMessage(h.connector.url, ANOUK, 'mijn gegevens'));
    const card = h.connector.posted.at(-1)?.activity.attachments?.[0]?.content;
    const link = JSON.stringify(card).match(/"url":"([^"]+mijn-gegevens\.md[^"]*)"/)?.[1];
    expect(link).toBeDefined();
    const u = new URL(link!.replace(/\\u0026/g, '&'));
    const md = await (await fetch(`${h.bot.url}${u.pathname}${u.search}`)).text();
    expect(md).toContain('**budgetLines**');
    expect(md).toContain('**description**: Materiaal');
    expect(md).toContain('**amount**: 2000');
    expect(md).toContain('**ownContribution**: 500');
  });
});
