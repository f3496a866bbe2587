import { TableClient, TransactionAction } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFields, STEPS } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import type { Criterion } from '../../src/domain/criteria';
import { CRITERIA_LIMITS } from '../../src/domain/criteria-edit';
import { CONSULTATION_LIMITS, ConsultationResponse } from '../../src/domain/consultation';
import type { OutboxEntry } from '../../src/domain/outbox';
import { RESULTS_TEXT_LIMIT, validateResults } from '../../src/domain/results';
import type { Round } from '../../src/domain/round';
import { demoRound } from '../../src/domain/demo-round';
import { SETTINGS_LIMITS } from '../../src/domain/round-settings';
import { COMMENT_LIMIT, OVERALL_LIMIT } from '../../src/domain/scoring';
import { BUDGET_LINE_LIMITS } from '../../src/domain/budget-lines';
import { LIMITS, RawInput, toRawInput, validateStep } from '../../src/domain/validation';
import { worstForm } from '../support/forms';
import { refusedByStorage } from '../../src/app/core/execute';
import { jsonProps, readJson } from '../../src/store/entities';
import { batchBytes, entityBytes, JSON_PART_CHARS, limitedTable, StorageLimitError, TABLE_LIMITS } from '../../src/store/limits';
import { ensureTables, tableClients, TableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { currentProposal, MAX_LINES_PER_DECISION } from '../../src/usecases/allocation-proposal';
import { respondToConsultation, startConsultation } from '../../src/usecases/consultation';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock, NOW } from '../fixtures';
import { azuriteConnectionString, startAzurite, RunningAzurite } from '../support/azurite';
import { startCountingProxy } from '../support/counting-proxy';
import { ACCOUNTHOUDER, applicantId, REVIEWER, reviewedRound } from '../support/rounds';

let azurite: RunningAzurite;
/** Every request on its way to Azurite, with its body's size: the real bytes of each transaction. */
let proxy: Awaited<ReturnType<typeof startCountingProxy>>;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
  proxy = await startCountingProxy(azurite.url);
});
afterAll(async () => {
  await proxy?.stop();
  await azurite?.stop();
});

/** The bodies of the transactions sent since `from` (index into `proxy.seen`). */
const batchBodies = (from: number) =>
  proxy.seen
    .slice(from)
    .filter((r) => r.method === 'POST' && r.url.includes('$batch'))
    .map((r) => r.bytes);

/** The table without the store's own check: what Azurite itself takes. */
const rawTable = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });

/** Every transaction sent, for the figures (the real client underneath: nothing is stubbed). */
const sent: { ops: number; bytes: number }[] = [];
function recording(clients: TableClients): TableClients {
  const rounds = new Proxy(clients.rounds, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'submitTransaction')
        return (actions: TransactionAction[]) => {
          sent.push({ ops: actions.length, bytes: batchBytes(actions) });
          return target.submitTransaction(actions);
        };
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...clients, rounds };
}

async function fresh() {
  const prefix = `L${++n}`;
  const clients = tableClients(azuriteConnectionString(proxy.url), prefix);
  await ensureTables(clients);
  return { repos: tableRepos(recording(clients)), raw: rawTable(`${prefix}Rounds`) };
}

