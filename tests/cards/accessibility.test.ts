import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/cards/render';
import { CHROMIUM, CHROMIUM_ARGS } from '../browser/playground-page';
import { TEAMS_CARD_WIDTH, TEAMS_LIGHT } from '../support/teams-host-config';
import { allFixtures } from './card-fixtures';

/**
 * Every card fixture, drawn as Teams draws it: Microsoft's `adaptivecards` renderer with Teams'
 * light host config in a 460 px wide message, in headless Chromium (Debian's `chromium`), then
 * checked with axe-core (WCAG 2.1 AA) and with what axe cannot see: a button label cut off
 * (ellipsis), two actions with the same name, an input without a label, a required input the
 * renderer does not know is required, and a form that would block an action that needs no input.
 */
const resolve = createRequire(__filename).resolve;
const SCRIPTS = [resolve('adaptivecards/dist/adaptivecards.js'), resolve('axe-core/axe.min.js')];
const CSS = resolve('adaptivecards/dist/adaptivecards.css');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Verbs whose route reads a form's inputs. In a card with a required input every other action
 * says `associatedInputs: "none"`, or the renderer would refuse it until the form is filled in.
 */
const FORM_VERBS = new Set([
  'apply.eligibility',
  'org.add',
  'org.alias',
  'round.save',
  'question.answer',
  'panel.add',
  'consult.start',
  'change.request',
  'form.save',
  'round.start',
]);

/**
 * Cards where another action sends the same inputs without needing them filled in: `isRequired`
 * would block that action, so there the server alone checks (and says so under the field).
 */
const SAVES_UNFINISHED: Record<string, string> = {
  'partner-cards.stepCard': '"Vorige" and "Later verder" keep an unfinished step',
  'results-cards.resultsCard': '"Concept opslaan" keeps unfinished results',
  'review-cards.reviewCard': 'a question or a conflict is sent from the same card as the scores',
  'admin-cards.criteriaCard': 'the row for a new criterion is required only once something is typed in it',
  'form-cards.formPreviewCard': 'a preview of the step card: nothing is sent from it (every button has associatedInputs "none")',
};

type Json = Record<string, unknown>;

interface Rendered {
  axe: { id: string; impact: string; help: string; nodes: { target: string; summary: string; html: string }[] }[];
  cut: string[];
  ellipsisSeen: number;
  /** Drawn height in px (what someone scrolls through). */
  height: number;
}

/**
 * Runs in the page (plain JavaScript: the project compiles without the DOM library): draws the
 * card into the 460 px host, measures every text with an ellipsis, and runs axe over the card.
 */
const IN_PAGE = `async ({ card, hostConfig, width, tags }) => {
  const host = document.getElementById('host');
  host.replaceChildren();
  host.style.width = width + 'px';
  const ac = new AdaptiveCards.AdaptiveCard();
  ac.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  ac.parse(card);
  const el = ac.render();
  if (!el) throw new Error('card did not render');
  host.appendChild(el);
  // A label is cut off when its text is wider than the box the renderer gives it (ellipsis).
  const cut = [];
  let ellipsisSeen = 0;
  for (const node of host.querySelectorAll('*')) {
    if (getComputedStyle(node).textOverflow !== 'ellipsis' || !node.innerText.trim()) continue;
    ellipsisSeen++;
    if (node.scrollWidth > node.clientWidth + 1) cut.push('"' + node.innerText.trim() + '" (' + node.scrollWidth + ' px in ' + node.clientWidth + ' px)');
  }
  const result = await axe.run(host, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  return {
    cut,
    ellipsisSeen,
    height: el.offsetHeight,
    axe: result.violations.map((v) => ({
      id: v.id,
      impact: String(v.impact),
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '', html: n.html.slice(0, 160) })),
    })),
  };
}`;

async function renderAndCheck(page: Page, card: Card): Promise<Rendered> {
  const args = { card, hostConfig: TEAMS_LIGHT, width: TEAMS_CARD_WIDTH, tags: WCAG_AA };
  return (await page.evaluate(`(${IN_PAGE})(${JSON.stringify(args)})`)) as Rendered;
}

/** Every object in a card (body, actions, show cards, columns …), with actions' `data` left out. */
function nodes(card: unknown): Json[] {
  const out: Json[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    out.push(n as Json);
    for (const [k, v] of Object.entries(n)) if (k !== 'data') walk(v);
  };
  walk(card);
  return out;
}

const isAction = (n: Json) => typeof n.type === 'string' && n.type.startsWith('Action.');
const isInput = (n: Json) => typeof n.type === 'string' && n.type.startsWith('Input.');

