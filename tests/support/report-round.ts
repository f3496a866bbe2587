import { auditEvent } from '../../src/domain/audit';
import type { ResultsReport } from '../../src/domain/results';
import type { Repos } from '../../src/ports';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { memoryRepos } from '../../src/store/memory-repos';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { withdrawApplication } from '../../src/usecases/withdraw-application';
import { NOW } from '../fixtures';
import { ACCOUNTHOUDER, AppSpec, applicantId, REVIEWER, reviewedRound } from './rounds';
import type { Application } from '../../src/domain/application';
import type { Round } from '../../src/domain/round';

/** People in the fixture: none of them may ever appear in a publishable export. */
export const CONTACTS = [
  { name: 'Fatima Yilmaz', email: 'f.yilmaz@buurtkracht.example', phone: '06 1234 5678' },
  { name: 'Pieter de Boer', email: 'pieter.deboer@taalhuis.example', phone: '038-4567890' },
  { name: 'Anouk Bakker', email: 'anouk@buurtkracht.example', phone: '+31 38 123 4567' },
  { name: 'Kees van Dijk', email: 'kees@sportbedrijf.example', phone: '0381112233' },
  { name: 'Lotte Mulder', email: 'lotte@devlinder.example', phone: '06-87654321' },
  { name: 'Mohamed El Amrani', email: 'm.elamrani@wijkcentrum.example', phone: '038 999 0000' },
  { name: 'Jan Visser', email: 'jan@jvcoaching.example', phone: '06 5555 4444' },
];
export const PANEL_NAMES = ['Sanne de Vries', 'Ingrid Jansen'];
export const PANEL_IDS = ['00000000-0000-4000-8000-0000000000e2', '00000000-0000-4000-8000-0000000000e3'];
/** A title that names a person: the reason titles stay out of the Woo export. */
export const PERSONAL_TITLE = 'Moestuin van opa Henk Jansen';

/**
 * A round taken through the real use cases to a decision and into the results season:
 * 7 applications (one of them withdrawn, one knocked out), one approval with a lowered amount and
 * a partial award, two submitted results reports and one draft.
 */
