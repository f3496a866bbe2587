/**
 * README screenshots: the bot as the Microsoft 365 Agents Playground's web page shows it, in
 * headless Chromium, driven the way a person would (type in the compose box, tick options,
 * press the card's buttons). Nothing is faked through the Playground's HTTP endpoints, so the
 * pictures also prove that the real page renders and round-trips our cards.
 *
 *   npm run screenshots        (needs Debian's chromium: apt-get install -y chromium)
 *
 * Starts its own in-memory Azurite, bot and Playground on free ports and stops them again,
 * also when something fails. Writes tests/e2e/screenshots/0N-*.png.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { STEPS } from '../../src/domain/application';
import { fill } from '../../src/i18n';
import { nl } from '../../src/i18n/nl';
import { VALID_INPUT } from '../fixtures';
import { startAzurite } from '../support/azurite';
import { REPO_ROOT, startBot, startPlayground } from '../support/playground';

const OUT_DIR = join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
// This machine has no internet: keep Chromium from phoning home (QUIC, updates, sync, ...).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const VIEWPORT = { width: 1280, height: 900 };
/** A bot round trip takes well under a second here; generous for slow CI machines. */
const TURN_TIMEOUT_MS = 20_000;

const CARD = '.ac-adaptiveCard';
/** The Playground's compose box is a Lexical editor, not an <input>. */
const COMPOSE_BOX = '[data-lexical-editor="true"][role="textbox"]';
/** Fluent AI's frame around a bot message (card plus the Playground's "sent" banner). */
const MESSAGE_FRAME = '.fai-OutputCard';
const MESSAGE_HEADER = '[aria-label="Message header"]';
/** The Playground's own notice under an invoked card ("Your response was sent to the app"), not ours: dismissed before each picture. */
const DISMISS_INVOKE_BANNER = '[aria-label="Dismiss Invoke Message"]';

const t = nl;

// ---------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------

