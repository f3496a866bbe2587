import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { Application, STEPS } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { decide, propose } from '../../src/domain/allocation';
import type { PanelMember } from '../../src/domain/panel';
import { formatReference } from '../../src/domain/reference';
import type { ResultsReport } from '../../src/domain/results';
import { Round, roundIdFor } from '../../src/domain/round';
import { demoRound } from '../../src/domain/demo-round';
import type { ScoreSheet } from '../../src/domain/scoring';
import { validateStep } from '../../src/domain/validation';
import type { DecisionRecord } from '../../src/domain/decision';
import type { ReviewRecord } from '../../src/domain/review';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import type { Versioned } from '../../src/domain/versioned';
import { applicationToEntity, auditToEntity, jsonEntity, reviewEntity, ROW, roundToEntity } from '../../src/store/entities';
import { candidatesOf } from '../../src/usecases/allocation-proposal';
import { reviewContextFrom } from '../../src/usecases/load-review';
import { VALID_INPUT } from '../fixtures';

/**
 * A large round made without going through Teams: every application submitted, posted, scored by
 * the whole panel and closed (status "beoordeeld"), the round closed. The same data can be written
 * to Table Storage as the repositories store it (their own entity mappers, 100-row transactions)
 * or used as an in-memory RoundSnapshot.
 */
export interface ScaleRound {
  round: Round;
  panel: PanelMember[];
  apps: Application[];
  reviews: Map<string, ReviewRecord>;
  sheets: Map<string, ScoreSheet[]>;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same round. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SCALE_PANEL = 3;

export function scaleRound(n: number, now: Date, options: { year?: number; panel?: number } = {}): ScaleRound {
  const rnd = random(20260523);
  const year = options.year ?? now.getUTCFullYear() + 1;
  const base = demoRound(now);
  const round: Round = {
    ...base,
    id: roundIdFor('LB', year),
    year,
    name: `Wijkgericht leerbudget ${year} (schaalproef)`,
    status: 'closed',
    criteria: base.criteria,
  };
  const at = now.toISOString();
  const panel: PanelMember[] = Array.from({ length: options.panel ?? SCALE_PANEL }, (_, i) => ({
    userId: `00000000-0000-4000-8000-${String(900 + i).padStart(12, '0')}`,
    mri: `29:scale-${i}`,
    name: `Panellid ${i + 1}`,
    role: i === 0 ? 'gemeente' : i === 1 ? 'ervaringsdeskundige' : 'partner',
    ...(i >= 2 ? { organisation: `Panelorganisatie ${i}` } : {}),
    addedBy: 'system',
    addedAt: at,
  }));
  const fields = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], round, 'complete');
      if (!v.ok) throw new Error(`fixture step ${s} does not validate`);
      return v.value;
    }),
  );
  const apps: Application[] = [];
  const reviews = new Map<string, ReviewRecord>();
  const sheets = new Map<string, ScoreSheet[]>();
  for (let i = 0; i < n; i++) {
    // Hex from a hash, as real application ids are (start-application.ts): spread over the key range.
    const id = createHash('sha256').update(`scale-${i}`).digest('hex').slice(0, 20);
    const submittedAt = new Date(now.getTime() - (n - i) * 60_000).toISOString();
    apps.push({
      id,
      roundId: round.id,
      applicantId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      status: 'reviewed',
      rev: 9,
      position: 'summary',
      fields: {
        ...fields,
        organisation: `Stichting Wijkpartner ${String(i % 400).padStart(3, '0')}`,
        wijk: round.wijken[i % round.wijken.length]!,
        title: `Plan ${i + 1}: samen sterk in de wijk`,
        amount: 1000 + Math.floor(rnd() * 140) * 100,
      },
      createdAt: submittedAt,
      updatedAt: submittedAt,
      reference: formatReference(round.referencePrefix, round.year, i + 1),
      submittedAt,
    });
    reviews.set(id, {
      applicationId: id,
      state: 'closed',
      claimedAt: submittedAt,
      teamId: '19:team@thread.tacv2',
      channelId: '19:beoordeling@thread.tacv2',
      serviceUrl: 'http://127.0.0.1:9/',
      tenantId: 't',
      botId: 'b',
      threadId: `19:beoordeling@thread.tacv2;messageid=${id}`,
      activityId: `scale-${id}`,
      postedAt: submittedAt,
      closedAt: at,
    });
    sheets.set(
      id,
      panel.map((m) => ({
        memberId: m.userId,
        criteriaVersion: round.criteria.version,
        scores: Object.fromEntries(round.criteria.items.map((c) => [c.id, rnd() < 0.05 ? 'na' : 1 + Math.floor(rnd() * 5)])),
        comments: rnd() < 0.3 ? { [round.criteria.items[0]!.id]: 'Sterk plan, maar de borging na het project is nog onduidelijk.' } : {},
        overall: rnd() < 0.5 ? 'Goed onderbouwd; past bij de wijk.' : '',
        at,
      })),
    );
  }
  // Closing a review keeps its result on the application (close-review.ts): so does this round.
  const roundV = { value: round, etag: 'scale' };
  for (const a of apps) {
    const bundle = { sheets: (sheets.get(a.id) ?? []).map((s) => ({ value: s, etag: 'scale' })), recusals: [], questions: [] };
    a.reviewResult = reviewContextFrom(roundV, { value: a, etag: 'scale' }, panel, bundle).result;
  }
  return { round, panel, apps, reviews, sheets };
}

