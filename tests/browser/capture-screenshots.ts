/**
 * README screenshots: the bot as the Microsoft 365 Agents Playground's web page shows it, in
 * headless Chromium, driven the way a person would (type in the compose box, tick options,
 * press the card's buttons), so the pictures also prove that the real page renders and
 * round-trips our cards.
 *
 * 01-05 are Anouk's application in the personal chat, all through the page. 06-07 are the
 * review channel "Beoordeling" as Anouk's page shows it: linking the channel, building the
 * panel and the three panel members' scores are other people's actions, so they go through the
 * Playground's endpoints (as the e2e test does); the page only receives the bot's posts and
 * updates, like a bystander in Teams would. The page has a single user and does not support
 * user-specific card views ("User specific view is not supported yet" in its log), so a panel
 * member's own scoring form cannot be shown on it.
 *
 *   npm run screenshots        (needs Debian's chromium: apt-get install -y chromium)
 *
 * Starts its own in-memory Azurite, bot and Playground on free ports and stops them again,
 * also when something fails. Writes tests/e2e/screenshots/0N-*.png (01-07).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { STEPS } from '../../src/domain/application';
import { fill } from '../../src/i18n';
import { nl } from '../../src/i18n/nl';
import { VALID_INPUT } from '../fixtures';
import { startAzurite } from '../support/azurite';
import { REPO_ROOT, startBot, startPlayground, type FrameMessage, type RunningPlayground, type StreamFrame } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE, type User } from '../support/teams';

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

/** The team channel that `.m365agentsplayground.yml` configures next to General. */
const REVIEW_CHANNEL_NAME = 'Beoordeling';
/** A channel post in the page: the bot's header, the card and the post's reply box. */
const CHANNEL_POST = '.fui-Card[role="group"]';

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

