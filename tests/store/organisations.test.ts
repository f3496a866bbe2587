import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import { addAlias, newOrganisation, Organisation, validateOrganisationInput } from '../../src/domain/organisation';
import type { Repos } from '../../src/ports';
import { memoryRepos } from '../../src/store/memory-repos';
import { tableRepos } from '../../src/store/table-repos';
import { ensureTables, tableClients } from '../../src/store/tables';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { NOW } from '../fixtures';
import { linkApplication } from '../../src/usecases/organisations';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

let tables = 0;
const twins: [string, () => Promise<Repos>][] = [
  ['memory', async () => memoryRepos()],
  [
    'Table Storage (Azurite)',
    async () => {
      // A table of its own per test: every test starts with an empty registry.
      const clients = tableClients(azurite.connectionString, `Org${++tables}`);
      await ensureTables(clients);
      return tableRepos(clients);
    },
  ],
];

let ids = 0;
function entry(name: string, extra: { kvk?: string; aliases?: string[]; by?: string } = {}): Organisation {
  const valid = validateOrganisationInput({ name, ...(extra.kvk ? { kvk: extra.kvk } : {}), aliases: extra.aliases ?? [] });
  if (!valid.ok) throw new Error(`invalid test input ${JSON.stringify(valid.error)}`);
  const id = `org-${(++ids).toString(16).padStart(12, '0')}`;
  return newOrganisation(valid.value, { id, createdBy: extra.by ?? 'boss', now: NOW, source: 'accounthouder' });
}
const registered = (org: Organisation, by = 'boss') => auditEvent(GLOBAL, by, 'organisation.registered', org.id, NOW, { source: org.source });
const updated = (org: Organisation) => auditEvent(GLOBAL, 'boss', 'organisation.updated', org.id, NOW, { aliases: org.aliases.length });

