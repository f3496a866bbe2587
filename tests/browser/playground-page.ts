/**
 * The Agents Playground's web page in headless Chromium, as a person uses it: shared by
 * `capture-screenshots.ts` (the README's pictures) and `story.ts` (the whole story, partner to
 * decision). Page helpers (type in the compose box, press a card's buttons, fill inputs),
 * screenshots cropped to one message or channel post, other people's doings through the
 * Playground's endpoints (`Team`), and `runBrowserScript`, which starts and always stops what a
 * script needs (Azurite, the bot, Playgrounds, Chromium) within a time limit.
 *
 * The page has a single user and does not support user-specific card views ("User specific
 * view is not supported yet" in its log), so a panel member's own scoring form cannot be shown
 * on it: panel members act through the Playground's invoke endpoint, as in the e2e tests.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { STEPS } from '../../src/domain/application';
import { fill } from '../../src/i18n';
import { budgetLineMessages } from '../../src/i18n/budget-lines';
import { nl } from '../../src/i18n/nl';
import { VALID_INPUT } from '../fixtures';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { REPO_ROOT, startBot, startPlayground, type FrameMessage, type RunningBot, type RunningPlayground, type StreamFrame } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE, type User } from '../support/teams';
import { until } from '../support/until';

export const OUT_DIR = join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
// This machine has no internet: keep Chromium from phoning home (QUIC, updates, sync, ...).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const VIEWPORT = { width: 1280, height: 900 };
/** A bot round trip takes well under a second here; generous for slow CI machines. */
export const TURN_TIMEOUT_MS = 20_000;

export const CARD = '.ac-adaptiveCard';
/** The Playground's compose box is a Lexical editor, not an <input>. */
export const COMPOSE_BOX = '[data-lexical-editor="true"][role="textbox"]';
/** Fluent AI's frame around a bot message (card plus the Playground's "sent" banner). */
export const MESSAGE_FRAME = '.fai-OutputCard';
export const MESSAGE_HEADER = '[aria-label="Message header"]';
/** The Playground's own notice under an invoked card ("Your response was sent to the app"), not ours: dismissed before each picture. */
export const DISMISS_INVOKE_BANNER = '[aria-label="Dismiss Invoke Message"]';

export const t = nl;
/** The budget lines' texts (an area file of i18n). */
const lines = budgetLineMessages('nl');

/** The team channel that `.m365agentsplayground.yml` configures next to General. */
export const REVIEW_CHANNEL_NAME = 'Beoordeling';
/** A channel post in the page: the bot's header, the card and the post's reply box. */
export const CHANNEL_POST = '.fui-Card[role="group"]';

// ---------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------

