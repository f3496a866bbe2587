import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JSON_PART_CHARS } from '../../src/store/limits';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, PETER, readCard, User } from '../support/teams';

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

async function newApplication(user: User, locale = 'nl-NL') {
  const welcome = await h.invoke(cardAction(h.connector.url, user, 'app.home', {}, locale));
  const eligibility = await press(welcome, locale.startsWith('en') ? 'New application' : 'Nieuwe aanvraag', {}, user, locale);
  return press(
    eligibility,
    locale.startsWith('en') ? 'Continue' : 'Verder',
    { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' },
    user,
    locale,
  );
}

describe('free text in a turn', () => {
  it('a control character is refused with a clear message, nothing is stored and the typed values come back; a zero-width-only title is empty', async () => {
    const step1 = await newApplication(ANOUK);
    const typed = { ...VALID_INPUT.organisation, organisation: 'Stichting \u0007Bel' } as Record<string, string>;
    const refused = readCard(await press(step1, 'Volgende', typed));
    expect(refused.text).toContain('Stap 1 van 5');
    expect(refused.text).toContain('Hier staan tekens in die niet kunnen');
    expect(refused.input('organisation')?.value).toBe('Stichting \u0007Bel');
    expect(refused.input('contactName')?.value).toBe(VALID_INPUT.organisation.contactName);
    const [stored] = await repos().applications.listByApplicant(ANOUK.aadObjectId);
    expect(stored?.value.fields.organisation).toBeUndefined();

    const step2 = await press(refused, 'Volgende', VALID_INPUT.organisation as Record<string, string>);
    const empty = readCard(await press(step2, 'Volgende', { ...VALID_INPUT.question, title: '\u200b\u2060\ufeff' } as Record<string, string>));
    expect(empty.text).toContain('Stap 2 van 5');
    expect(empty.text).toContain('Vul dit in.');
    expect((await repos().applications.listByApplicant(ANOUK.aadObjectId))[0]?.value.fields.title).toBeUndefined();
  });

  it('a write storage refuses as too large says so (not "try again in a minute") and changes nothing', async () => {
    // A draft row larger than Azure takes (written around the store's check, as data from before
    // the limits could be): saving the next step would make Azure answer 400 EntityTooLarge.
    const step1 = await newApplication(PETER, 'en-US');
    const step2 = await press(step1, 'Next', VALID_INPUT.organisation as Record<string, string>, PETER, 'en-US');
    const [draft] = await repos().applications.listByApplicant(PETER.aadObjectId);
    const raw = TableClient.fromConnectionString(h.config.storage.connectionString, `${h.config.storage.tablePrefix}Rounds`, { allowInsecureConnection: true });
    const row = await raw.getEntity<Record<string, unknown>>(draft!.value.roundId, `app_${draft!.value.id}_`);
    const json = JSON.stringify({ ...draft!.value.fields, evidence: 'x'.repeat(18 * JSON_PART_CHARS) });
    const parts = Object.fromEntries(
      Array.from({ length: Math.ceil(json.length / JSON_PART_CHARS) }, (_, i) => [
        i ? `fieldsJson_${i}` : 'fieldsJson',
        json.slice(i * JSON_PART_CHARS, (i + 1) * JSON_PART_CHARS),
      ]),
    );
    await raw.updateEntity({ ...row, partitionKey: draft!.value.roundId, rowKey: `app_${draft!.value.id}_`, ...parts }, 'Replace');
    const before = await raw.getEntity<Record<string, unknown>>(draft!.value.roundId, `app_${draft!.value.id}_`);

    const answer = readCard(await press(step2, 'Next', VALID_INPUT.question as Record<string, string>, PETER, 'en-US'));
    expect(answer.text).toContain('the storage does not accept it (too large or not valid)');
    expect(answer.text).toContain('Trying again will not help');
    expect(answer.text).not.toContain('try again in a minute');
    const after = await raw.getEntity<Record<string, unknown>>(draft!.value.roundId, `app_${draft!.value.id}_`);
    expect(after.etag).toBe(before.etag);
  });
});
