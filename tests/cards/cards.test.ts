import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/core/bot';
import { cardBytes, Card, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import { noticeCard } from '../../src/cards/notice';
import * as cards from '../../src/cards/partner-cards';
import { loadConfig } from '../../src/config';
import { newDraft, STEPS } from '../../src/domain/application';
import { LIMITS } from '../../src/domain/validation';
import { createServer } from '../../src/http/server';
import { createLogger } from '../../src/log';
import { memoryRepos } from '../../src/store/memory-repos';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock, NOW, round } from '../fixtures';
import { ANOUK, cardAction, readCard } from '../support/teams';
import { ALL_VERBS } from '../../src/app/core/verbs';

const TEMPLATE_DIR = 'cards';
const templates = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json'));

function verbsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => verbsIn(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.add(o.verb);
    Object.values(o).forEach((v) => verbsIn(v, out));
  }
  return out;
}

describe('verbs', () => {
  const inCards = new Set(templates.flatMap((f) => [...verbsIn(JSON.parse(readFileSync(`${TEMPLATE_DIR}/${f}`, 'utf8')))]));
  const registered = new Set<string>(ALL_VERBS);

  it('every verb on a card is a registered verb, and every registered verb is on a card', () => {
    expect([...inCards].sort()).toEqual([...registered].sort());
  });

  it('every registered verb reaches its own route, not the fallback for unknown verbs', async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const deps = { repos: memoryRepos(), clock: fixedClock() };
    await seedDemoRound(deps);
    const bot = createBot(loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }), deps, log);
    const server = createServer(bot, async () => true, log);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
    try {
      for (const verb of [...registered, 'apply.nonexistent']) {
        lines.length = 0;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(cardAction('http://127.0.0.1:9/', ANOUK, verb, {})),
        });
        expect(res.status, verb).toBe(200);
        expect(
          lines.some((l) => l.includes('unknown verb refused')),
          verb,
        ).toBe(verb === 'apply.nonexistent');
      }
    } finally {
      server.close();
    }
  });
});

describe('cards stay within Teams limits', () => {
  const r = round();
  const longest = (n: number) => 'Lange tekst met woorden. '.repeat(Math.ceil(n / 25)).slice(0, n);
  const full = {
    ...newDraft({ id: 'f'.repeat(20), roundId: r.id, applicantId: 'u', now: NOW }),
    reference: 'LB-2026-123',
    fields: {
      organisation: longest(LIMITS.short),
      contactName: longest(LIMITS.name),
      contactEmail: 'iemand@voorbeeld.nl',
      contactPhone: '038 123 4567',
      coApplicants: Array.from({ length: LIMITS.coApplicantsCount }, (_, i) => `Partner ${i} ${longest(40)}`),
      wijk: 'Holtenbroek',
      title: longest(LIMITS.short),
      question: longest(LIMITS.long),
      approach: longest(LIMITS.approach),
      livedExperience: longest(LIMITS.long),
      ambitions: ['contact', 'vitaal', 'kansen'] as ('contact' | 'vitaal' | 'kansen')[],
      amount: 15000,
      budgetBreakdown: longest(LIMITS.long),
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
      expectedResults: longest(LIMITS.long),
      evidence: longest(LIMITS.long),
    },
  };
  const all: [string, Card][] = (['nl', 'en'] as const).flatMap((lang) => [
    [`${lang} welcome`, cards.welcomeCard(lang, { round: r, window: 'open' }, 'x')],
    [`${lang} eligibility`, cards.eligibilityCard(lang, 'token-123456', {}, true)],
    [`${lang} not eligible`, cards.notEligibleCard(lang, ['partnerInSocialeBasis', 'activeInMunicipality', 'collectiveAnswer'])],
    ...STEPS.map((s): [string, Card] => [`${lang} step ${s}`, cards.stepCard(lang, full, r, s, { errors: { organisation: 'required', amount: 'aboveMax' } })]),
    [`${lang} summary`, cards.summaryCard(lang, full, r, 'x')],
    [`${lang} submitted`, cards.submittedCard(lang, full, true)],
    [
      `${lang} list of 100`,
      cards.myApplicationsCard(
        lang,
        Array.from({ length: 100 }, () => ({ ...full, status: 'submitted' as const })),
        true,
        'x',
      ),
    ],
    [`${lang} withdraw`, cards.withdrawConfirmCard(lang, full)],
    [`${lang} notice`, noticeCard(lang, 'x', 'y')],
  ]);

  it.each(all)('%s: under 80 KB, every template binding resolved', (_name, card) => {
    expect(cardBytes(card)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
    expect(card.version).toBe('1.5');
  });

  it.each(all)('%s: every input has a label, at most 6 actions per set', (_name, card) => {
    const { inputs } = readCard(card);
    for (const input of inputs) expect(input.label, String(input.id)).toMatch(/\S/);
    const sets: unknown[][] = [];
    JSON.stringify(card, (k, v) => (k === 'actions' && Array.isArray(v) ? (sets.push(v), v) : v));
    for (const set of sets) expect(set.length).toBeLessThanOrEqual(6);
  });

  it('long texts wrap', () => {
    for (const [, card] of all) for (const t of JSON.stringify(card).match(/"type":"TextBlock"[^}]*}/g) ?? []) expect(t).toContain('"wrap":true');
  });
});

