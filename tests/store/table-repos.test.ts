import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDraft, withStep } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { formatReference } from '../../src/domain/reference';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { memoryRepos } from '../../src/store/memory-repos';
import type { Repos } from '../../src/ports';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { NOW, round } from '../fixtures';

let azurite: RunningAzurite;
let repos: Repos;
let n = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  const clients = tableClients(azurite.connectionString, 'T');
  await ensureTables(clients);
  await ensureTables(clients); // a second start must not fail on existing tables
  repos = tableRepos(clients);
});
afterAll(() => azurite?.stop());

async function freshRound() {
  const r = round({ id: `LB-${2100 + ++n}`, year: 2100 + n });
  const created = await repos.rounds.create(r, auditEvent(r.id, 'system', 'round.created', r.id, NOW));
  expect(created.ok).toBe(true);
  return r;
}

const draftIn = (roundId: string, id: string, applicantId = 'anouk') => newDraft({ id: id.padEnd(20, '0'), roundId, applicantId, now: NOW });

describe('Table Storage repositories (Azurite)', () => {
  it('round trip: a round and an application come back as they were stored', async () => {
    const r = await freshRound();
    expect((await repos.rounds.get(r.id))?.value).toEqual(r);
    expect(await repos.rounds.create(r, auditEvent(r.id, 'system', 'round.created', r.id, NOW))).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS' } });

    const d = draftIn(r.id, 'a1');
    const created = await repos.applications.create(d, auditEvent(r.id, 'anouk', 'application.created', d.id, NOW));
    expect(created.ok).toBe(true);
    const withFields = withStep(d, { organisation: "Stichting 't Hoekje", coApplicants: ['A', 'B'], amount: 7500, ambitions: ['contact'] }, 'question', NOW);
    const updated = await repos.applications.update(
      created.ok ? created.value : undefined!,
      withFields,
      auditEvent(r.id, 'anouk', 'application.step-saved', d.id, NOW),
    );
    expect(updated.ok).toBe(true);
    expect((await repos.applications.get(r.id, d.id))?.value).toEqual(withFields);
    expect((await repos.applications.listByApplicant('anouk')).map((a) => a.value.id)).toContain(d.id);
    expect(await repos.applications.listByApplicant("o'brien")).toEqual([]);
  });

  it('a stale ETag is refused (412) and changes nothing, audit included', async () => {
    const r = await freshRound();
    const d = draftIn(r.id, 'b1');
    const created = await repos.applications.create(d, auditEvent(r.id, 'anouk', 'application.created', d.id, NOW));
    const v1 = created.ok ? created.value : undefined!;
    const first = await repos.applications.update(
      v1,
      withStep(d, { title: 'first' }, 'question', NOW),
      auditEvent(r.id, 'anouk', 'application.step-saved', d.id, NOW),
    );
    expect(first.ok).toBe(true);
    const auditBefore = (await repos.audit.list(r.id)).length;
    const stale = await repos.applications.update(
      v1,
      withStep(d, { title: 'second' }, 'question', NOW),
      auditEvent(r.id, 'anouk', 'application.step-saved', d.id, NOW),
    );
    expect(stale).toEqual({ ok: false, error: { code: 'CONFLICT' } });
    expect((await repos.applications.get(r.id, d.id))?.value.fields.title).toBe('first');
    expect((await repos.audit.list(r.id)).length).toBe(auditBefore);
  });

  it('concurrent submissions get distinct, gap-free references', async () => {
    const r = await freshRound();
    const count = 12;
    const drafts = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const d = draftIn(r.id, `c${String(i).padStart(2, '0')}x`, `partner${i}`);
        const res = await repos.applications.create(d, auditEvent(r.id, `partner${i}`, 'application.created', d.id, NOW));
        if (!res.ok) throw new Error('create');
        return res.value;
      }),
    );
    const results = await Promise.all(
      drafts.map((v) =>
        repos.applications.submit(
          v,
          { ...v.value, status: 'submitted' },
          auditEvent(r.id, v.value.applicantId, 'application.submitted', v.value.id, NOW),
          (s) => formatReference('LB', r.year, s),
        ),
      ),
    );
    expect(results.every((x) => x.ok)).toBe(true);
    const refs = results.map((x) => (x.ok ? x.value.value.reference : '')).sort();
    expect(refs).toEqual(Array.from({ length: count }, (_, i) => formatReference('LB', r.year, i + 1)));
    const audit = await repos.audit.list(r.id);
    expect(
      audit
        .filter((e) => e.action === 'application.submitted')
        .map((e) => e.details?.reference)
        .sort(),
    ).toEqual(refs);
  });

  it('two instances submitting in turns: each remembers the counter it wrote, a number the other took is never reused, and a remembered counter is not read again', async () => {
    const r = await freshRound();
    // A second bot instance: its own repositories (its own remembered counters) on the same tables.
    const other = tableRepos(tableClients(azurite.connectionString, 'T'));
    const counterReads: string[] = [];
    const onRequest = (m: unknown) => {
      const req = (m as { request: ClientRequest }).request;
      if (req.method === 'GET' && decodeURIComponent(req.path).includes(`RowKey='counter'`)) counterReads.push(req.path);
    };
    subscribe('http.client.request.start', onRequest);
    try {
      const refs: string[] = [];
      for (let i = 0; i < 6; i++) {
        const instance = i % 3 === 2 ? other : repos; // repos, repos, other, repos, repos, other
        const d = draftIn(r.id, `t${i}x`, `partner${i}`);
        const made = await instance.applications.create(d, auditEvent(r.id, `partner${i}`, 'application.created', d.id, NOW));
        if (!made.ok) throw new Error('create');
        const before = counterReads.length;
        const res = await instance.applications.submit(
          made.value,
          { ...d, status: 'submitted' },
          auditEvent(r.id, d.applicantId, 'application.submitted', d.id, NOW),
          (s) => formatReference('LB', r.year, s),
        );
        expect(res.ok).toBe(true);
        refs.push(res.ok ? res.value.value.reference! : '');
        // The second of two submissions in a row on one instance uses the counter it wrote: no read.
        if (i === 1 || i === 4) expect(counterReads.length).toBe(before);
      }
      expect(refs).toEqual(Array.from({ length: 6 }, (_, i) => formatReference('LB', r.year, i + 1)));
    } finally {
      unsubscribe('http.client.request.start', onRequest);
    }
  });

  it('submitting from a stale read is refused without using a number', async () => {
    const r = await freshRound();
    const d = draftIn(r.id, 'd1');
    const created = await repos.applications.create(d, auditEvent(r.id, 'anouk', 'application.created', d.id, NOW));
    const v1 = created.ok ? created.value : undefined!;
    await repos.applications.update(v1, withStep(d, { title: 'changed' }, 'summary', NOW), auditEvent(r.id, 'anouk', 'application.step-saved', d.id, NOW));
    const res = await repos.applications.submit(v1, { ...d, status: 'submitted' }, auditEvent(r.id, 'anouk', 'application.submitted', d.id, NOW), (s) =>
      formatReference('LB', r.year, s),
    );
    expect(res).toEqual({ ok: false, error: { code: 'CONFLICT' } });
    const fresh = await repos.applications.get(r.id, d.id);
    const ok = await repos.applications.submit(
      fresh!,
      { ...fresh!.value, status: 'submitted' },
      auditEvent(r.id, 'anouk', 'application.submitted', d.id, NOW),
      (s) => formatReference('LB', r.year, s),
    );
    expect(ok.ok && ok.value.value.reference).toBe(formatReference('LB', r.year, 1));
  });

  it('stores conversation references for proactive messages', async () => {
    await repos.conversations.save({
      userId: 'u-1',
      conversationId: 'a:1',
      reference: { conversation: { id: 'a:1' } },
      locale: 'nl-NL',
      updatedAt: NOW.toISOString(),
    });
    expect(await repos.conversations.get('u-1')).toMatchObject({ conversationId: 'a:1', reference: { conversation: { id: 'a:1' } } });
    expect(await repos.conversations.get('nobody')).toBeUndefined();
  });

  it('lists every stored 1:1 conversation, one per person, the in-memory twin alike', async () => {
    const memory = memoryRepos();
    for (const r of [repos, memory]) {
      for (const [userId, locale] of [
        ['u-list-1', 'nl-NL'],
        ['u-list-2', undefined],
        ['u-list-1', 'en-GB'],
      ] as const) {
        await r.conversations.save({
          userId,
          conversationId: `a:${userId}`,
          reference: { user: { aadObjectId: userId } },
          ...(locale ? { locale } : {}),
          updatedAt: NOW.toISOString(),
        });
      }
      const listed = (await r.conversations.list()).filter((c) => c.userId.startsWith('u-list-')).sort((a, b) => a.userId.localeCompare(b.userId));
      expect(listed).toEqual([
        { userId: 'u-list-1', conversationId: 'a:u-list-1', reference: { user: { aadObjectId: 'u-list-1' } }, locale: 'en-GB', updatedAt: NOW.toISOString() },
        { userId: 'u-list-2', conversationId: 'a:u-list-2', reference: { user: { aadObjectId: 'u-list-2' } }, updatedAt: NOW.toISOString() },
      ]);
    }
  });

  it('answers the health check, and says so when storage is gone', async () => {
    expect(await repos.ping()).toBe(true);
    const gone = tableRepos(tableClients(azurite.connectionString.replace(/:\d+\//, ':1/'), 'T'));
    expect(await gone.ping()).toBe(false);
  });
});