/** What axe cannot see: names, labels and required inputs, from the card as sent. */
function cardProblems(card: Card, builder: string, requiredWord: string): string[] {
  const problems: string[] = [];
  const all = nodes(card);
  // Actions (including secondary ones in the overflow menu, which are not drawn until opened).
  const actions = all.filter((n) => isAction(n) && n.type !== 'Action.Overflow');
  const names = new Map<string, number>();
  for (const a of actions) {
    const name = String(a.title ?? a.tooltip ?? '').trim();
    if (!name) problems.push(`an action without a name (${String(a.type)} ${String(a.verb ?? '')})`);
    else names.set(name.toLowerCase(), (names.get(name.toLowerCase()) ?? 0) + 1);
  }
  for (const [name, count] of names) if (count > 1) problems.push(`${count} actions named "${name}"`);
  const inputs = all.filter(isInput);
  let required = 0;
  for (const input of inputs) {
    const label = String(input.label ?? '');
    if (!label.trim()) problems.push(`input ${String(input.id)} has no label`);
    if (input.isRequired === true) {
      required++;
      if (!String(input.errorMessage ?? '').trim()) problems.push(`required input ${String(input.id)} has no errorMessage`);
    }
    // The label says "(verplicht)" and the form has no other way out: the renderer must know too.
    if (label.includes(requiredWord) && input.isRequired !== true && !SAVES_UNFINISHED[builder])
      problems.push(`input ${String(input.id)} is labelled ${requiredWord} but has no isRequired`);
    if (input.isRequired === true && !label.includes(requiredWord))
      problems.push(`input ${String(input.id)} is required but its label does not say ${requiredWord}`);
  }
  // A field's error (the small attention text right under it) is also in the input's label, so a
  // screen reader reads it with the field rather than as loose text somewhere below.
  for (const n of all) {
    const items = Array.isArray(n.items) ? (n.items as Json[]) : [];
    items.forEach((item, i) => {
      const before = items[i - 1];
      if (item.type !== 'TextBlock' || item.color !== 'attention' || item.size !== 'small' || !before || !isInput(before)) return;
      if (!String(before.label ?? '').includes(String(item.text)))
        problems.push(`the error "${String(item.text)}" under input ${String(before.id)} is not in its label`);
    });
  }
  if (required > 0)
    for (const a of actions)
      if ((a.type === 'Action.Execute' || a.type === 'Action.Submit') && a.associatedInputs !== 'none' && !FORM_VERBS.has(String(a.verb)))
        problems.push(`"${String(a.title)}" (${String(a.verb)}) would be blocked by the required inputs: give it associatedInputs "none"`);
  return problems;
}

describe('every card, as Teams draws it at 460 px, is accessible (axe-core, WCAG 2.1 AA)', () => {
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: the accessibility check needs Debian's chromium (apt-get install -y chromium)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 800, height: 900 } })).newPage();
    await page.setContent(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Cards</title></head><body><main id="host"></main></body></html>`);
    await page.addStyleTag({ path: CSS });
    for (const path of SCRIPTS) await page.addScriptTag({ path });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the check is not blind: low contrast, a cut-off label, duplicate names and a missing label are found', async () => {
    const bad: Card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Let op: de termijn loopt af', color: 'warning', wrap: true },
        { type: 'Input.Text', id: 'x', placeholder: '' },
        { type: 'Input.Text', id: 'y', label: 'Naam (verplicht)' },
        { type: 'Input.Text', id: 'z', label: 'Datum (verplicht)', isRequired: true },
      ],
      actions: ['Verder met het eerste plan', 'Verder met het tweede plan', 'Verder met het derde plan', 'Wijzig', 'Wijzig'].map((title) => ({
        type: 'Action.Execute',
        verb: 'x',
        title,
      })),
    };
    const rendered = await renderAndCheck(page, bad);
    expect(rendered.axe.map((v) => v.id)).toContain('color-contrast');
    expect(rendered.cut.length).toBeGreaterThan(0);
    const own = cardProblems(bad, 'test', '(verplicht)');
    expect(own).toContain('2 actions named "wijzig"');
    expect(own).toContain('input x has no label');
    expect(own).toContain('input y is labelled (verplicht) but has no isRequired');
    expect(own).toContain('required input z has no errorMessage');
    expect(own).toContain('"Wijzig" (x) would be blocked by the required inputs: give it associatedInputs "none"');
  });

  it.each(['nl', 'en'] as const)('%s: no axe violations, no cut-off labels, no duplicate names, labelled and required inputs', async (lang) => {
    const { [lang]: texts } = await import(`../../src/i18n/${lang}`);
    const requiredWord = String((texts as { common: { required: string } }).common.required);
    const problems: string[] = [];
    let cards = 0;
    let ellipsisSeen = 0;
    const heights: [string, number][] = [];
    for (const [mod, builders] of Object.entries(await allFixtures(lang)))
      for (const [builder, list] of Object.entries(builders))
        for (const [name, build] of list) {
          const card = build();
          const label = `${lang} ${mod}.${builder}: ${name}`;
          cards++;
          const rendered = await renderAndCheck(page, card);
          ellipsisSeen += rendered.ellipsisSeen;
          heights.push([`${builder}: ${name}`, rendered.height]);
          for (const v of rendered.axe)
            for (const n of v.nodes) problems.push(`${label}: axe ${v.id} (${v.impact}) ${v.help}: ${n.html}\n      ${n.summary.replace(/\n/g, ' ')}`);
          for (const c of rendered.cut) problems.push(`${label}: cut off ${c}`);
          for (const p of cardProblems(card, `${mod}.${builder}`, requiredWord)) problems.push(`${label}: ${p}`);
        }
    console.log(`accessibility (${lang}): ${cards} cards, ${problems.length} problems, ${ellipsisSeen} labels measured`);
    const tallest = heights.sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`tallest at ${TEAMS_CARD_WIDTH} px (${lang}):\n${tallest.map(([n, h]) => `  ${h} px  ${n}`).join('\n')}`);
    // The consultation form folds each criterion's change fields away (4.7k px before, at 460 px).
    const consultation = heights.find(([n]) => n === 'consultationRespondCard: opened, role unknown');
    expect(consultation?.[1]).toBeLessThan(3000);
    // Buttons were measured at all (the renderer's title element has text-overflow: ellipsis).
    expect(ellipsisSeen).toBeGreaterThan(cards);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