describe('the biggest review card', () => {
  it('12 criteria, long texts, a full panel of 60 who all scored: under 80 KB, a label on every input, at most 60 refresh users', async () => {
    const { reviewCard } = await import('../../src/cards/review-cards');
    const { computeResult, reviewProgress } = await import('../../src/domain/scoring');
    const long = (n: number) => 'Uitgangspunt met een lange uitleg over wat we verwachten. '.repeat(Math.ceil(n / 58)).slice(0, n);
    const criteria = Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, title: long(80), description: long(500), weight: 1, scaleMin: 1, scaleMax: 5 }));
    const r = { ...round(), criteria: { version: 2, items: criteria } };
    const panel = Array.from({ length: 60 }, (_, i) => ({
      userId: `u${i}`,
      mri: `29:u${i}`,
      name: `Panellid met een lange naam ${i}`,
      role: 'partner' as const,
      organisation: `Organisatie ${i}`,
      addedBy: 'x',
      addedAt: '',
    }));
    const sheets = panel.map((m) => ({
      memberId: m.userId,
      criteriaVersion: 2,
      scores: Object.fromEntries(criteria.map((c) => [c.id, 4])),
      comments: Object.fromEntries(criteria.map((c) => [c.id, long(1000)])),
      overall: long(2000),
      at: '',
    }));
    const app = {
      ...newDraft({ id: 'f'.repeat(20), roundId: r.id, applicantId: 'x', now: NOW }),
      status: 'in_review' as const,
      reference: 'LB-2026-001',
      fields: {
        title: long(120),
        organisation: long(120),
        question: long(2000),
        approach: long(3000),
        livedExperience: long(2000),
        expectedResults: long(2000),
        coApplicants: Array.from({ length: 10 }, (_, i) => `Partner ${i}`),
      },
    };
    const progress = reviewProgress(panel, app.fields, [], sheets);
    const ctx = {
      round: { value: r, etag: '' },
      app: { value: app, etag: '' },
      panel,
      bundle: {
        review: { value: { applicationId: app.id, state: 'posted' as const, claimedAt: '' }, etag: '' },
        sheets: sheets.map((s) => ({ value: s, etag: '' })),
        recusals: [],
        questions: [],
      },
      progress,
      sheets,
      result: computeResult(criteria, sheets, 3),
      open: true,
    };
    for (const viewer of [
      { kind: 'member' as const, member: panel[0]!, sheet: { value: sheets[0]!, etag: '' } },
      { kind: 'member' as const, member: panel[1]! },
      { kind: 'other' as const },
    ]) {
      const card = reviewCard('nl', ctx, viewer);
      // 80 KB read strictly as 80,000 bytes.
      expect(cardBytes(card)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
      for (const input of readCard(card).inputs) expect(String(input.label)).toMatch(/\S/);
      expect((card.refresh as { userIds: string[] }).userIds.length).toBeLessThanOrEqual(60);
      expect(JSON.stringify(card)).not.toMatch(/\$\{|\$when|\$data/);
    }
  });
});

