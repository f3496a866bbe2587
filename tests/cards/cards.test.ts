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
import { fixtures } from './card-fixtures';

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
  it('12 criteria, a full panel of 60 who all scored, every text at its maximum and hostile: every view ≤ 80 KB in UTF-16, labels on every input', async () => {
    const { worstReviewViews, worstPanel } = await import('./card-fixtures');
    for (const lang of ['nl', 'en'] as const)
      for (const [name, make] of worstReviewViews(lang)) {
        const card = make();
        expect(cardBytes(card), `${lang} ${name}`).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
        for (const input of readCard(card).inputs) expect(String(input.label)).toMatch(/\S/);
        expect(JSON.stringify(card)).not.toMatch(/\$\{|\$when|\$data/);
        if (card.refresh) expect((card.refresh as { userIds: string[] }).userIds.length).toBeLessThanOrEqual(60);
      }
    // The member's own card holds no one else's scores or names: those are on the others' card, 20 a page.
    const [, member] = worstReviewViews('nl').find(([n]) => n.startsWith('largest: member, own sheet'))!;
    const own = readCard(member());
    expect(own.text).not.toContain(worstPanel[1]!.name);
    expect(own.action('Bekijk hun scores').verb).toBe('review.others');
    // It did not fit with everything: it says so, and the whole application is one button away.
    expect(own.text).toContain('Op deze kaart staat een deel van de teksten');
    expect(own.action('Lees de hele aanvraag').verb).toBe('review.read');
    const [, page1] = worstReviewViews('nl').find(([n]) => n === 'largest: others, page 1')!;
    const others = readCard(page1());
    expect(others.text).toContain('Panelleden 1–20 van 59.');
    expect(others.text).toContain(worstPanel[20]!.name);
    expect(others.text).not.toContain(worstPanel[21]!.name);
    expect(others.action('Volgende 20').data).toMatchObject({ page: 2 });
  });

  it('a card that fits keeps the application whole, folded, without the reading card', async () => {
    const all = fixtures('nl')['review-cards']!.reviewCard!;
    const [, shared] = all.find(([n]) => n === 'shared (not on panel)')!;
    const card = readCard(shared());
    expect(card.text).not.toContain('Op deze kaart staat een deel');
    expect(() => card.action('Lees de hele aanvraag')).toThrow();
    expect(JSON.stringify(shared())).toContain('Action.ToggleVisibility');
  });

  it('the others\u2019 card shows no one to a member whose own sheet does not count, whatever the route asks', async () => {
    const { othersCard } = await import('../../src/cards/review-cards');
    const { worstReviewCtx, worstPanel } = await import('./card-fixtures');
    const ctx = worstReviewCtx();
    const noSheet = readCard(othersCard('nl', ctx, { kind: 'member', member: worstPanel[0]! }));
    const onlyNa = { ...ctx.sheets[0]!, scores: Object.fromEntries(Object.keys(ctx.sheets[0]!.scores).map((k) => [k, 'na' as const])) };
    const na = readCard(othersCard('nl', ctx, { kind: 'member', member: worstPanel[0]!, sheet: { value: onlyNa, etag: '' } }));
    const outsider = readCard(othersCard('nl', ctx, { kind: 'other' }));
    for (const card of [noSheet, na, outsider]) {
      expect(card.text).toContain('Nog niemand anders heeft gescoord');
      for (const m of worstPanel.slice(1, 25)) expect(card.text).not.toContain(m.name);
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

describe('the allocation cards at one approval\u2019s cap', () => {
  it('90 lines, 60 reactions, every text at its maximum and hostile, amounts typed on every line: every page ≤ 80 KB in UTF-16', async () => {
    const { worstAllocationViews, worstPanelViews, worstMarksViews } = await import('./card-fixtures');
    for (const lang of ['nl', 'en'] as const)
      for (const [name, make] of [...worstAllocationViews(lang), ...worstPanelViews(lang), ...worstMarksViews(lang)])
        expect(cardBytes(make()), `${lang} ${name}`).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    // The reactions do not fit next to a page: counted on the card, one button away, the typed amounts kept both ways.
    const [, page2] = worstAllocationViews('nl')[1]!;
    const card = readCard(page2());
    expect(card.text).toContain('Panel: 0 eens, 60 oneens');
    const open = card.action('Lees de reacties van het panel (60)');
    expect(open.verb).toBe('alloc.marks');
    // Those typed on the other five pages (not those equal to the proposal); this page's own go along as inputs.
    const carried = Object.keys(open.data).filter((k) => k.startsWith('amount_'));
    expect(carried.length).toBeGreaterThan(40);
    for (const input of card.inputs) expect(carried).not.toContain(input.id);
    const [, marks1] = worstMarksViews('nl')[0]!;
    const marks = readCard(marks1());
    expect(marks.text).toContain('Reacties 1–20 van 60.');
    const back = marks.action('Terug naar de toekenning');
    expect(back.verb).toBe('alloc.page');
    expect(Object.keys(back.data).filter((k) => k.startsWith('amount_')).length).toBeGreaterThan(carried.length);
    expect(marks.action('Volgende 20').data).toMatchObject({ marksPage: 2, page: 1 });
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
