import { beforeAll, describe, expect, it } from 'vitest';
import { allocationReportData } from '../../src/domain/council-report';
import type { ReviewFacts } from '../../src/domain/review-result';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { allocationMarkdown } from '../../src/reports/markdown';
import { NOW } from '../fixtures';
import { reportRound } from '../support/report-round';

/** The council report's fairness sentences come from the kept review facts and the decisions, never fixed text. */
let base: RoundSnapshot;
beforeAll(async () => {
  base = await (await reportRound()).snapshot();
});

const report = (s: RoundSnapshot) => allocationMarkdown(allocationReportData(s, NOW));
/** The snapshot with the kept facts of the application at `index` changed. */
function withFacts(s: RoundSnapshot, index: number, change: Partial<ReviewFacts>): RoundSnapshot {
  const applications = s.applications.map((a, i) => {
    if (i !== index || !a.value.reviewResult?.facts) return a;
    return { ...a, value: { ...a.value, reviewResult: { ...a.value.reviewResult, facts: { ...a.value.reviewResult.facts, ...change } } } };
  });
  return { ...s, applications };
}

describe('the fairness section of the allocation report', () => {
  it('every closed review of the fixture kept its facts; the clean record says so in numbers', () => {
    expect(base.applications.filter((a) => a.value.reviewResult).every((a) => a.value.reviewResult!.facts)).toBe(true);
    const md = report(base);
    expect(md).toContain('- Onafhankelijk: 6 beoordelingen telden mee.');
    expect(md).toContain('Niemand veranderde daarna nog een score.');
    expect(md).toContain('geen panellid hoefde zich terug te trekken');
    expect(md).toContain('geen enkele is door de accounthouder afgesloten');
    const lines = base.decisions.flatMap((d) => d.value.lines);
    const adjusted = lines.filter((l) => l.awarded !== l.proposed).length;
    expect(adjusted).toBe(1); // the fixture's accounthouder changed one amount
    expect(md).toContain(
      `- Verdeling: ${lines.length - adjusted} van de ${lines.length} besluiten volgen het voorstel dat op de scores is gerangschikt; bij 1 heeft de accounthouder het bedrag aangepast.`,
    );
    expect(md).not.toContain('Niet volgens de gewone regel');
  });

  it('a score changed after seeing others is counted, and the "nobody changed" claim disappears', () => {
    const md = report(withFacts(base, 0, { revisedAfterSeen: 1 }));
    expect(md).toContain('1 beoordeling is daarna nog veranderd');
    expect(md).not.toContain('Niemand veranderde');
  });

  it('recusals are counted by kind, with the sheets they took out', () => {
    const md = report(
      withFacts(withFacts(base, 0, { recused: { organisation: 1, declared: 0 } }), 1, { recused: { organisation: 0, declared: 2 }, excludedSheets: 1 }),
    );
    expect(md).toContain('3 keer deed een panellid niet mee: 1 automatisch');
    expect(md).toContain('2 op eigen melding');
    expect(md).toContain('1 eerder gegeven beoordeling is daarom weggelaten');
    expect(md).not.toContain('geen panellid hoefde');
  });

  it('a review closed by the accounthouder is named as an exception, with its reason', () => {
    const md = report(withFacts(base, 2, { settled: { reason: 'Alle panelleden hadden een belang.' } }));
    expect(md).toMatch(
      /Niet volgens de gewone regel: de accounthouder sloot 1 beoordeling af zonder genoeg beoordelingen\. LB-2026-\d{3}: "Alle panelleden hadden een belang\."/,
    );
    expect(md).not.toContain('geen enkele is door de accounthouder afgesloten');
  });

  it('an amount changed by the accounthouder is reported as a departure from the ranked proposal', () => {
    let changed = false;
    const decisions = base.decisions.map((d) => ({
      ...d,
      value: {
        ...d.value,
        lines: d.value.lines.map((l) =>
          !changed && l.awarded === l.proposed && l.awarded > 0 ? ((changed = true), { ...l, proposed: l.awarded + 1_000 }) : l,
        ),
      },
    }));
    expect(report({ ...base, decisions })).toContain('bij 2 heeft de accounthouder het bedrag aangepast');
    const asProposed = base.decisions.map((d) => ({ ...d, value: { ...d.value, lines: d.value.lines.map((l) => ({ ...l, proposed: l.awarded })) } }));
    expect(report({ ...base, decisions: asProposed })).toMatch(/- Verdeling: alle \d+ besluiten volgen het voorstel dat op de scores is gerangschikt\./);
  });

  it('applications still in review are not counted as reviewed', () => {
    const applications = base.applications.map((a, i) =>
      i === 0 ? { ...a, value: { ...a.value, status: 'in_review' as const, reviewResult: undefined } } : a,
    );
    const s = { ...base, applications } as RoundSnapshot;
    const d = allocationReportData(s, NOW);
    expect(d.totals.reviewed).toBe(d.totals.assessed - 1);
    expect(d.totals.inReview).toBe(1);
    expect(report(s)).toContain('1 aanvraag wordt nog beoordeeld; die tellen hier nog niet mee.');
  });

  it('the consultation is reported by the roles the store knew, unknown respondents counted, not dropped', () => {
    const roles = (partner: number, onbekend: number) => ({ partner, ervaringsdeskundige: 1, gemeente: 1, onbekend });
    const consultation = {
      roundId: base.round.value.id,
      draft: base.round.value.criteria,
      closesAt: '2026-03-01T16:00:00.000Z',
      status: 'published' as const,
      invited: [],
      startedBy: 'x',
      startedAt: '2026-02-01T09:00:00.000Z',
      publishedAt: '2026-03-02T09:00:00.000Z',
      publishedVersion: 2,
      participation: { invited: roles(5, 3), responded: roles(2, 2), proposals: 1, accepted: 1, rejected: 0 },
    };
    const md = report({ ...base, consultation });
    expect(md).toContain(
      'Persoonlijk uitgenodigd: 5 partners, 1 ervaringsdeskundige, 1 medewerker van de gemeente en 3 personen van wie de rol niet bekend is',
    );
    expect(md).toContain('Gereageerd: 2 partners, 1 ervaringsdeskundige, 1 medewerker van de gemeente en 2 personen van wie de rol niet bekend is');
  });

  it('shares per organisation count registry entries, whatever the spelling', () => {
    const lines = base.decisions.flatMap((d) => d.value.lines.filter((l) => l.awarded > 0));
    const [a, b] = [lines[0]!, lines[1]!];
    const decisions = base.decisions.map((d) => ({
      ...d,
      value: {
        ...d.value,
        lines: d.value.lines.map((l) =>
          l.applicationId === a.applicationId
            ? { ...l, organisation: 'Wijkwerk', organisationId: 'org-000000000001' }
            : l.applicationId === b.applicationId
              ? { ...l, organisation: 'Stichting Wijkwerk Noord', organisationId: 'org-000000000001' }
              : l,
        ),
      },
    }));
    const shares = allocationReportData({ ...base, decisions }, NOW).byOrganisation;
    const entry = shares.filter((x) => x.name === 'Wijkwerk' || x.name === 'Stichting Wijkwerk Noord');
    expect(entry).toHaveLength(1);
    expect(entry[0]).toMatchObject({ awards: 2, amount: a.awarded + b.awarded });
  });
});