export async function reportRound(
  repos: Repos = memoryRepos(),
  /** The round otherwise (its own form), and fields every application has on top (the answers to that form). */
  options: { round?: Partial<Round>; fields?: (i: number) => Partial<Application['fields']> } = {},
): Promise<{ repos: Repos; roundId: string; ids: string[]; snapshot: () => Promise<RoundSnapshot> }> {
  const extra = options.fields ?? (() => ({}));
  const specs: AppSpec[] = [
    { requested: 15_000, score: 5, organisation: 'Stichting Buurtkracht Zwolle', wijk: 'Holtenbroek' },
    { requested: 12_000, score: 5, organisation: 'Taalhuis De Brug', wijk: 'Stadshagen' },
    { requested: 10_000, score: 4, organisation: 'Buurtkracht Zwolle', wijk: 'Holtenbroek' },
    { requested: 9_000, score: 4, organisation: 'Sportbedrijf Zwolle', wijk: 'Stadsbreed' },
    { requested: 8_000, score: 3, organisation: 'Speeltuin De Vlinder', wijk: 'Assendorp' },
    { requested: 5_000, score: 'knockout', organisation: 'Wijkcentrum Oost', wijk: 'Berkum' },
    { requested: 6_000, score: 3, organisation: 'Jan Visser Coaching', wijk: 'Westenholte' },
  ];
  const { deps, round, ids } = await reviewedRound(
    repos,
    specs.map((s, i) => ({ ...s, fields: { ...s.fields, ...extra(i) } })),
    options.round,
  );
  await addPanelMember(deps, {
    actorId: ACCOUNTHOUDER,
    person: { userId: PANEL_IDS[0]!, mri: '29:sanne', name: PANEL_NAMES[0]! },
    role: 'partner',
    organisation: 'Wijkpartners Zwolle',
  });
  await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: { userId: PANEL_IDS[1]!, mri: '29:ingrid', name: PANEL_NAMES[1]! }, role: 'gemeente' });

  // Every application gets its own contact person, as partners would type them.
  for (const [i, id] of ids.entries()) {
    const cur = (await repos.applications.get(round.id, id))!;
    const c = CONTACTS[i]!;
    const fields = { ...cur.value.fields, contactName: c.name, contactEmail: c.email, contactPhone: c.phone, ...(i === 4 ? { title: PERSONAL_TITLE } : {}) };
    const saved = await repos.applications.update(
      cur,
      { ...cur.value, fields, rev: cur.value.rev + 1 },
      auditEvent(round.id, 'system', 'application.step-saved', id, NOW),
    );
    if (!saved.ok) throw new Error('contact');
  }
  const withdrawn = await withdrawApplication(deps, { applicantId: applicantId(6), roundId: round.id, applicationId: ids[6]! });
  if (!withdrawn.ok) throw new Error(`withdraw: ${withdrawn.error.code}`);

  const cp = (await currentProposal(deps, round.id))!;
  const approved = await approveAllocation(deps, {
    actorId: ACCOUNTHOUDER,
    roundId: round.id,
    fingerprint: cp.fingerprint,
    adjustments: { [ids[1]!]: { amount: 11_000 } },
  });
  if (!approved.ok) throw new Error(`approve: ${approved.error.code}`);

  const report = async (i: number, results: Omit<ResultsReport, 'updatedAt'>) => {
    const cur = (await repos.applications.get(round.id, ids[i]!))!;
    const at = NOW.toISOString();
    const next = {
      ...cur.value,
      rev: cur.value.rev + 1,
      ...(results.state === 'submitted' ? { status: 'results_reported' as const } : {}),
      results: { ...results, updatedAt: at },
    };
    const saved = await repos.applications.update(cur, next, auditEvent(round.id, cur.value.applicantId, 'application.step-saved', cur.value.id, NOW));
    if (!saved.ok) throw new Error('results');
  };
  await report(0, {
    state: 'submitted',
    done: 'Wekelijkse groep voor jongeren met somberheid, samen met jongerenwerk.\nIn de zomer een kamp.',
    reached: '38 jongeren uit Holtenbroek, 12 ouders.',
    learned: 'Ervaringsdeskundigen maken het verschil | vooral bij de eerste stap.',
    indicators: 'deelnemers: 38; verwijzingen jeugd-GGZ: -30%',
    spent: 14_500,
    submittedAt: NOW.toISOString(),
  });
  await report(2, {
    state: 'submitted',
    done: 'Buurtmaaltijden.',
    reached: '60 bewoners.',
    learned: 'Vaste dag werkt.',
    indicators: 'maaltijden: 24',
    spent: 10_400,
    submittedAt: NOW.toISOString(),
  });
  await report(1, { state: 'draft', done: 'Half af' });
  return { repos, roundId: round.id, ids, snapshot: async () => (await repos.allocation.snapshot(round.id))! };
}

/** Every value in the fixture that identifies a person (names, addresses, numbers, ids). */
export function personalValues(snapshot: RoundSnapshot): string[] {
  const values = new Set<string>();
  for (const a of snapshot.applications) {
    const f = a.value.fields;
    for (const v of [f.contactName, f.contactEmail, f.contactPhone, a.value.applicantId]) if (v) values.add(v);
    for (const part of (f.contactName ?? '').split(' ')) if (part.length > 3 && /^[A-Z]/.test(part)) values.add(part);
  }
  for (const m of snapshot.panel) [m.name, m.userId, m.mri].forEach((v) => values.add(v));
  for (const d of snapshot.decisions) values.add(d.value.approvedBy);
  values.add(ACCOUNTHOUDER);
  values.add(REVIEWER);
  return [...values];
}