const etag = (i: number | string) => `W/"datetime'bench-${i}'"`;

/** The round as RoundSnapshot, without storage. */
export function scaleSnapshot(data: ScaleRound): RoundSnapshot {
  return {
    round: { value: data.round, etag: etag('round') },
    applications: data.apps.map((a, i) => ({ value: a, etag: etag(i) })),
    panel: data.panel,
    bundles: new Map(
      data.apps.map((a) => [
        a.id,
        {
          review: { value: data.reviews.get(a.id)!, etag: etag(`rv-${a.id}`) },
          sheets: (data.sheets.get(a.id) ?? []).map((s) => ({ value: s, etag: etag(`s-${a.id}-${s.memberId}`) })),
          recusals: [],
          questions: [],
        },
      ]),
    ),
    decisions: [],
  };
}

export interface Written {
  rows: number;
  transactions: number;
  ms: number;
}

/**
 * Writes the round as the repositories store it: round, counter, panel, every application, its
 * review record and sheets, and `auditPerApp` audit records per application (a real round has
 * several: created, steps, submitted, posted, scored, closed). 100-row transactions, `parallel`
 * at a time.
 */
export async function writeScaleRound(table: TableClient, data: ScaleRound, options: { auditPerApp: number; parallel: number }): Promise<Written> {
  const started = performance.now();
  const r = data.round;
  const now = new Date(data.round.opensAt);
  const rows: TransactionAction[] = [
    ['create', roundToEntity(r)],
    ['create', { partitionKey: r.id, rowKey: ROW.counter, kind: 'counter', next: data.apps.length + 1 }],
    ...data.panel.map((m): TransactionAction => ['create', jsonEntity(r.id, ROW.panel(m.userId), 'panel', m)]),
  ];
  for (const a of data.apps) {
    rows.push(['create', applicationToEntity(a)]);
    rows.push(['create', reviewEntity(r.id, ROW.review(a.id), 'review', a.id, data.reviews.get(a.id))]);
    for (const s of data.sheets.get(a.id) ?? []) rows.push(['create', reviewEntity(r.id, ROW.sheet(a.id, s.memberId), 'sheet', a.id, s)]);
    for (let k = 0; k < options.auditPerApp; k++) {
      rows.push([
        'create',
        auditToEntity(auditEvent(r.id, a.applicantId, k === 0 ? 'application.submitted' : 'review.scored', a.id, new Date(now.getTime() + k)), randomUUID()),
      ]);
    }
  }
  const batches: TransactionAction[][] = [];
  for (let i = 0; i < rows.length; i += 100) batches.push(rows.slice(i, i + 100));
  let next = 0;
  await Promise.all(
    Array.from({ length: options.parallel }, async () => {
      while (next < batches.length) await table.submitTransaction(batches[next++]!);
    }),
  );
  return { rows: rows.length, transactions: batches.length, ms: performance.now() - started };
}