describe('the allocation cards', () => {
  it('a proposal of 40 applications stays under 80 KB with at most 6 actions per set and labels on every input', async () => {
    const { allocationCard, proposalPanelCard, decisionCard, decisionSummaryCard } = await import('../../src/cards/allocation-cards');
    const { propose, fingerprint } = await import('../../src/domain/allocation');
    const r = round();
    const long = (n: number) => 'Een plan met een lange naam '.repeat(10).slice(0, n);
    const candidates = Array.from({ length: 40 }, (_, i) => ({
      applicationId: `${i}`.padStart(20, '0'),
      reference: `LB-2026-${String(i + 1).padStart(3, '0')}`,
      title: long(120),
      organisation: `Organisatie met een lange naam ${i}`,
      wijk: r.wijken[i % r.wijken.length]!,
      requested: 15_000,
      score: 0.5 + (i % 10) / 20,
      knockedOut: i % 13 === 0,
      submittedAt: NOW.toISOString(),
    }));
    const proposal = propose(candidates, { budget: 50_000, spent: 0, allowPartial: true, concentrationLimit: 0.1 });
    const cp = { round: r, snapshot: {} as never, proposal, fingerprint: fingerprint(proposal), results: new Map() };
    const marks = Array.from({ length: 60 }, (_, i) => ({
      fingerprint: cp.fingerprint,
      memberId: `m${i}`,
      name: `Panellid ${i}`,
      role: 'partner' as const,
      agree: i % 2 === 0,
      remark: long(200),
      at: '',
    }));
    const line = {
      applicationId: 'x',
      awarded: 0,
      outcome: 'declined' as const,
      reason: 'budget' as const,
      reference: 'LB-2026-001',
      title: long(120),
      organisation: 'Org',
      wijk: 'Holtenbroek',
      requested: 15_000,
      proposed: 0,
    };
    const decision = {
      id: 'd',
      roundId: r.id,
      approvedBy: 'a',
      approvedAt: NOW.toISOString(),
      fingerprint: cp.fingerprint,
      budget: 50_000,
      spentBefore: 0,
      total: 50_000,
      lines: Array.from({ length: 40 }, () => ({ ...line, awarded: 1_000, outcome: 'partial' as const })),
      marks: { agree: 1, disagree: 0 },
      announced: false,
    };
    for (const card of [
      allocationCard('nl', cp, marks),
      allocationCard('en', cp, marks, { error: { code: 'OVER_BUDGET', total: 1, available: 0 } }),
      proposalPanelCard('nl', cp, marks),
      decisionCard('nl', line, r, undefined, []),
      decisionSummaryCard('nl', decision),
    ]) {
      expect(cardBytes(card)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
      expect(JSON.stringify(card)).not.toMatch(/\$\{|\$when|\$data/);
      const { inputs } = readCard(card);
      for (const input of inputs) expect(String(input.label)).toMatch(/\S/);
      const sets: unknown[][] = [];
      JSON.stringify(card, (k, v) => (k === 'actions' && Array.isArray(v) ? (sets.push(v), v) : v));
      for (const set of sets) expect(set.length).toBeLessThanOrEqual(6);
    }
  });
});

describe('cards at the scale of a big round', () => {
  it('the allocation card at its line cap with hundreds of organisations, and the overview with 5,000 awards, stay under 80 KB', async () => {
    const { allocationCard } = await import('../../src/cards/allocation-cards');
    const { overviewCard } = await import('../../src/cards/results-cards');
    const { propose, fingerprint } = await import('../../src/domain/allocation');
    const { MAX_LINES_PER_DECISION } = await import('../../src/usecases/allocation-proposal');
    const r = round();
    const long = (n: number) => 'Een plan met een lange naam '.repeat(10).slice(0, n);
    const candidates = Array.from({ length: MAX_LINES_PER_DECISION }, (_, i) => ({
      applicationId: `${i}`.padStart(20, '0'),
      reference: `LB-2026-${String(i + 1).padStart(4, '0')}`,
      title: long(120),
      organisation: `Organisatie met een lange naam ${i}`,
      wijk: r.wijken[i % r.wijken.length]!,
      requested: 15_000,
      score: 0.5 + (i % 10) / 20,
      knockedOut: false,
      submittedAt: NOW.toISOString(),
    }));
    const earlier = Array.from({ length: 400 }, (_, i) => ({ organisation: `Eerdere organisatie ${i}`, wijk: r.wijken[i % r.wijken.length]!, amount: 100 }));
    const proposal = propose(candidates, { budget: 5_000_000, spent: 40_000, allowPartial: true, concentrationLimit: 0.4 }, earlier);
    const card = allocationCard('nl', { round: r, snapshot: {} as never, proposal, fingerprint: fingerprint(proposal), results: new Map() }, []);
    expect(cardBytes(card)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    expect(readCard(card).text).toContain('Overige (');

    const results = Array.from({ length: 5_000 }, (_, i) => ({
      reference: `LB-2026-${i}`,
      title: long(120),
      organisation: `Organisatie ${i}`,
      reported: i % 3 === 0,
    }));
    const overview = overviewCard('nl', {
      round: r,
      counts: { awarded: 5_000 },
      budget: 5_000_000,
      awarded: 5_000_000,
      remaining: 0,
      deadlinesAhead: [],
      results,
    });
    expect(cardBytes(overview)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    expect(readCard(overview).text).toContain('en nog 4980');
    expect(readCard(overview).text).toContain('nog niet gemeld');
  });
});
