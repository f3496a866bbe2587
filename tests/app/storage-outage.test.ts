import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness';
import { startAzurite, azuriteConnectionString, RunningAzurite } from '../support/azurite';
import { startProxy } from '../support/proxy';
import { ANOUK, cardAction, personalMessage, readCard } from '../support/teams';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';

let azurite: RunningAzurite;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let h: Awaited<ReturnType<typeof startHarness>>;

beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startProxy(azurite.url);
  h = await startHarness({ azurite: { ...azurite, connectionString: azuriteConnectionString(proxy.url) } });
});
afterAll(async () => {
  await h?.stop();
  await proxy?.stop();
  await azurite?.stop();
});

const direct = () => tableRepos(tableClients(azurite.connectionString, h.config.storage.tablePrefix));

async function press(card: unknown, title: string, inputs: Record<string, string> = {}) {
  const a = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, ANOUK, a.verb, { ...a.data, ...inputs }));
}

describe('when storage goes away', () => {
  it('tells the user, writes nothing half, and recovers when storage returns', async () => {
    const welcome = await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {}));
    const eligibility = await press(welcome, 'Nieuwe aanvraag');
    let card = await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
    const summary = card;

    proxy.set('down');
    const refused = readCard(await press(summary, 'Indienen'));
    expect(refused.text).toContain('Er is niets veranderd');
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(503);
    h.connector.clear();
    await h.send(personalMessage(h.connector.url, ANOUK, 'mijn aanvragen'));
    expect(h.connector.posted[0]?.activity.text).toContain('Het lukte niet om je gegevens op te slaan');

    const [stored] = await direct().applications.listByApplicant(ANOUK.aadObjectId);
    expect(stored?.value).toMatchObject({ status: 'draft' });
    expect(stored?.value.reference).toBeUndefined();

    proxy.set('up');
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    const done = readCard(await press(summary, 'Indienen'));
    expect(done.text).toContain('LB-2026-001');
  });

  it('still answers an invoke within 5 seconds when storage hangs', async () => {
    proxy.set('hang');
    const started = Date.now();
    const res = await h.send(cardAction(h.connector.url, ANOUK, 'apply.list', {}));
    const elapsed = Date.now() - started;
    proxy.set('up');
    expect(res.status).toBe(200);
    expect(readCard(res.body.value).text).toContain('Er is niets veranderd');
    expect(elapsed).toBeLessThan(5000);
  });
});