/**
 * The round after it was decided the way the bot decides (rank, then approvals of at most 90
 * lines), with `budget` as the round's budget, and results reported by `reportedShare` of the
 * awarded applicants. Pure: builds a new snapshot, for the report timings.
 */
export function decidedSnapshot(snapshot: RoundSnapshot, budget: number, now: Date, reportedShare = 0.6): RoundSnapshot {
  const round = { ...snapshot.round.value, budget };
  const { candidates } = candidatesOf({ ...snapshot, round: { ...snapshot.round, value: round } });
  const full = propose(candidates, { budget, spent: 0, allowPartial: round.allowPartialAwards, concentrationLimit: round.concentrationLimit });
  const byId = new Map(full.lines.map((l) => [l.applicationId, l]));
  const decisions: Versioned<DecisionRecord>[] = [];
  const decidedApps = new Map<string, Pick<Application, 'status' | 'decision'>>();
  let spent = 0;
  for (let i = 0; i < full.lines.length; i += 90) {
    const chunk = { ...full, lines: full.lines.slice(i, i + 90), spent };
    const decided = decide(chunk, {});
    if (!decided.ok) throw new Error(`decide: ${decided.error.code}`);
    const approvedAt = new Date(now.getTime() + i * 1000).toISOString();
    const id = `d${String(i / 90).padStart(11, '0')}`;
    decisions.push({
      value: {
        id,
        roundId: round.id,
        approvedBy: 'system',
        approvedAt,
        fingerprint: `${chunk.lines.length}-00000000`,
        budget,
        spentBefore: spent,
        total: decided.total,
        lines: decided.lines.map((d) => {
          const l = byId.get(d.applicationId)!;
          return {
            ...d,
            reference: l.reference,
            title: l.title,
            organisation: l.organisation,
            wijk: l.wijk,
            requested: l.requested,
            proposed: l.proposed,
            ...(l.score === undefined ? {} : { score: l.score }),
            ...(l.excluded ? { excluded: l.excluded } : {}),
          };
        }),
        marks: { agree: 2, disagree: 1 },
        announced: true,
      },
      etag: etag(id),
    });
    spent += decided.total;
    for (const d of decided.lines) {
      decidedApps.set(d.applicationId, {
        status: d.awarded > 0 ? 'awarded' : 'declined',
        decision: { decisionId: id, outcome: d.outcome, awarded: d.awarded, decidedAt: approvedAt },
      });
    }
  }
  let awardedSeen = 0;
  const applications = snapshot.applications.map((a) => {
    const d = decidedApps.get(a.value.id);
    if (!d) return a;
    const next: Application = { ...a.value, status: d.status, decision: d.decision! };
    if (d.status === 'awarded' && awardedSeen++ % 10 < reportedShare * 10) {
      const results: ResultsReport = {
        state: 'submitted',
        done: 'Elke week een groep met jongerenwerk en sport; twee ervaringsdeskundigen leidden mee.',
        reached: '38 jongeren uit de wijk, van wie 12 nieuw.',
        learned: 'Samen met de school werven werkt beter dan flyers.',
        indicators: 'deelnemers: 38; verwijzingen: -20%',
        spent: Math.max(0, d.decision!.awarded - 250),
        updatedAt: now.toISOString(),
        submittedAt: now.toISOString(),
      };
      next.results = results;
      next.status = 'results_reported';
    }
    return { value: next, etag: a.etag };
  });
  return { ...snapshot, round: { ...snapshot.round, value: round }, applications, decisions, ledger: { value: { spent }, etag: etag('ledger') } };
}