/** Cards are replaced in place after Action.Execute, so "the newest card" is always the last. */
export function lastCard(page: Page): Locator {
  return page.locator(CARD).last();
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Accessible-name prefix match: labels end in "(verplicht)"/"(niet verplicht)" or a max amount. */
export function startingWith(text: string): RegExp {
  return new RegExp(`^${escapeRegExp(text)}`);
}

/** The renderer names each option of a multi-select as "<field label> … <option title>". */
export function endingWith(text: string): RegExp {
  return new RegExp(`${escapeRegExp(text)}$`);
}

/** A field's label up to its first parenthesis or placeholder: the part that never varies. */
export function label(template: string): RegExp {
  return startingWith(template.split(/\s*[({]/)[0]!);
}

export async function poll(what: string, check: () => Promise<boolean>, timeoutMs = TURN_TIMEOUT_MS): Promise<void> {
  await until(async () => (await check()) || undefined, { what, timeoutMs, everyMs: 100 });
}

/** Types into the compose box and sends with Enter; resolves once the bot's new card is there. */
export async function say(page: Page, text: string): Promise<Locator> {
  const before = await page.locator(CARD).count();
  const box = page.locator(COMPOSE_BOX);
  await box.click();
  await box.pressSequentially(text);
  await box.press('Enter');
  await poll(`a new card after typing "${text}"`, async () => (await page.locator(CARD).count()) > before);
  return lastCard(page);
}

/** Presses a card button and waits until the refreshed card shows `expect`. */
export async function press(page: Page, button: string, expect: string): Promise<Locator> {
  const card = lastCard(page);
  const direct = card.getByRole('button', { name: button, exact: true });
  if (await direct.count()) await direct.click();
  else {
    // A secondary action (`mode: "secondary"`) sits in the card's "More options" menu.
    await card.getByRole('button', { name: 'More options' }).last().click();
    await page.getByRole('menuitem', { name: button, exact: true }).click();
  }
  await lastCard(page).getByText(expect).first().waitFor({ timeout: TURN_TIMEOUT_MS });
  return lastCard(page);
}

export async function fillText(card: Locator, labelTemplate: string, value: string): Promise<void> {
  await card.getByLabel(label(labelTemplate)).fill(value);
}

/** Input.ChoiceSet (compact) renders as a Fluent combobox whose list lives in a portal. */
export async function choose(page: Page, card: Locator, labelTemplate: string, option: string): Promise<void> {
  await card.getByRole('combobox', { name: label(labelTemplate) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

// ---------------------------------------------------------------------------------------
// Screenshots
// ---------------------------------------------------------------------------------------

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Minimal structural view of a DOM element: tsconfig has no DOM lib (this is a Node project). */
export interface ElementLike {
  parentElement: ElementLike | null;
  scrollHeight: number;
  clientHeight: number;
  scrollTop: number;
  getBoundingClientRect(): Rect;
}

/** The message list (the card's nearest scrolling ancestor), scrolled to the bottom; its box. */
export function scrollMessageListToBottom(card: Locator): Promise<Rect> {
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
export async function parkPointer(page: Page): Promise<void> {
  await page.mouse.move(VIEWPORT.width - 330, 24);
}

export async function box(locator: Locator): Promise<Rect> {
  const rect = await locator.boundingBox();
  if (!rect) throw new Error(`not visible: ${locator.toString()}`);
  return rect;
}

/**
 * Saves the newest bot message (from `from`, default its header, down to the card's bottom),
 * cropped to the chat column. Cards taller than the window are shown whole by growing the
 * window for the shot, as a person with a tall screen would see them.
 */
export async function shoot(page: Page, file: string, from?: Locator): Promise<void> {
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
export function scrollChannelToTop(post: Locator): Promise<Rect> {
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
export async function shootPost(page: Page, post: Locator, file: string, withPage = false): Promise<void> {
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
export class Team {
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
    const frame = await stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId.startsWith(this.channelId), TURN_TIMEOUT_MS, since);
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

  /** The bot's first channel post after `since` whose card contains `text`. */
  async postWith(text: string, since: number): Promise<FrameMessage & { threadId: string }> {
    const frame = await this.playground.stream.waitFor(
      (f) => f.action === 'createMessage' && f.actionConversationId === this.channelId && JSON.stringify(f.message.attachments).includes(text),
      TURN_TIMEOUT_MS,
      since,
    );
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
export async function setUpReviewChannel(team: Team): Promise<void> {
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

/** Back to the personal chat with the bot, in the list of chats on the left. */
export async function openPersonalChat(page: Page): Promise<void> {
  await page
    .getByRole('tree', { name: 'Personal and Group Chat' })
    .getByRole('treeitem', { name: startingWith('Personal Chat') })
    .click();
}

/** Opens a channel the way a person does: in the list of the team's channels on the left. */
export async function openChannel(page: Page, name: string): Promise<void> {
  // The page names each channel "<team> - <channel>".
  await page
    .getByRole('tree', { name: 'Teams Channel' })
    .getByRole('treeitem', { name: endingWith(` - ${name}`) })
    .click();
}

/** Scores every criterion of the review card in `post` as the three panel members, through the Playground's invoke endpoint. */
export async function scoreByPanel(team: Team, post: FrameMessage & { threadId: string }): Promise<{ roundId: unknown; applicationId: unknown }> {
  const data = (post.attachments[0]?.content as { refresh?: { action?: { data?: Record<string, unknown> } } } | undefined)?.refresh?.action?.data;
  if (!data?.roundId || !data.applicationId) throw new Error('the review card carries no roundId/applicationId in its refresh action');
  const applicationRef = { roundId: data.roundId, applicationId: data.applicationId };
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
  return applicationRef;
}

/** The channel card of application `reference` on the page, once it shows `text`; re-opens the channel if the page did not update it in place. */
export async function channelPostShowing(page: Page, reference: string, texts: string[], timeoutMs = 5_000): Promise<Locator> {
  const post = page.locator(CHANNEL_POST).filter({ hasText: fill(t.review.reference, { reference }) });
  const shows = async (): Promise<boolean> => {
    for (const text of texts) if ((await post.getByText(text).count()) === 0) return false;
    return true;
  };
  await poll(`${texts.map((x) => `"${x}"`).join(' and ')} on the channel card`, shows, timeoutMs).catch(async () => {
    // Not updated in place: leave the channel and come back, as a person would.
    console.log('  (the page did not update the card in place; re-opening the channel)');
    await openChannel(page, 'General');
    await openChannel(page, REVIEW_CHANNEL_NAME);
    await poll(`${texts.map((x) => `"${x}"`).join(' and ')} on the channel card after re-opening the channel`, shows);
  });
  return post;
}

/** The channel part of the README pictures: the new review card (06), the panel scores, the result (07). */
export async function captureReview(
  page: Page,
  team: Team,
  reference: string,
  files = { posted: '06-review-channel.png', scored: '07-review-scored.png' },
): Promise<{ roundId: unknown; applicationId: unknown }> {
  const post = await team.reviewPost(reference);
  await openChannel(page, REVIEW_CHANNEL_NAME);
  const panelSize = 3;
  const reviewPost = await channelPostShowing(page, reference, [fill(t.review.progress, { n: 0, m: panelSize })], TURN_TIMEOUT_MS);
  await shootPost(page, reviewPost, files.posted, true);

  const applicationRef = await scoreByPanel(team, post);

  const scored = await channelPostShowing(page, reference, [fill(t.review.progress, { n: panelSize, m: panelSize }), t.review.statusClosed]);
  await shootPost(page, scored, files.scored);
  console.log(`application ${reference} scored by ${panelSize} panel members`);
  return applicationRef;
}

/** Which pictures `applyOnPage` takes; a missing name skips that picture. */
export interface ApplyShots {
  welcome?: string;
  stepError?: string;
  summary?: string;
  submitted?: string;
  list?: string;
}

/**
 * The page's user (Anouk) applies in her personal chat, all through the page: `hallo`, eligibility,
 * the five steps (with one wrong e-mail address on the way), the summary, *Indienen*, `mijn
 * aanvragen`. Returns the reference (LB-YYYY-NNN).
 */
export async function applyOnPage(page: Page, shots: ApplyShots = {}): Promise<string> {
  await say(page, 'hallo');
  await lastCard(page).getByText(t.welcome.title).first().waitFor();
  // Include the user's "hallo" bubble: the bubble's header is the one before the bot's.
  if (shots.welcome) await shoot(page, shots.welcome, page.locator(MESSAGE_HEADER).nth(-2));

  let card = await press(page, t.common.newApplication, t.eligibility.title);
  for (const yes of await card.getByRole('radio', { name: t.common.yes, exact: true }).all()) await yes.check();
  card = await press(page, t.eligibility.continue, fill(t.common.stepOf, { n: 1, total: STEPS.length }));

  const org = VALID_INPUT.organisation;
  await fillText(card, t.fields.organisation, org.organisation!);
  await fillText(card, t.fields.contactName, org.contactName!);
  await fillText(card, t.fields.contactEmail, 'anouk-at-buurtkracht');
  card = await press(page, t.common.next, t.errors.email);
  if (shots.stepError) await shoot(page, shots.stepError);

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
  // One budget line for the whole amount (the fixtures' three lines are typed by the turn tests).
  await fillText(card, fill(lines.parts.description, { n: 1 }), 'Begeleiding, ruimte en materiaal');
  await fillText(card, fill(lines.parts.amount, { n: 1 }), budget.amount!);
  await fillText(card, t.fields.budgetBreakdown, budget.budgetBreakdown!);
  await fillText(card, t.fields.periodStart, budget.periodStart!);
  await fillText(card, t.fields.periodEnd, budget.periodEnd!);
  card = await press(page, t.common.next, t.steps.results.title);

  const results = VALID_INPUT.results;
  await fillText(card, t.fields.expectedResults, results.expectedResults!);
  await fillText(card, t.fields.evidence, results.evidence!);
  await press(page, t.common.next, t.summary.title);
  if (shots.summary) await shoot(page, shots.summary);

  card = await press(page, t.summary.submit, t.submitted.title);
  const reference = /LB-\d{4}-\d{3}/.exec(await card.innerText())?.[0];
  if (!reference) throw new Error('the confirmation card shows no LB-YYYY-NNN reference');
  if (shots.submitted) await shoot(page, shots.submitted);

  card = await say(page, 'mijn aanvragen');
  // "Wordt beoordeeld" once the bot has posted it in the review channel, "Ingediend" before.
  const listed = new RegExp(`^${escapeRegExp(reference)} · (${escapeRegExp(t.status.in_review)}|${escapeRegExp(t.status.submitted)}) · `);
  await card.getByText(listed).waitFor({ timeout: TURN_TIMEOUT_MS });
  if (shots.list) await shoot(page, shots.list, page.locator(MESSAGE_HEADER).nth(-2));
  console.log(`application ${reference} submitted and listed`);
  return reference;
}

// ---------------------------------------------------------------------------------------
// Setup and teardown
// ---------------------------------------------------------------------------------------

export interface BrowserSession {
  /** Stops run in reverse order at the end, also when something fails. */
  onCleanup(stop: () => Promise<void>): void;
  /** Azurite (in memory) and the bot as a process, with Dutch cards and Ingrid as accounthouder. */
  startServices(): Promise<{ azurite: RunningAzurite; bot: RunningBot }>;
  /** A Playground for `bot`; `configPath` for another cast (see `castAs`). Its output is printed on failure. */
  startPlayground(name: string, bot: RunningBot, configPath?: string): Promise<RunningPlayground>;
  /** A new browser window (its own context) on `url`, loaded; saved as evidence on failure. */
  openPage(name: string, url: string): Promise<Page>;
}

/** Saves what a page looked like when it failed; outside the repo, it is debugging only. */
async function saveFailureEvidence(name: string, page: Page): Promise<void> {
  const base = join(tmpdir(), `leerbudget-${name}-failure-${Date.now()}`);
  await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
  await writeFile(`${base}.html`, await page.content().catch(() => '')).catch(() => undefined);
  console.error(`page "${name}" at failure: ${base}.png and ${base}.html`);
}

/**
 * Runs `body` with a session that starts what it asks for and stops all of it afterwards, on
 * failure, on Ctrl-C and after `timeoutMs`. Exits the process: 0 on success, 1 on failure or
 * time-out, 130 on a signal.
 */
export function runBrowserScript(title: string, body: (session: BrowserSession) => Promise<void>, timeoutMs: number): void {
  const cleanups: Array<() => Promise<void>> = [];
  const outputs: Array<[string, () => string]> = [];
  const pages: Array<[string, Page]> = [];
  const pageErrors: string[] = [];
  let browser: Browser | undefined;
  let cleaning: Promise<void> | undefined;
  /** Set on Ctrl-C or time-out: the browser closing under the script is then expected. */
  let stopping = false;

  const cleanUp = (): Promise<void> => {
    // Once only: a signal, the time limit and the script's own ending may all ask for it.
    cleaning ??= (async () => {
      while (cleanups.length > 0) {
        const stop = cleanups.pop()!;
        await stop().catch((err: unknown) => console.error(`cleanup: ${err instanceof Error ? err.message : String(err)}`));
      }
    })();
    return cleaning;
  };

  const session: BrowserSession = {
    onCleanup: (stop) => {
      cleanups.push(stop);
    },
    async startServices() {
      const azurite = await startAzurite();
      cleanups.push(() => azurite.stop());
      const bot = await startBot({
        connectionString: azurite.connectionString,
        // Dutch cards, as Zwolle's users see them: the Playground always sends locale en-US.
        // Ingrid is the accounthouder who links the review channel, builds the panel and approves.
        env: { SEED_DEMO: 'true', UI_LOCALE: 'nl-NL', LOG_LEVEL: 'warn', ACCOUNTHOUDER_IDS: INGRID.aadObjectId },
      });
      cleanups.push(() => bot.stop());
      outputs.push(['bot', () => bot.output()]);
      return { azurite, bot };
    },
    async startPlayground(name, bot, configPath) {
      const playground = await startPlayground({ botEndpoint: bot.messagesUrl, ...(configPath ? { configPath } : {}) });
      cleanups.push(() => playground.stop());
      outputs.push([`playground ${name}`, () => playground.output()]);
      return playground;
    },
    async openPage(name, url) {
      if (!browser) {
        try {
          browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
        } catch (err) {
          throw new Error(`could not start ${CHROMIUM} (apt-get install -y chromium?): ${err instanceof Error ? err.message : String(err)}`);
        }
        const opened = browser;
        cleanups.push(() => opened.close());
      }
      const context = await browser.newContext({ viewport: VIEWPORT, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
      const page = await context.newPage();
      page.setDefaultTimeout(TURN_TIMEOUT_MS);
      // Offline, the page's web fonts and animation worklet from the Office CDN fail; that is
      // harmless. Uncaught errors in the page are not, so report them.
      page.on('pageerror', (err) => pageErrors.push(`${name}: ${err.message}`));
      pages.push([name, page]);
      await page.goto(url, { waitUntil: 'networkidle' });
      return page;
    },
  };

  const started = Date.now();
  const main = async (): Promise<void> => {
    await mkdir(OUT_DIR, { recursive: true });
    try {
      await body(session);
    } catch (err) {
      if (stopping) throw err;
      for (const [name, page] of pages) await saveFailureEvidence(name, page);
      const tail = (text: string): string => text.split('\n').slice(-20).join('\n');
      for (const [name, output] of outputs) console.error(`--- ${name} output (last lines) ---\n${tail(output())}`);
      throw err;
    } finally {
      if (pageErrors.length > 0) console.warn(`errors in the page:\n  ${pageErrors.join('\n  ')}`);
    }
  };

  const limit = setTimeout(() => {
    stopping = true;
    console.error(`${title} failed: not done within ${timeoutMs / 1000} s; stopping…`);
    void cleanUp().then(() => process.exit(1));
  }, timeoutMs);
  limit.unref();

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      console.error(`${signal}: stopping…`);
      void cleanUp().then(() => process.exit(130));
    });
  }

  main()
    .then(async () => {
      await cleanUp();
      console.log(`${title} done in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${relative(process.cwd(), OUT_DIR) || '.'}`);
      process.exit(0);
    })
    .catch(async (err: unknown) => {
      // On Ctrl-C or time-out the handler is already stopping everything and sets the exit code.
      if (stopping) return;
      console.error(`${title} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await cleanUp();
      process.exit(1);
    });
}