/** The channel's post list (the post's nearest scrolling ancestor), scrolled to the top (newest); its box. */
function scrollChannelToTop(post: Locator): Promise<Rect> {
  return post.evaluate((el: ElementLike) => {
    let list: ElementLike | null = el.parentElement;
    while (list && list.scrollHeight <= list.clientHeight) list = list.parentElement;
    if (list) list.scrollTop = 0;
    const r = (list ?? el).getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

/**
 * Saves one channel post whole (channels list newest first, so it is not the last one), with a
 * little of the channel's grey around it. `withPage` takes the page itself from its top-left
 * corner instead: title bar, the channel list with the open channel, the new-post box and the
 * post (not the Playground's log panel on the right). Posts taller than the window are shown
 * whole by growing the window for the shot.
 */
async function shootPost(page: Page, post: Locator, file: string, withPage = false): Promise<void> {
  await parkPointer(page);
  await scrollChannelToTop(post);
  const first = await box(post);
  const needed = (withPage ? first.y : 0) + first.height + 200;
  if (needed > VIEWPORT.height) await page.setViewportSize({ width: VIEWPORT.width, height: Math.ceil(needed) });
  try {
    const column = await scrollChannelToTop(post);
    if (!withPage) await post.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // let the scroll and any re-layout settle
    const rect = await box(post);
    const pad = 10;
    const clip = withPage
      ? { x: 0, y: 0, width: column.x + column.width, height: rect.y + rect.height + pad }
      : { x: rect.x - pad, y: Math.max(rect.y - pad, 0), width: rect.width + 2 * pad, height: rect.height + 2 * pad };
    await page.screenshot({ path: join(OUT_DIR, file), clip, animations: 'disabled' });
    console.log(`  ${relative(REPO_ROOT, join(OUT_DIR, file))} (${Math.round(clip.width)}x${Math.round(clip.height)})`);
  } finally {
    await page.setViewportSize(VIEWPORT);
  }
}

/** Other people's doings in the Playground's team, through its endpoints (as the e2e test). */
class Team {
  private constructor(
    private readonly playground: RunningPlayground,
    private readonly config: Awaited<ReturnType<RunningPlayground['client']['config']>>['config'],
    readonly channelId: string,
  ) {}

  static async open(playground: RunningPlayground): Promise<Team> {
    const { config } = await playground.client.config();
    const channel = config.teams[0]?.channels.find((c) => c.name === REVIEW_CHANNEL_NAME);
    if (!channel) throw new Error(`.m365agentsplayground.yml has no channel "${REVIEW_CHANNEL_NAME}"`);
    return new Team(playground, config, channel.id);
  }

  /** `user` @mentions the bot in the review channel; resolves with the bot's new post. */
  async say(user: User, text: string): Promise<FrameMessage & { threadId: string }> {
    const { client, stream } = this.playground;
    const since = stream.mark();
    const tag = `<at>${this.config.bot.name}</at>`;
    const template = await client.customActivityTemplate(this.channelId);
    await client.customActivity({
      ...template,
      id: randomUUID(),
      type: 'message',
      text: `${tag} ${text}`,
      from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
      entities: [{ type: 'mention', text: tag, mentioned: { id: this.config.bot.id, name: this.config.bot.name } }],
      channelData: { tenant: { id: this.config.tenantId }, team: { id: this.config.teams[0]!.id }, channel: { id: this.channelId } },
    });
    const frame = await stream.waitFor(
      (f) => f.action === 'createMessage' && f.actionConversationId.startsWith(this.channelId),
      TURN_TIMEOUT_MS,
      since,
    );
    const message = frame.message as FrameMessage;
    // Every bot post in a Playground channel starts its own thread.
    return { ...message, threadId: `${this.channelId};messageid=${message.messageId}` };
  }

  /** `user` presses a button (Action.Execute) on the card of a channel post; the card they get back. */
  async invoke(user: User, post: { threadId: string; messageId: string }, verb: string, data: Record<string, unknown>): Promise<ReturnType<typeof readCard>> {
    const res = await this.playground.client.invoke(post.threadId, post.messageId, verb, data, user.id);
    if (res.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`${verb} as ${user.name}: no card back (${res.type})`);
    return readCard(res.value);
  }

  /** The bot's post of application `reference` in the review channel (it arrives on submission). */
  async reviewPost(reference: string): Promise<FrameMessage & { threadId: string }> {
    const isReviewPost = (f: StreamFrame): boolean =>
      f.action === 'createMessage' && f.actionConversationId === this.channelId && JSON.stringify(f.message.attachments).includes(reference);
    const frame = await this.playground.stream.waitFor(isReviewPost, TURN_TIMEOUT_MS, 0);
    const message = frame.message as FrameMessage;
    return { ...message, threadId: `${this.channelId};messageid=${message.messageId}` };
  }

  mark(): number {
    return this.playground.stream.mark();
  }

  /** Waits for the bot to update the shared card of `post` in place (a frame after `since`). */
  async updated(post: { messageId: string }, since: number): Promise<void> {
    await this.playground.stream.waitFor(
      (f) => f.action === 'updateMessage' && f.actionConversationId === this.channelId && f.message.messageId === post.messageId,
      TURN_TIMEOUT_MS,
      since,
    );
  }
}

/**
 * Before anything is submitted: Ingrid (accounthouder) links the channel and builds a panel of
 * three. Done while the page is open: it only knows the posts whose frames it received.
 */
async function setUpReviewChannel(team: Team): Promise<void> {
  const linked = await team.say(INGRID, 'koppel beoordeling');
  if (!linked.text?.includes('beoordelingskanaal')) throw new Error(`linking the review channel failed: ${linked.text ?? '(no text)'}`);
  const panel = await team.say(INGRID, 'panel');
  for (const [user, role, organisation] of [
    [INGRID, 'gemeente', ''],
    [SANNE, 'partner', 'Wijkpartners Zwolle'],
    [MOHAMED, 'ervaringsdeskundige', ''],
  ] as const) {
    const after = await team.invoke(INGRID, panel, 'panel.add', { person: user.aadObjectId, role, organisation });
    if (!after.text.includes(user.name)) throw new Error(`adding ${user.name} to the panel failed:\n${after.text}`);
  }
}

/** Opens a channel the way a person does: in the list of the team's channels on the left. */
async function openChannel(page: Page, name: string): Promise<void> {
  // The page names each channel "<team> - <channel>".
  await page.getByRole('tree', { name: 'Teams Channel' }).getByRole('treeitem', { name: endingWith(` - ${name}`) }).click();
}

async function captureReview(page: Page, team: Team, reference: string): Promise<void> {
  const post = await team.reviewPost(reference);
  const data = (post.attachments[0]?.content as { refresh?: { action?: { data?: Record<string, unknown> } } } | undefined)?.refresh?.action?.data;
  if (!data?.roundId || !data.applicationId) throw new Error('the review card carries no roundId/applicationId in its refresh action');
  const applicationRef = { roundId: data.roundId, applicationId: data.applicationId };

  await openChannel(page, REVIEW_CHANNEL_NAME);
  const reviewPost = page.locator(CHANNEL_POST).filter({ hasText: fill(t.review.reference, { reference }) });
  const panelSize = 3;
  await reviewPost.getByText(fill(t.review.progress, { n: 0, m: panelSize })).waitFor({ timeout: TURN_TIMEOUT_MS });
  await shootPost(page, reviewPost, '06-review-channel.png', true);

  // Three panel members score in their own Teams; the bot updates the shared card after each.
  for (const [member, values] of [
    [SANNE, [4, 5]],
    [MOHAMED, [4]],
    [INGRID, [3, 4]],
  ] as const) {
    const form = await team.invoke(member, post, 'review.refresh', applicationRef);
    const scoreIds = form.inputs.map((i) => String(i.id)).filter((id) => id.startsWith('score_'));
    if (scoreIds.length === 0) throw new Error(`${member.name} got no scoring form:\n${form.text}`);
    const scores = Object.fromEntries(scoreIds.map((id, i) => [id, String(values[i % values.length])]));
    const since = team.mark();
    const saved = await team.invoke(member, post, 'review.score', { ...applicationRef, ...scores });
    if (!saved.text.includes(t.review.saved)) throw new Error(`${member.name}'s scores were not saved:\n${saved.text}`);
    await team.updated(post, since);
  }

  const done = fill(t.review.progress, { n: panelSize, m: panelSize });
  const shows = async (): Promise<boolean> =>
    (await reviewPost.getByText(done).count()) > 0 && (await reviewPost.getByText(t.review.statusClosed).count()) > 0;
  await poll(`"${done}" on the channel card`, shows, 5_000).catch(async () => {
    // Not updated in place: leave the channel and come back, as a person would.
    console.log('  (the page did not update the card in place; re-opening the channel)');
    await openChannel(page, 'General');
    await openChannel(page, REVIEW_CHANNEL_NAME);
    await poll(`"${done}" on the channel card after re-opening the channel`, shows);
  });
  await shootPost(page, reviewPost, '07-review-scored.png');
  console.log(`application ${reference} scored by ${panelSize} panel members`);
}

// ---------------------------------------------------------------------------------------
// The story
// ---------------------------------------------------------------------------------------

async function captureAll(page: Page, playground: RunningPlayground): Promise<void> {
  // Opening the page installs the app; the bot greets with a first welcome card.
  await page.locator(CARD).first().waitFor({ timeout: TURN_TIMEOUT_MS });
  const team = await Team.open(playground);
  await setUpReviewChannel(team);

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
  // "Wordt beoordeeld" once the bot has posted it in the review channel, "Ingediend" before.
  const listed = new RegExp(`^${escapeRegExp(reference)} · (${escapeRegExp(t.status.in_review)}|${escapeRegExp(t.status.submitted)}) · `);
  await card.getByText(listed).waitFor({ timeout: TURN_TIMEOUT_MS });
  await shoot(page, '05-my-applications.png', page.locator(MESSAGE_HEADER).nth(-2));
  console.log(`application ${reference} submitted and listed`);

  await captureReview(page, team, reference);
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
    // Ingrid is the accounthouder who links the review channel and builds the panel.
    env: { SEED_DEMO: 'true', UI_LOCALE: 'nl-NL', LOG_LEVEL: 'warn', ACCOUNTHOUDER_IDS: INGRID.aadObjectId },
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
    await captureAll(page, playground);
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
