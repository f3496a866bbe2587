import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, channelMessage, INGRID, personalMessage, readCard, TENANT } from '../support/teams';

/** Only the municipality's tenant is served: another tenant's users and channels are refused at the door, with nothing written. */
const OTHER = '0f0f0f0f-1111-4222-8333-444444444444';
let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
beforeAll(async () => {
  h = await startHarness({ env: { ALLOWED_TENANT_IDS: TENANT, ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
});
afterAll(() => h?.stop());

const elsewhere = <T extends { conversation: object; channelData: object }>(a: T, tenant: string | undefined = OTHER): T => ({
  ...a,
  conversation: { ...a.conversation, tenantId: tenant },
  channelData: { ...a.channelData, tenant: tenant ? { id: tenant } : undefined },
});

describe('the tenant door', () => {
  it('serves the own tenant', async () => {
    expect(readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {}))).text).toMatch(/leerbudget/i);
  });

  it('a user of another tenant cannot start an application: a card says why, no draft, no audit line', async () => {
    const round = (await repos.rounds.list())[0]!.id;
    const before = (await repos.audit.list(round)).length;
    for (const tenant of [OTHER, undefined]) {
      const card = readCard(
        await h.invoke(
          elsewhere(
            cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
              token: `tenant-${tenant ?? 'none'}-1`,
              partnerInSocialeBasis: 'yes',
              activeInMunicipality: 'yes',
              collectiveAnswer: 'yes',
            }),
            tenant,
          ),
        ),
      );
      expect(card.text).toContain('alleen voor de organisatie van de gemeente');
    }
    expect(await repos.applications.listByApplicant(ANOUK.aadObjectId)).toEqual([]);
    expect((await repos.audit.list(round)).length).toBe(before);
  });

  it('a channel of another tenant cannot be linked, even by an accounthouder', async () => {
    const before = (await repos.rounds.list())[0]!;
    h.connector.clear();
    await h.send(elsewhere(channelMessage(h.connector.url, INGRID, 'koppel beoordeling')));
    expect(h.connector.posted.some((p) => String(p.activity.text ?? '').includes('alleen voor de organisatie van de gemeente'))).toBe(true);
    expect((await repos.rounds.list())[0]!.routing).toEqual(before.routing);
    expect(await repos.conversations.get(INGRID.aadObjectId)).toBeUndefined();
  });

  it('other invokes of another tenant still get a valid answer', async () => {
    const res = await h.send({ ...elsewhere(personalMessage(h.connector.url, ANOUK, 'x')), type: 'invoke', name: 'task/fetch', value: {} });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ task: { type: 'message', value: expect.stringContaining('gemeente') } });
  });

  it('production needs a tenant: the bot’s own by default, or ALLOWED_TENANT_IDS', () => {
    const base = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', MicrosoftAppId: 'a', MicrosoftAppPassword: 'p' };
    expect(() => loadConfig(base)).toThrow(/ALLOWED_TENANT_IDS/);
    expect(loadConfig({ ...base, MicrosoftAppTenantId: TENANT.toUpperCase() }).allowedTenants).toEqual([TENANT.toLowerCase()]);
    expect(loadConfig({ ...base, MicrosoftAppTenantId: OTHER, ALLOWED_TENANT_IDS: `${TENANT}, ${OTHER}` }).allowedTenants).toEqual([TENANT, OTHER]);
  });
});
