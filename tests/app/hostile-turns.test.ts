import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL } from '../../src/domain/audit';
import { toRawSettings } from '../../src/domain/round-settings';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startHarness } from '../support/harness';
import { cardAction, INGRID, PETER, readCard } from '../support/teams';

/**
 * Every accounthouder verb, pressed by someone who is not one, with card data that claims to be
 * the accounthouder (identity fields, a role flag, unknown keys): refused, and nothing is written.
 */
let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
let roundId = '';
beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  roundId = (await repos.rounds.list())[0]!.id;
});
afterAll(() => h?.stop());

const claims = {
  actorId: INGRID.aadObjectId,
  userId: INGRID.aadObjectId,
  aadObjectId: INGRID.aadObjectId,
  from: { aadObjectId: INGRID.aadObjectId },
  role: 'accounthouder',
  accounthouder: 'true',
  isAccounthouder: true,
};
const app = 'a'.repeat(20);

describe('accounthouder verbs refuse everyone else, whatever the card says', () => {
  const cases: [string, () => Promise<Record<string, unknown>>][] = [
    ['round.show', async () => ({ roundId })],
    [
      'round.save',
      async () => {
        const r = (await repos.rounds.get(roundId))!;
        return { roundId, etag: r.etag, ...toRawSettings(r.value), budget: '1' };
      },
    ],
    ['round.status', async () => ({ roundId, from: 'open', to: 'closed', confirmed: 'true' })],
    ['round.create', async () => ({ year: 2031 })],
    ['criteria.show', async () => ({ roundId })],
    ['criteria.save', async () => ({ roundId, version: 1, 'integraal.title': 'Gekaapt' })],
    ['alloc.show', async () => ({ roundId })],
    ['alloc.approve', async () => ({ roundId, fingerprint: '1-0000abcd' })],
    ['alloc.share', async () => ({ roundId, fingerprint: '1-0000abcd' })],
    ['alloc.page', async () => ({ roundId, fingerprint: '1-0000abcd', page: 1 })],
    ['alloc.marks', async () => ({ roundId, fingerprint: '1-0000abcd', page: 0, marksPage: 1 })],
    ['consult.show', async () => ({ roundId })],
    ['consult.start', async () => ({ roundId, closesAt: '2030-01-01', invitePanel: 'true' })],
    ['consult.decide', async () => ({ roundId, proposalId: 'x|y', accept: 'true', replyField: 'reply0', reply0: 'ja' })],
    ['consult.publish', async () => ({ roundId })],
    ['report.allocation', async () => ({ roundId })],
    ['report.results', async () => ({ roundId })],
    ['overview.show', async () => ({ roundId })],
    ['apps.list', async () => ({ roundId, page: 1, status: 'all' })],
    ['apps.export', async () => ({ roundId, named: 'true' })],
    ['review.stuck', async () => ({ roundId })],
    ['review.extend', async () => ({ roundId, applicationId: app, [`day_${app}`]: '2030-01-01' })],
    ['review.settle', async () => ({ roundId, applicationId: app, [`reason_${app}`]: 'Omdat het kan.' })],
    ['panel.add', async () => ({ person: PETER.aadObjectId, role: 'gemeente', accounthouder: 'true' })],
    ['panel.remove', async () => ({ userId: INGRID.aadObjectId })],
    ['form.open', async () => ({ roundId, stepId: 'budget' })],
    ['form.preview', async () => ({ roundId, stepId: 'budget' })],
    ['form.question', async () => ({ roundId, version: 1, questionId: 'title' })],
    ['form.new', async () => ({ roundId, version: 1, stepId: 'results', type: 'field:evidence' })],
    ['form.save', async () => ({ roundId, version: 1, stepId: 'results', questionId: '_new', type: 'shortText', labelNl: 'Gekaapt', labelEn: 'Hijacked' })],
    ['form.move', async () => ({ roundId, version: 1, questionId: 'title', direction: 'up' })],
    ['form.remove', async () => ({ roundId, version: 1, questionId: 'contactPhone', confirmed: 'true' })],
    ['form.rename', async () => ({ roundId, version: 1, stepId: 'budget', titleNl: 'Gekaapt', titleEn: 'Hijacked' })],
  ];

  it.each(cases)('%s', async (verb, data) => {
    const before = {
      audit: (await repos.audit.list(roundId)).length + (await repos.audit.list(GLOBAL)).length,
      round: (await repos.rounds.get(roundId))!.etag,
      rounds: (await repos.rounds.list()).length,
    };
    const raw = await h.invoke(cardAction(h.connector.url, PETER, verb, { ...(await data()), ...claims }));
    const card = readCard(raw);
    expect(card.text).toMatch(/accounthouder|niet gevonden|bestaat niet|Dat ging niet goed|mag alleen/i);
    expect(JSON.stringify(raw)).not.toContain('/api/reports/');
    expect((await repos.audit.list(roundId)).length + (await repos.audit.list(GLOBAL)).length).toBe(before.audit);
    expect((await repos.rounds.get(roundId))!.etag).toBe(before.round);
    expect((await repos.rounds.list()).length).toBe(before.rounds);
    expect(await repos.roles.isAccounthouder(PETER.aadObjectId)).toBe(false);
  });
});