/** The longest string property of any row of a partition (UTF-16 code units). */
async function largestProperty(raw: TableClient, partitionKey: string) {
  let max = { chars: 0, name: '', rowKey: '' };
  for await (const e of raw.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${partitionKey}'` } }))
    for (const [name, v] of Object.entries(e)) if (typeof v === 'string' && v.length > max.chars) max = { chars: v.length, name, rowKey: String(e.rowKey) };
  return max;
}

/**
 * Valid text of exactly `length` UTF-16 code units that JSON escaping grows the most: mostly quotes
 * and backslashes, with emoji (surrogate pairs, a ZWJ family), zero-width characters, accents, tabs
 * and newlines in between. Never a lone surrogate; starts and ends visible so trimming keeps it.
 */
function hostile(length: number, opts: { lines?: boolean; spaces?: boolean; tag?: string } = {}): string {
  const sample = [
    '😀',
    '\u200b',
    'é',
    '👩‍👩‍👧',
    "'",
    '\u2060',
    'ß',
    '\ufeff',
    '<&>',
    ...(opts.lines === false ? [] : ['\n', '\t']),
    ...(opts.spaces === false ? [] : [' ']),
  ];
  let s = `A${opts.tag ?? ''}${sample.join('"')}`.slice(0, length - 1);
  if (/\p{Cs}$/u.test(s)) s = s.slice(0, -1);
  for (let i = 0; s.length < length - 1; i++) s += i % 2 ? '\\' : '"';
  return `${s}Z`;
}

const hostileWijk = hostile(SETTINGS_LIMITS.wijk, { lines: false });
const wijken = [hostileWijk, ...demoRound(NOW).wijken];

/** Every field of an application at its maximum, valid by the field rules (each step validated). */
function maximalFields(round: Round, tag = ''): ApplicationFields {
  const names = Array.from({ length: LIMITS.coApplicantsCount }, (_, i) =>
    hostile(Math.floor(LIMITS.coApplicantsText / LIMITS.coApplicantsCount) - 1, { lines: false, tag: `${tag}${i}` }).replace(/[,;]/g, 'x'),
  );
  const raw: Record<string, RawInput> = {
    organisation: {
      organisation: hostile(LIMITS.short, { lines: false, tag }),
      contactName: hostile(LIMITS.name, { lines: false }),
      contactEmail: `${hostile(LIMITS.email - 5, { lines: false, spaces: false }).replace(/[\s@]/g, 'x')}@x.nl`,
      contactPhone: `+${'1'.repeat(LIMITS.phone - 1)}`,
      coApplicants: names.join('\n'),
    },
    question: { wijk: hostileWijk, title: hostile(LIMITS.short, { lines: false, tag }), question: hostile(LIMITS.long) },
    approach: { approach: hostile(LIMITS.approach), livedExperience: hostile(LIMITS.long), ambitions: 'contact,vitaal,kansen' },
    budget: {
      amount: '1000',
      // The most budget lines, each description at its maximum in hostile text, the other amounts at theirs.
      ...Object.fromEntries(
        Array.from({ length: BUDGET_LINE_LIMITS.lines }, (_, i) => [
          [`line_${i}_description`, hostile(BUDGET_LINE_LIMITS.description, { lines: false, tag: String(i) })],
          [`line_${i}_amount`, '50'],
          [`line_${i}_own`, String(BUDGET_LINE_LIMITS.euros)],
          [`line_${i}_coFunding`, String(BUDGET_LINE_LIMITS.euros)],
        ]).flat(),
      ),
      budgetBreakdown: hostile(LIMITS.long),
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
    },
    results: { expectedResults: hostile(LIMITS.long), evidence: hostile(LIMITS.long) },
  };
  const fields = {} as ApplicationFields;
  for (const step of STEPS) {
    const v = validateStep(step, raw[step]!, round, 'complete');
    if (!v.ok) throw new Error(`${step}: ${JSON.stringify(v.error)}`);
    Object.assign(fields, v.value);
  }
  if (fields.budgetLines?.length !== BUDGET_LINE_LIMITS.lines || fields.budgetLines[0]!.description.length !== BUDGET_LINE_LIMITS.description)
    throw new Error('the budget lines are not at their maximum');
  return fields;
}

const twelveCriteria = (): Criterion[] =>
  Array.from({ length: CRITERIA_LIMITS.maxCount }, (_, i) => ({
    id: `uitgangspunt-${String(i).padStart(2, '0')}-${'x'.repeat(20)}`,
    title: hostile(CRITERIA_LIMITS.title, { lines: false }),
    description: hostile(CRITERIA_LIMITS.description),
    weight: 1,
    scaleMin: 1,
    scaleMax: 5,
  }));

describe('Table Storage limits (Azurite)', () => {
  it('Azurite refuses a string over 32,768 characters like Azure; the store refuses it before sending, and an entity over Azure’s 1 MiB that Azurite would take', async () => {
    const raw = rawTable('LimitsRaw');
    await raw.createTable();
    const tooLong = 'x'.repeat(TABLE_LIMITS.propertyChars + 1);
    const azuriteError = await raw.createEntity({ partitionKey: 'p', rowKey: 'long', text: tooLong }).catch((e: unknown) => e);
    expect(azuriteError).toMatchObject({ statusCode: 400 });
    expect(String((azuriteError as Error).message)).toContain('PropertyValueTooLarge');
    expect(refusedByStorage(azuriteError)).toBe(true);

    const guarded = limitedTable(raw);
    const ours = await guarded.createEntity({ partitionKey: 'p', rowKey: 'long2', text: tooLong }).catch((e: unknown) => e);
    expect(ours).toBeInstanceOf(StorageLimitError);
    expect(ours).toMatchObject({ statusCode: 400, code: 'PropertyValueTooLarge' });
    expect(refusedByStorage(ours)).toBe(true);
    expect(refusedByStorage({ statusCode: 412 })).toBe(false);

    // 17 properties of 32,000 ASCII characters: 544 KB of UTF-8 (Azurite takes it), 1.09 MB as Azure counts.
    const wide = { partitionKey: 'p', rowKey: 'wide', ...Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, 'y'.repeat(JSON_PART_CHARS)])) };
    expect(entityBytes(wide)).toBeGreaterThan(TABLE_LIMITS.entityBytes);
    await expect(guarded.upsertEntity(wide)).rejects.toMatchObject({ code: 'EntityTooLarge' });
    await expect(guarded.submitTransaction([['create', wide]])).rejects.toMatchObject({ code: 'EntityTooLarge' });
    await raw.createEntity(wide); // Azurite alone would have stored it
    await expect(guarded.submitTransaction(Array.from({ length: 101 }, (_, i) => ['create', { partitionKey: 'p', rowKey: `r${i}` }]))).rejects.toMatchObject({
      code: 'TooManyOperations',
    });
    const names: string[] = [];
    for await (const e of raw.listEntities({ queryOptions: { filter: `PartitionKey eq 'p'` } })) names.push(String(e.rowKey));
    expect(names).toEqual(['wide']);
  });

  it('a JSON value is written in parts of at most 32,000 characters, never splitting an emoji, and reads back whole; an old single-property row still reads', () => {
    const value = { text: '😀'.repeat(50_000), quotes: '"\\'.repeat(10_000) };
    const props = jsonProps('json', value);
    expect(Object.keys(props)).toEqual(['json', 'json_1', 'json_2', 'json_3', 'json_4']);
    for (const part of Object.values(props)) {
      expect(part.length).toBeLessThanOrEqual(JSON_PART_CHARS);
      expect(/\p{Cs}/u.test(part)).toBe(false); // no half of an emoji
    }
    expect(readJson({ ...props, other: 'x' }, 'json')).toEqual(value);
    expect(readJson({ json: JSON.stringify({ a: 1 }) }, 'json')).toEqual({ a: 1 });
    expect(readJson({}, 'json', { none: true })).toEqual({ none: true });
    expect(jsonProps('json', undefined)).toEqual({});
  });

  it('an application with every field at its maximum in hostile text is stored and reads back identical, results included', async () => {
    const { repos, raw } = await fresh();
    const { round, ids } = await reviewedRound(repos, [{ requested: 1000, score: 4 }], { wijken });
    const current = (await repos.applications.get(round.id, ids[0]!))!;
    const fields = { ...maximalFields(round), organisationId: 'org-1' };
    const results = validateResults(
      {
        done: hostile(RESULTS_TEXT_LIMIT),
        reached: hostile(RESULTS_TEXT_LIMIT),
        learned: hostile(RESULTS_TEXT_LIMIT),
        indicators: hostile(RESULTS_TEXT_LIMIT),
        spent: '1000',
      },
      1000,
      'submit',
    );
    expect(results.ok).toBe(true);
    const next = { ...current.value, fields, results: { ...(results.ok ? results.value : {}), state: 'submitted' as const, updatedAt: NOW.toISOString() } };
    const saved = await repos.applications.update(current, next, auditEvent(round.id, 'x', 'application.step-saved', next.id, NOW));
    expect(saved.ok).toBe(true);
    expect((await repos.applications.get(round.id, next.id))?.value).toEqual(next);
    expect((await repos.applications.listByRound(round.id)).map((a) => a.value)).toEqual([next]);

    const row = await raw.getEntity<Record<string, unknown>>(round.id, `app_${next.id}_`);
    // Control characters refused, escaping at most doubles a text; with 20 budget lines the fields take two parts of a property each.
    expect(String(row.fieldsJson).length).toBe(JSON_PART_CHARS);
    expect(`${String(row.fieldsJson)}${String(row.fieldsJson_1)}`.length).toBe(JSON.stringify(fields).length);
    expect(row.fieldsJson_2).toBeUndefined();
    const largest = await largestProperty(raw, round.id);
    expect(largest.chars).toBeLessThanOrEqual(JSON_PART_CHARS);
    console.info(
      `[figures] maximal application: fieldsJson ${String(row.fieldsJson).length} + ${String(row.fieldsJson_1).length} chars, resultsJson ${String(row.resultsJson).length}; largest property ${largest.chars} (${largest.name})`,
    );
  });

  it('a round with its own form at every ceiling, and an application answering every question at its maximum in hostile text, is stored and reads back identical', async () => {
    const { repos, raw } = await fresh();
    const { form, answers } = worstForm();
    const { round, ids } = await reviewedRound(repos, [{ requested: 1000, score: 4 }], { wijken, form });
    expect((await repos.rounds.get(round.id))!.value.form).toEqual(form);
    // Every own text answer at its maximum in hostile text, validated by its question's rules.
    const typed = Object.fromEntries(
      form.steps
        .flatMap((s) => s.questions)
        .filter((q) => q.id in answers)
        .map((q) => [
          q.id,
          q.type === 'shortText' || q.type === 'longText'
            ? hostile(String(answers[q.id]).length, { lines: q.type === 'longText' })
            : toRawInput({ answers: { [q.id]: answers[q.id]! } }, form)[q.id],
        ]),
    );
    const own: Record<string, unknown> = {};
    for (const step of form.steps) {
      const v = validateStep(step, typed, round, 'partial');
      if (!v.ok) throw new Error(`${step.id}: ${JSON.stringify(v.error)}`);
      Object.assign(own, v.value.answers);
    }
    expect(Object.keys(own)).toHaveLength(Object.keys(answers).length);
    const current = (await repos.applications.get(round.id, ids[0]!))!;
    const fields = { ...maximalFields({ ...round, form: undefined }), answers: own as ApplicationFields['answers'] };
    const next = { ...current.value, fields };
    const saved = await repos.applications.update(current, next, auditEvent(round.id, 'x', 'application.step-saved', next.id, NOW));
    expect(saved.ok).toBe(true);
    expect((await repos.applications.get(round.id, next.id))?.value).toEqual(next);
    const largest = await largestProperty(raw, round.id);
    expect(largest.chars).toBeLessThanOrEqual(JSON_PART_CHARS);
    const row = await raw.getEntity<Record<string, unknown>>(round.id, `app_${next.id}_`);
    const roundRow = await raw.getEntity<Record<string, unknown>>(round.id, 'round');
    expect(entityBytes(row)).toBeLessThanOrEqual(TABLE_LIMITS.entityBytes);
    expect(entityBytes(roundRow)).toBeLessThanOrEqual(TABLE_LIMITS.entityBytes);
    console.info(
      `[figures] own form at its ceilings: round row ${entityBytes(roundRow)} bytes (form ${JSON.stringify(form).length} chars); application row ${entityBytes(row)} bytes (fields ${JSON.stringify(fields).length} chars)`,
    );
  });

  it(`a decision of ${MAX_LINES_PER_DECISION} applications with maximal lines and fields is approved in one transaction within 100 operations and 4 MiB`, async () => {
    const { repos, raw } = await fresh();
    const base = { ...demoRound(NOW), wijken };
    const specs = Array.from({ length: MAX_LINES_PER_DECISION }, (_, i) => ({
      requested: 1000,
      score: 4,
      applicantId: applicantId(i),
      fields: maximalFields(base, String(i)),
    }));
    const { deps, round } = await reviewedRound(repos, specs, { wijken, budget: 100_000 });
    const proposal = (await currentProposal(deps, round.id))!;
    expect(proposal.proposal.lines).toHaveLength(MAX_LINES_PER_DECISION);
    sent.length = 0;
    const from = proxy.seen.length;
    const approved = await approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: proposal.fingerprint, adjustments: {} });
    expect(approved.ok).toBe(true);
    if (!approved.ok) return;
    const approval = sent.find((s) => s.ops === MAX_LINES_PER_DECISION + 4)!;
    expect(approval).toBeDefined();
    expect(approval.bytes).toBeLessThanOrEqual(TABLE_LIMITS.batchBytes);
    // The estimate is an upper bound of what went over the wire.
    const wire = Math.max(...batchBodies(from));
    expect(wire).toBeLessThanOrEqual(approval.bytes);

    const snap = (await repos.allocation.snapshot(round.id))!;
    expect(snap.decisions.map((d) => d.value)).toEqual([approved.value.decision]);
    expect(approved.value.decision.lines.map((l) => l.title).sort()).toEqual(specs.map((s) => s.fields.title).sort());
    expect(snap.applications.every((a) => a.value.status === 'awarded')).toBe(true);
    // The untouched fields are still there, whole (the approval sent only what changed).
    expect(snap.applications.map((a) => a.value.fields.title).sort()).toEqual(specs.map((s) => s.fields.title).sort());
    const decisionRow = await raw.getEntity<Record<string, unknown>>(round.id, `decision_${approved.value.decision.id}`);
    // The record is longer than one property holds: it is stored in parts.
    expect(JSON.stringify(approved.value.decision).length).toBeGreaterThan(TABLE_LIMITS.propertyChars);
    expect(typeof decisionRow.json_1).toBe('string');
    console.info(
      `[figures] decision record of ${MAX_LINES_PER_DECISION} lines: ${JSON.stringify(approved.value.decision).length} chars of JSON, ${entityBytes(decisionRow)} bytes as Azure counts`,
    );
    const largest = await largestProperty(raw, round.id);
    expect(largest.chars).toBeLessThanOrEqual(JSON_PART_CHARS);
    console.info(
      `[figures] approval of ${MAX_LINES_PER_DECISION}: ${approval.ops} ops, ${wire} bytes sent (estimate ${approval.bytes}); largest property ${largest.chars} chars (${largest.name})`,
    );
  }, 120_000);

  it('score sheets of 12 criteria with every comment and the remark at their maximum are saved and read back', async () => {
    const { repos, raw } = await fresh();
    const criteria = { version: 1, items: twelveCriteria() };
    const comment = hostile(COMMENT_LIMIT);
    const remark = hostile(OVERALL_LIMIT);
    const { round, ids } = await reviewedRound(repos, [{ requested: 1000, score: 4, comment, remark }], { criteria });
    const bundle = await repos.reviews.bundle(round.id, ids[0]!);
    const sheet = bundle.sheets.find((s) => s.value.memberId === REVIEWER)!.value;
    console.info(`[figures] maximal sheet (12 criteria): ${JSON.stringify(sheet).length} chars of JSON`);
    expect(Object.values(sheet.comments)).toEqual(criteria.items.map(() => comment));
    expect(sheet.overall).toBe(remark);
    expect((await largestProperty(raw, round.id)).chars).toBeLessThanOrEqual(JSON_PART_CHARS);
  });

  it('a consultation response at every maximum (12 criteria, each a change with reason, and a new criterion) is stored in parts and reads back', async () => {
    const { repos, raw } = await fresh();
    const deps = { repos, clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] };
    const { roundId } = await seedDemoRound(deps);
    const current = (await repos.rounds.get(roundId))!;
    const items = twelveCriteria();
    await repos.rounds.update(current, { ...current.value, criteria: { version: 2, items } }, auditEvent(roundId, 'x', 'round.updated', roundId, NOW));
    const started = await startConsultation(deps, {
      actorId: ACCOUNTHOUDER,
      closesAt: new Date(NOW.getTime() + 86_400_000).toISOString(),
      invited: [{ userId: REVIEWER, role: 'partner' }],
    });
    expect(started.ok ? 'started' : started.error).toBe('started');
    const change = { title: hostile(CONSULTATION_LIMITS.title, { lines: false }), description: hostile(CONSULTATION_LIMITS.description), weight: 2 };
    const perCriterion: ConsultationResponse['perCriterion'] = Object.fromEntries(
      items.map((c) => [c.id, { kind: 'change', change, reason: hostile(CONSULTATION_LIMITS.reason) }]),
    );
    const newCriterion = { ...change, reason: hostile(CONSULTATION_LIMITS.reason) };
    const res = await respondToConsultation(deps, { actorId: REVIEWER, roundId, perCriterion, newCriterion });
    expect(res.ok).toBe(true);
    const state = (await repos.consultations.state(roundId))!;
    expect(state.responses[0]?.value).toMatchObject({ perCriterion, newCriteria: [newCriterion] });
    const row = await raw.getEntity<Record<string, unknown>>(roundId, `cs_r_${REVIEWER}`);
    // In parts exactly when it is longer than one part holds.
    expect(typeof row.json_1).toBe(JSON.stringify(state.responses[0]!.value).length > JSON_PART_CHARS ? 'string' : 'undefined');
    console.info(`[figures] maximal consultation response: ${JSON.stringify(state.responses[0]!.value).length} chars of JSON`);
    expect((await largestProperty(raw, roundId)).chars).toBeLessThanOrEqual(JSON_PART_CHARS);
  });

  it('outbox entries with large cards are stored in as many transactions as 100 operations and 4 MiB need, each once', async () => {
    const { repos } = await fresh();
    const text = hostile(20_000);
    const entries: OutboxEntry[] = Array.from({ length: 110 }, (_, i) => ({
      id: `e${String(i).padStart(3, '0')}`,
      roundId: 'LB-OUT',
      kind: 'decision.applicant',
      target: { kind: 'user', userId: `u${i}` } as unknown as OutboxEntry['target'],
      card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text }] },
      state: 'pending',
      attempts: 0,
      notBefore: NOW.toISOString(),
      createdAt: NOW.toISOString(),
    }));
    sent.length = 0;
    const from = proxy.seen.length;
    await repos.outbox.enqueue(entries);
    await repos.outbox.enqueue(entries); // again, as after a crash: nothing twice
    expect(sent.length).toBeGreaterThan(2);
    const wire = batchBodies(from);
    expect(wire).toHaveLength(sent.length);
    wire.forEach((bytes, i) => expect(bytes).toBeLessThanOrEqual(sent[i]!.bytes));
    console.info(`[figures] outbox: ${sent.length} transactions, largest ${Math.max(...wire)} bytes sent (estimate ${Math.max(...sent.map((s) => s.bytes))})`);
    expect(Math.max(...sent.map((s) => s.bytes))).toBeLessThanOrEqual(TABLE_LIMITS.batchBytes);
    const stored = await repos.outbox.list('LB-OUT');
    expect(stored).toHaveLength(110);
    expect(stored.every((e) => (e.card as { body: { text: string }[] }).body[0]!.text === text)).toBe(true);
  });
});