describe.each(twins)('organisation registry: %s', (_name, make) => {
  it('round trip: an entry comes back as stored, with one audit record in the global partition and no name in it', async () => {
    const repos = await make();
    const bk = entry('Stichting Buurtkracht Zwolle', { kvk: '12345678', aliases: ['Buurtkracht'] });
    const created = await repos.organisations.create(bk, registered(bk));
    expect(created.ok).toBe(true);
    expect((await repos.organisations.get(bk.id))?.value).toEqual(bk);
    expect((await repos.organisations.list()).map((o) => o.value)).toEqual([bk]);
    expect(await repos.organisations.get('org-ffffffffffff')).toBeUndefined();
    const audit = (await repos.audit.list(GLOBAL)).filter((e) => e.action === 'organisation.registered');
    expect(audit).toEqual([expect.objectContaining({ subjectId: bk.id, actorId: 'boss' })]);
    expect(JSON.stringify(audit)).not.toMatch(/buurtkracht/i);
  });

  it('refuses a second entry with the same id, normalised name, alias or KvK number, and says which entry has it', async () => {
    const repos = await make();
    const bk = entry('Stichting Buurtkracht Zwolle', { kvk: '12345678', aliases: ['BK Zwolle'] });
    expect((await repos.organisations.create(bk, registered(bk))).ok).toBe(true);
    const attempts = [
      { ...entry('Iets anders'), id: bk.id },
      entry('BUURTKRACHT ZWOLLE'),
      entry('Buurtkracht Zwolle B.V.'),
      entry('Nieuw', { aliases: ['Stichting BK Zwolle'] }),
      entry('Ander', { kvk: '12345678' }),
    ];
    for (const other of attempts) {
      expect(await repos.organisations.create(other, registered(other))).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', existingId: bk.id } });
    }
    expect((await repos.organisations.list()).map((o) => o.value.id)).toEqual([bk.id]);
    expect((await repos.audit.list(GLOBAL)).filter((e) => e.action === 'organisation.registered')).toHaveLength(1);
  });

  it('an update is ETag-guarded; a new alias that is another entry’s name is refused and changes nothing', async () => {
    const repos = await make();
    const bk = entry('Stichting Buurtkracht Zwolle');
    const sp = entry('Sportbedrijf Zwolle');
    const v1 = (await repos.organisations.create(bk, registered(bk))).ok ? (await repos.organisations.get(bk.id))! : undefined!;
    expect((await repos.organisations.create(sp, registered(sp))).ok).toBe(true);

    const withAlias = addAlias(bk, 'Buurtkracht', await repos.organisations.list().then((l) => l.map((o) => o.value)));
    expect(withAlias.ok).toBe(true);
    const next = withAlias.ok ? withAlias.value : bk;
    const v2 = await repos.organisations.update(v1, next, updated(next));
    expect(v2.ok).toBe(true);
    expect(await repos.organisations.update(v1, { ...bk, aliases: ['BK'] }, updated(bk))).toEqual({ ok: false, error: { code: 'CONFLICT' } });

    const current = (await repos.organisations.get(bk.id))!;
    expect(current.value).toEqual(next);
    const taken = { ...current.value, aliases: [...current.value.aliases, 'Stichting Sportbedrijf Zwolle'] };
    expect(await repos.organisations.update(current, taken, updated(taken))).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', existingId: sp.id } });
    expect((await repos.organisations.get(bk.id))?.value).toEqual(next);
    // The alias is the entry's now: nobody else can register it.
    const shorter = entry('buurtkracht');
    expect(await repos.organisations.create(shorter, registered(shorter))).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', existingId: bk.id } });
  });

  it('a name or alias given up is free again; the entry keeps the ones it kept', async () => {
    const repos = await make();
    const bk = entry('Buurtkracht Zwolle', { aliases: ['Buurtkracht', 'BK'] });
    await repos.organisations.create(bk, registered(bk));
    const current = (await repos.organisations.get(bk.id))!;
    const renamed = { ...bk, name: 'Buurtkracht Zwolle en Omstreken', aliases: ['BK'] };
    expect((await repos.organisations.update(current, renamed, updated(renamed))).ok).toBe(true);
    const freed = entry('Buurtkracht');
    expect((await repos.organisations.create(freed, registered(freed))).ok).toBe(true);
    const oldName = entry('Buurtkracht Zwolle');
    expect((await repos.organisations.create(oldName, registered(oldName))).ok).toBe(true);
    const kept = entry('Stichting BK');
    expect(await repos.organisations.create(kept, registered(kept))).toEqual({ ok: false, error: { code: 'ALREADY_EXISTS', existingId: bk.id } });
  });

  it('race: ten registrations of one organisation at the same moment, in as many spellings, make exactly one entry', async () => {
    const repos = await make();
    // Every one of them is "buurtkracht" once normalised; some bring a KvK number too.
    const spellings = [
      'Buurtkracht',
      'Stichting Buurtkracht',
      'BUURTKRACHT',
      'buurtkracht',
      'Buurtkracht B.V.',
      'Stichting  Búurtkracht ',
      'Buurt\u200bkracht',
      'Vereniging Buurtkracht!',
      'Buurtkracht (stichting)',
      'Ｂｕｕｒｔｋｒａｃｈｔ',
    ];
    const orgs = spellings.map((name, i) => entry(name, { kvk: i % 3 === 0 ? '12345678' : undefined, by: `applicant${i}` }));
    const results = await Promise.all(orgs.map((o) => repos.organisations.create(o, registered(o, o.createdBy))));
    const won = results.flatMap((r, i) => (r.ok ? [orgs[i]!] : []));
    expect(won).toHaveLength(1);
    // Every other one is refused, and learns which entry it would have duplicated.
    expect(results.filter((r) => !r.ok)).toEqual(Array(9).fill({ ok: false, error: { code: 'ALREADY_EXISTS', existingId: won[0]!.id } }));
    expect((await repos.organisations.list()).map((o) => o.value.id)).toEqual([won[0]!.id]);
    expect((await repos.audit.list(GLOBAL)).filter((e) => e.action === 'organisation.registered')).toHaveLength(1);
  });

  it('race: five different names with one KvK number at the same moment make one entry', async () => {
    const repos = await make();
    const orgs = ['BK Zwolle', 'Wijkteam Zuid', 'Buurtkracht', 'Het Buurthuis', 'Kracht in de Wijk'].map((name) => entry(name, { kvk: '8765 4321' }));
    const results = await Promise.all(orgs.map((o) => repos.organisations.create(o, registered(o))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await repos.organisations.list()).toHaveLength(1);
  });

  it('race: two entries taking the same alias at the same moment: one gets it', async () => {
    const repos = await make();
    const a = entry('Buurtkracht Zwolle Noord');
    const b = entry('Buurtkracht Zwolle Zuid');
    await repos.organisations.create(a, registered(a));
    await repos.organisations.create(b, registered(b));
    const [va, vb] = [(await repos.organisations.get(a.id))!, (await repos.organisations.get(b.id))!];
    const results = await Promise.all([
      repos.organisations.update(va, { ...a, aliases: ['Buurtkracht'] }, updated(a)),
      repos.organisations.update(vb, { ...b, aliases: ['Stichting Buurtkracht'] }, updated(b)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const holders = (await repos.organisations.list()).filter((o) => o.value.aliases.length);
    expect(holders).toHaveLength(1);
  });

  it('an audit event of a round is a programming error: the registry belongs to no round', async () => {
    const repos = await make();
    const o = entry('Sportbedrijf');
    await expect(repos.organisations.create(o, auditEvent('LB-2026', 'boss', 'organisation.registered', o.id, NOW))).rejects.toThrow(RangeError);
  });
});

describe('the recent copy of the registry used for linking (Table Storage)', () => {
  it('sees its own writes at once; another instance’s new entry may be missing from it, and linking still links that entry rather than registering a second', async () => {
    const prefix = `Org${++tables}`;
    const clients = tableClients(azurite.connectionString, prefix);
    await ensureTables(clients);
    const here = tableRepos(clients);
    // A second bot instance on the same tables: its own repositories, its own copy.
    const there = tableRepos(tableClients(azurite.connectionString, prefix));
    expect(await here.organisations.listRecent()).toEqual([]);

    const own = entry('Stichting Eigen Huis');
    expect((await here.organisations.create(own, registered(own))).ok).toBe(true);
    expect((await here.organisations.listRecent()).map((v) => v.value.id)).toEqual([own.id]);
    const current = (await here.organisations.get(own.id))!;
    const renamed = addAlias(current.value, 'Huis aan de Vecht', [current.value]);
    if (!renamed.ok) throw new Error(renamed.error.code);
    expect((await here.organisations.update(current, renamed.value, updated(renamed.value))).ok).toBe(true);
    expect((await here.organisations.listRecent())[0]!.value.aliases).toEqual(['Huis aan de Vecht']);

    // Registered through the other instance: this instance's copy (read just now) does not have it yet.
    const elsewhere = entry('Stichting Buurtkracht Zwolle', { aliases: ['Buurtkracht'] });
    expect((await there.organisations.create(elsewhere, registered(elsewhere))).ok).toBe(true);
    expect((await here.organisations.listRecent()).map((v) => v.value.id)).toEqual([own.id]);
    expect((await here.organisations.list()).map((v) => v.value.id).sort()).toEqual([own.id, elsewhere.id].sort());

    // Linking by that copy tries to register the name, is refused on its key and links the other instance's entry.
    const linked = await linkApplication({ repos: here, clock: { now: () => NOW } }, { organisation: 'Buurtkracht' }, 'anouk');
    expect(linked.ok && linked.value).toMatchObject({ organisation: { id: elsewhere.id }, registered: false });
    expect((await here.organisations.list()).length).toBe(2);
  });
});
