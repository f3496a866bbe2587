import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/app/core/verbs';
import type { Repos } from '../../src/ports';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startHarness } from '../support/harness';
import { retentionRound, REVIEW_TEXTS } from '../support/retention-round';
import { ACCOUNTHOUDER, applicantId } from '../support/rounds';
import { cardAction, personalMessage, readCard, User } from '../support/teams';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
const OTHER: User = { id: '29:other', aadObjectId: '00000000-0000-4000-8000-0000000000ff', name: 'Iemand' };

let h: Awaited<ReturnType<typeof startHarness>>;
let repos: Repos;
let ids: string[];
const ROUND = 'LB-2026';

/** The real bot on Azurite, with the retention fixture round (7 applications, review texts) in its tables. */
beforeAll(async () => {
  h = await startHarness({ env: { SEED_DEMO: 'false', ACCOUNTHOUDER_IDS: ACCOUNTHOUDER, PSEUDONYM_SECRET: 'turn-secret' } });
  const clients = tableClients(h.azurite.connectionString, h.config.storage.tablePrefix);
  await ensureTables(clients);
  repos = tableRepos(clients);
  ({ ids } = await retentionRound(repos));
}, 60_000);
afterAll(() => h?.stop());

async function say(user: User, text: string, locale = 'nl-NL') {
  h.connector.clear();
  const res = await h.send(personalMessage(h.connector.url, user, text, locale));
  expect(res.status).toBeLessThan(300);
  return h.connector.posted.map((p) => p.activity.attachments?.[0]?.content as Record<string, unknown>);
}
const press = (user: User, data: Record<string, unknown>, locale = 'nl-NL') => h.invoke(cardAction(h.connector.url, user, VERBS.retention.run, data, locale));
const audited = async () => (await repos.audit.list(ROUND)).filter((e) => e.action === 'application.anonymised');

describe('anonymise now', () => {
  it('the confirmation says what goes and what stays; the button removes it once, audited; a second press does nothing twice', async () => {
    const [card] = await say(BOSS, 'anonimiseer LB-2026-001');
    const r = readCard(card);
    expect(r.text).toContain('Anonimiseren: LB-2026-001');
    expect(r.text).toContain('kan niet ongedaan worden gemaakt');
    // Computed from the data: the application's fields, the results texts, 5 comments + 1 overall remark, the question and answer, the recusal note.
    expect(r.text).toContain('Uit de aanvraag: naam contactpersoon, e-mailadres, telefoonnummer');
    expect(r.text).toContain('Uit het verslag van de resultaten: wat er is gedaan');
    expect(r.text).toMatch(/\d+ toelichtingen van het panel/);
    expect(r.text).toContain('1 vraag aan de aanvrager');
    expect(r.text).toContain('1 reden van belangenverstrengeling');
    expect(r.text).toContain('De organisatie: staat in de Woo-lijst');
    const button = r.action('Anonimiseren: LB-2026-001');
    expect(button.data).toEqual({ roundId: ROUND, applicationId: ids[0], rev: expect.any(Number), scope: 'application' });

    const done = readCard(await press(BOSS, button.data));
    expect(done.text).toContain('Geanonimiseerd: LB-2026-001');
    expect(done.text).toContain('Klaar. Dit is vastgelegd in het logboek.');
    expect(done.actions.map((a) => a.title)).toEqual(['Naar alle aanvragen']);
    const app = (await repos.applications.get(ROUND, ids[0]!))!.value;
    expect(app.anonymisedAt).toBeDefined();
    expect(app.fields.contactName).toBeUndefined();
    expect(app.applicantId).not.toBe(applicantId(0));
    const bundle = await repos.reviews.bundle(ROUND, ids[0]!);
    expect(JSON.stringify(bundle)).not.toContain(REVIEW_TEXTS.overall);
    expect(await audited()).toEqual([
      expect.objectContaining({ actorId: ACCOUNTHOUDER, subjectId: ids[0], details: expect.objectContaining({ reason: 'accounthouder' }) }),
    ]);

    const again = readCard(await press(BOSS, button.data));
    expect(again.text).toContain('Dit was al geanonimiseerd. Er is niets opnieuw gedaan.');
    expect(await audited()).toHaveLength(1);
    // The command on an anonymised application: nothing left to remove, no button.
    const [after] = await say(BOSS, 'anonimiseer LB-2026-001');
    expect(readCard(after).actions.map((a) => a.title)).toEqual(['Naar alle aanvragen']);
  });

  it('someone else is refused and nothing changes, whatever the card data says', async () => {
    const [card] = await say(OTHER, 'anonimiseer LB-2026-002');
    expect(readCard(card).text).toContain('Alleen de Wmo-accounthouder kan gegevens anonimiseren.');
    const refused = readCard(await press(OTHER, { roundId: ROUND, applicationId: ids[1], rev: 99, scope: 'application', actorId: ACCOUNTHOUDER }));
    expect(refused.text).toContain('Alleen de Wmo-accounthouder');
    expect((await repos.applications.get(ROUND, ids[1]!))!.value.anonymisedAt).toBeUndefined();
    expect(await audited()).toHaveLength(1);
  });

  it('a card drawn before the application changed gets the current card, nothing removed', async () => {
    const [card] = await say(BOSS, 'anonymise LB-2026-003', 'en-US');
    const data = readCard(card).action('Anonymise: LB-2026-003').data;
    const stale = readCard(await press(BOSS, { ...data, rev: Number(data.rev) - 1 }, 'en-US'));
    expect(stale.text).toContain('The application changed since this card.');
    expect(stale.action('Anonymise: LB-2026-003').data).toEqual(data);
    expect((await repos.applications.get(ROUND, ids[2]!))!.value.anonymisedAt).toBeUndefined();
  });

  it('everything about the applicant: their applications and their id in the audit, named by the stored applicant only', async () => {
    const [card] = await say(BOSS, 'anonimiseer aanvrager LB-2026-004');
    const r = readCard(card);
    expect(r.text).toContain('Alles over de aanvrager van LB-2026-004 anonimiseren');
    const data = r.action('Aanvrager anonimiseren: LB-2026-004').data;
    expect(data).toMatchObject({ scope: 'person', applicationId: ids[3] });
    const before = (await repos.audit.list(ROUND)).filter((e) => e.actorId === applicantId(3)).length;
    expect(before).toBeGreaterThan(0);
    const done = readCard(await press(BOSS, data));
    expect(done.text).toMatch(new RegExp(`In ${before} regels? van het logboek staat nu een schuilnaam`));
    expect((await repos.audit.list(ROUND)).some((e) => e.actorId === applicantId(3))).toBe(false);
    expect((await repos.audit.list('global')).filter((e) => e.action === 'person.anonymised')).toHaveLength(1);
    const again = readCard(await press(BOSS, data));
    expect(again.text).toContain('Dit was al geanonimiseerd');
    expect((await repos.audit.list('global')).filter((e) => e.action === 'person.anonymised')).toHaveLength(1);
  });

  it('an unknown reference is "not found"', async () => {
    const [card] = await say(BOSS, 'anonimiseer LB-2026-999');
    expect(readCard(card).text).toContain('Er is geen aanvraag met dat kenmerk');
  });
});
