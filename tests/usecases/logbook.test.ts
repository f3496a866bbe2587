import { describe, expect, it } from 'vitest';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import { logbookLabels } from '../../src/i18n/logbook';
import { memoryRepos } from '../../src/store/memory-repos';
import { logbook, LOGBOOK_PAGE } from '../../src/usecases/logbook';
import { NOW, round } from '../fixtures';
import { ACCOUNTHOUDER, reviewedRound } from '../support/rounds';

/** Round LB-2026 with two reviewed applications; another round with 30 records of its own; records in the global partition. */
async function world() {
  const repos = memoryRepos();
  const setup = await reviewedRound(repos, [
    { requested: 10_000, score: 4 },
    { requested: 12_000, score: 3 },
  ]);
  const other = round({ id: 'LB-2027', year: 2027 });
  await repos.rounds.create(other, auditEvent(other.id, ACCOUNTHOUDER, 'round.created', other.id, NOW));
  for (let i = 0; i < 30; i++) await repos.audit.record(auditEvent(other.id, 'system', 'reminder.sent', `r${i}`, new Date(NOW.getTime() + i * 60_000)));
  await repos.audit.record(auditEvent(GLOBAL, ACCOUNTHOUDER, 'logbook.exported', ACCOUNTHOUDER, NOW));
  const read: string[] = [];
  const list = repos.audit.list.bind(repos.audit);
  repos.audit.list = async (roundId: string) => {
    read.push(roundId);
    return list(roundId);
  };
  return {
    deps: { ...setup.deps, repos },
    roundId: setup.round.id,
    ids: setup.ids,
    read,
    all: async () => [...(await list(setup.round.id)), ...(await list(other.id)), ...(await list(GLOBAL))],
  };
}

const page = (deps: Awaited<ReturnType<typeof world>>['deps'], extra: { reference?: string; page?: number } = {}) =>
  logbook(deps, {
    actorId: ACCOUNTHOUDER,
    lang: 'nl',
    page: extra.page ?? 1,
    labels: logbookLabels('nl'),
    ...(extra.reference ? { reference: extra.reference } : {}),
  });

describe('logboek: reads only what the filter needs', () => {
  it('filtered by reference, it reads the audit of that application’s round and the global partition only, and finds every record about it', async () => {
    const w = await world();
    w.read.length = 0;
    const res = await page(w.deps, { reference: 'lb-2026-001' });
    if (!res.ok) throw new Error(res.error.code);
    expect(res.value.reference).toBe('LB-2026-001');
    expect(w.read.sort()).toEqual([GLOBAL, w.roundId].sort());
    const about = (await w.all()).filter((e) => e.subjectId === w.ids[0]);
    expect(about.length).toBeGreaterThan(2);
    expect(res.value.matched).toBe(about.length);
    expect(res.value.rows.every((r) => r.subject?.kind === 'application' && r.subject.reference === 'LB-2026-001')).toBe(true);
  });

  it('without a filter it reads every round and the global partition, pages by 20 newest first, and words only the page', async () => {
    const w = await world();
    w.read.length = 0;
    const first = await page(w.deps);
    if (!first.ok) throw new Error(first.error.code);
    expect(new Set(w.read)).toEqual(new Set([w.roundId, 'LB-2027', GLOBAL]));
    const total = (await w.all()).length;
    expect(first.value.matched).toBe(total);
    expect(first.value.rows).toHaveLength(LOGBOOK_PAGE);
    const last = await page(w.deps, { page: first.value.pages });
    if (!last.ok) throw new Error(last.error.code);
    expect(last.value.rows).toHaveLength(total - (first.value.pages - 1) * LOGBOOK_PAGE);
    const times = [...first.value.rows, ...last.value.rows].map((r) => r.at);
    expect(times.slice(0, LOGBOOK_PAGE)).toEqual([...times.slice(0, LOGBOOK_PAGE)].sort().reverse());
  });
});