/** Cards are replaced in place after Action.Execute, so "the newest card" is always the last. */
function lastCard(page: Page): Locator {
  return page.locator(CARD).last();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Accessible-name prefix match: labels end in "(verplicht)"/"(niet verplicht)" or a max amount. */
function startingWith(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}`);
}

/** The renderer names each option of a multi-select as "<field label> … <option title>". */
function endingWith(text: string): RegExp {
  return new RegExp(`${escapeRegExp(text)}$`);
}

/** A field's label up to its first parenthesis or placeholder: the part that never varies. */
function label(template: string): RegExp {
  return startingWith(template.split(/\s*[({]/)[0]!);
}

async function poll(what: string, check: () => Promise<boolean>, timeoutMs = TURN_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Types into the compose box and sends with Enter; resolves once the bot's new card is there. */
async function say(page: Page, text: string): Promise<Locator> {
  const before = await page.locator(CARD).count();
  const box = page.locator(COMPOSE_BOX);
  await box.click();
  await box.pressSequentially(text);
  await box.press('Enter');
  await poll(`a new card after typing "${text}"`, async () => (await page.locator(CARD).count()) > before);
  return lastCard(page);
}

/** Presses a card button and waits until the refreshed card shows `expect`. */
async function press(page: Page, button: string, expect: string): Promise<Locator> {
  await lastCard(page).getByRole('button', { name: button, exact: true }).click();
  await lastCard(page).getByText(expect).first().waitFor({ timeout: TURN_TIMEOUT_MS });
  return lastCard(page);
}

async function fillText(card: Locator, labelTemplate: string, value: string): Promise<void> {
  await card.getByLabel(label(labelTemplate)).fill(value);
}

/** Input.ChoiceSet (compact) renders as a Fluent combobox whose list lives in a portal. */
async function choose(page: Page, card: Locator, labelTemplate: string, option: string): Promise<void> {
  await card.getByRole('combobox', { name: label(labelTemplate) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

// ---------------------------------------------------------------------------------------
// Screenshots
// ---------------------------------------------------------------------------------------

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Minimal structural view of a DOM element: tsconfig has no DOM lib (this is a Node project). */
interface ElementLike {
  parentElement: ElementLike | null;
  scrollHeight: number;
  clientHeight: number;
  scrollTop: number;
  getBoundingClientRect(): Rect;
}

/** The message list (the card's nearest scrolling ancestor), scrolled to the bottom; its box. */
function scrollMessageListToBottom(card: Locator): Promise<Rect> {
  return card.evaluate((el: ElementLike) => {
    let list: ElementLike | null = el.parentElement;
    while (list && list.scrollHeight <= list.clientHeight) list = list.parentElement;
    if (!list) throw new Error('no scrolling message list around the card');
    list.scrollTop = list.scrollHeight;
    const r = list.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

/**
 * Moves the pointer off the card (a hovered button turns grey in the picture) to an empty
 * spot of the top bar. Not to the left: in Playground 0.2.28, once the pointer is over the
 * chat list or app rail, a refreshed card re-renders from its payload and typed input is
 * lost (it is not sent with the next action either).
 */
async function parkPointer(page: Page): Promise<void> {
  await page.mouse.move(VIEWPORT.width - 330, 24);
}

async function box(locator: Locator): Promise<Rect> {
  const rect = await locator.boundingBox();
  if (!rect) throw new Error(`not visible: ${locator.toString()}`);
  return rect;
}

/**
 * Saves the newest bot message (from `from`, default its header, down to the card's bottom),
 * cropped to the chat column. Cards taller than the window are shown whole by growing the
 * window for the shot, as a person with a tall screen would see them.
 */
async function shoot(page: Page, file: string, from?: Locator): Promise<void> {
  const dismiss = page.locator(DISMISS_INVOKE_BANNER);
  for (const button of await dismiss.all()) await button.click();
  await parkPointer(page);

  const frame = page.locator(MESSAGE_FRAME).last();
  const needed = (await box(frame)).height + 320;
  if (needed > VIEWPORT.height) await page.setViewportSize({ width: VIEWPORT.width, height: Math.ceil(needed) });
  try {
    const column = await scrollMessageListToBottom(lastCard(page));
    await page.waitForTimeout(300); // let the scroll and any re-layout settle
    const frameBox = await box(frame);
    // Only a few pixels above the header: the previous message ends right there.
    const top = Math.max((await box(from ?? page.locator(MESSAGE_HEADER).last())).y - 4, column.y);
    const bottom = Math.min(frameBox.y + frameBox.height + 16, column.y + column.height);
    const clip = { x: column.x, y: top, width: column.width, height: bottom - top };
    await page.screenshot({ path: join(OUT_DIR, file), clip, animations: 'disabled' });
    console.log(`  ${relative(REPO_ROOT, join(OUT_DIR, file))} (${Math.round(clip.width)}x${Math.round(clip.height)})`);
  } finally {
    await page.setViewportSize(VIEWPORT);
  }
}

// ---------------------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------------------

async function captureAll(page: Page): Promise<void> {
  // Opening the page installs the app; the bot greets with a first welcome card.
  await page.locator(CARD).first().waitFor({ timeout: TURN_TIMEOUT_MS });

  await say(page, 'hallo');
  await lastCard(page).getByText(t.welcome.title).first().waitFor();
  // Include the user's "hallo" bubble: the bubble's header is the one before the bot's.
  await shoot(page, '01-welcome.png', page.locator(MESSAGE_HEADER).nth(-2));

  let card = await press(page, t.common.newApplication, t.eligibility.title);
  for (const yes of await card.getByRole('radio', { name: t.common.yes, exact: true }).all()) await yes.check();
  card = await press(page, t.eligibility.continue, fill(t.common.stepOf, { n: 1, total: STEPS.length }));

  const org = VALID_INPUT.organisation;
  await fillText(card, t.fields.organisation, org.organisation!);
  await fillText(card, t.fields.contactName, org.contactName!);
  await fillText(card, t.fields.contactEmail, 'anouk-at-buurtkracht');
  card = await press(page, t.common.next, t.errors.email);
  await shoot(page, '02-step-error.png');

  // The card keeps what was typed after an error; correct the e-mail and finish the step.
  await fillText(card, t.fields.contactEmail, org.contactEmail!);
  await fillText(card, t.fields.contactPhone, org.contactPhone!);
  await fillText(card, t.fields.coApplicants, org.coApplicants!);
  card = await press(page, t.common.next, t.steps.question.title);

  const question = VALID_INPUT.question;
  await choose(page, card, t.fields.wijk, question.wijk!);
  await fillText(card, t.fields.title, question.title!);
  await fillText(card, t.fields.question, question.question!);
  card = await press(page, t.common.next, t.steps.approach.title);

  const approach = VALID_INPUT.approach;
  await fillText(card, t.fields.approach, approach.approach!);
  await fillText(card, t.fields.livedExperience, approach.livedExperience!);
  for (const ambition of approach.ambitions!.split(',')) {
    await card.getByRole('checkbox', { name: endingWith(t.ambitions[ambition as keyof typeof t.ambitions]) }).check();
  }
  card = await press(page, t.common.next, t.steps.budget.title);

  const budget = VALID_INPUT.budget;
  await fillText(card, t.fields.amount, budget.amount!);
  await fillText(card, t.fields.budgetBreakdown, budget.budgetBreakdown!);
  await fillText(card, t.fields.periodStart, budget.periodStart!);
  await fillText(card, t.fields.periodEnd, budget.periodEnd!);
  card = await press(page, t.common.next, t.steps.results.title);

  const results = VALID_INPUT.results;
  await fillText(card, t.fields.expectedResults, results.expectedResults!);
  await fillText(card, t.fields.evidence, results.evidence!);
  await press(page, t.common.next, t.summary.title);
  await shoot(page, '03-summary.png');

  card = await press(page, t.summary.submit, t.submitted.title);
  const reference = /LB-\d{4}-\d{3}/.exec(await card.innerText())?.[0];
  if (!reference) throw new Error('the confirmation card shows no LB-YYYY-NNN reference');
  await shoot(page, '04-submitted.png');

  card = await say(page, 'mijn aanvragen');
  await card.getByText(`${reference} · ${t.status.submitted}`).waitFor({ timeout: TURN_TIMEOUT_MS });
  await shoot(page, '05-my-applications.png', page.locator(MESSAGE_HEADER).nth(-2));
  console.log(`application ${reference} submitted and listed`);
}

// ---------------------------------------------------------------------------------------
// Setup and teardown
// ---------------------------------------------------------------------------------------

/** Stops in reverse start order; every step runs even if an earlier one fails. */
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
/** Set on Ctrl-C: the browser closing under the story is then expected, not a failure. */
let interrupted = false;

function cleanUp(): Promise<void> {
  // Once only: a signal and main's own ending may both ask for it.
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const stop = cleanups.pop()!;
      await stop().catch((err: unknown) => console.error(`cleanup: ${err instanceof Error ? err.message : String(err)}`));
    }
  })();
  return cleaning;
}

/** Saves what the page looked like when it failed; outside the repo, it is debugging only. */
async function saveFailureEvidence(page: Page): Promise<void> {
  const base = join(tmpdir(), `leerbudget-screenshots-failure-${Date.now()}`);
  await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
  await writeFile(`${base}.html`, await page.content().catch(() => '')).catch(() => undefined);
  console.error(`page at failure: ${base}.png and ${base}.html`);
}

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });

  console.log('starting Azurite, the bot and the Agents Playground…');
  const azurite = await startAzurite();
  cleanups.push(() => azurite.stop());
  const bot = await startBot({
    connectionString: azurite.connectionString,
    // Dutch cards, as Zwolle's users see them: the Playground always sends locale en-US.
    env: { SEED_DEMO: 'true', UI_LOCALE: 'nl-NL', LOG_LEVEL: 'warn' },
  });
  cleanups.push(() => bot.stop());
  const playground = await startPlayground({ botEndpoint: bot.messagesUrl });
  cleanups.push(() => playground.stop());

  const userDataDir = await mkdtemp(join(tmpdir(), 'leerbudget-chromium-'));
  cleanups.push(() => rm(userDataDir, { recursive: true, force: true }));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
    });
  } catch (err) {
    throw new Error(`could not start ${CHROMIUM} (apt-get install -y chromium?): ${err instanceof Error ? err.message : String(err)}`);
  }
  cleanups.push(() => context.close());

  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TURN_TIMEOUT_MS);
  // Offline, the page's web fonts and animation worklet from the Office CDN fail; that is
  // harmless. Uncaught errors in the page are not, so report them.
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  try {
    await page.goto(playground.url, { waitUntil: 'networkidle' });
    await captureAll(page);
  } catch (err) {
    if (interrupted) throw err;
    await saveFailureEvidence(page);
    const tail = (text: string): string => text.split('\n').slice(-20).join('\n');
    console.error(`--- bot output (last lines) ---\n${tail(bot.output())}`);
    console.error(`--- playground output (last lines) ---\n${tail(playground.output())}`);
    throw err;
  } finally {
    if (pageErrors.length > 0) console.warn(`errors in the page:\n  ${pageErrors.join('\n  ')}`);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`${signal}: stopping…`);
    void cleanUp().then(() => process.exit(130));
  });
}

main()
  .then(async () => {
    await cleanUp();
    console.log(`screenshots written to ${relative(process.cwd(), OUT_DIR) || '.'}`);
  })
  .catch(async (err: unknown) => {
    // On Ctrl-C the signal handler is already stopping everything and sets the exit code.
    if (interrupted) return;
    console.error(`screenshots failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanUp();
    process.exit(1);
  });
