/**
 * The whole story in a browser: from a partner's application to the decision in her chat, in
 * headless Chromium (Debian's `chromium`) through the Microsoft 365 Agents Playground's web page,
 * against the real bot on Azurite.
 *
 *   npx tsx tests/browser/story.ts        (exit code 0 when the story holds, 1 when not)
 *
 * One bot, two Playgrounds, two browser windows:
 * - Anouk's Playground (the checked-in cast: Anouk is the page's user) holds her personal chat
 *   and the team with the review channel "Beoordeling".
 * - Ingrid's Playground (`castAs(…, 'ingrid')`: Ingrid, the accounthouder, is the page's user)
 *   holds her personal chat, where she approves.
 *
 * Act 1. Ingrid links the review channel and builds the panel (@mentions in Anouk's team,
 *        through that Playground's endpoints); Anouk applies and submits ON HER PAGE.
 * Act 2. The review card appears in the channel ON ANOUK'S PAGE; Sanne, Mohamed and Ingrid
 *        score it through the Playground's invoke endpoint (the page has one user and cannot show
 *        user-specific views); the page shows the card closed with the result.
 * Act 3. ON INGRID'S PAGE: `toekenning`, *Voorleggen aan panel*; Sanne and Mohamed say *Eens* on
 *        the proposal in the channel (invoke endpoint); *Vernieuwen* shows their marks;
 *        **Toekenning goedkeuren** decides.
 * Act 4. ON ANOUK'S PAGE: her decision card arrives in her personal chat (through the bot's
 *        outbox), and the channel gets the summary.
 *
 * Screenshots: tests/e2e/screenshots/story-*.png. The whole run is limited to 4 minutes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { castAs } from '../../src/dev/cast';
import { fill, formatEuro } from '../../src/i18n';
import { VALID_INPUT } from '../fixtures';
import { REPO_ROOT } from '../support/playground';
import { MOHAMED, readCard, SANNE } from '../support/teams';
import {
  applyOnPage,
  CARD,
  captureReview,
  CHANNEL_POST,
  lastCard,
  openChannel,
  openPersonalChat,
  press,
  REVIEW_CHANNEL_NAME,
  runBrowserScript,
  say,
  setUpReviewChannel,
  shoot,
  shootPost,
  t,
  Team,
  TURN_TIMEOUT_MS,
} from './playground-page';

const STORY_TIMEOUT_MS = 4 * 60_000;

runBrowserScript(
  'story',
  async (session) => {
    console.log('starting Azurite, the bot and two Agents Playgrounds (Anouk, Ingrid)…');
    const { bot } = await session.startServices();
    const anoukPlayground = await session.startPlayground('anouk', bot);
    const castDir = await mkdtemp(join(tmpdir(), 'leerbudget-story-cast-'));
    session.onCleanup(() => rm(castDir, { recursive: true, force: true }));
    const ingridCast = castAs(join(REPO_ROOT, '.m365agentsplayground.yml'), 'ingrid', castDir);
    const ingridPlayground = await session.startPlayground('ingrid', bot, ingridCast.path);

    // Opening a page installs the app in that person's chat; the bot greets with a welcome card.
    const anouk = await session.openPage('anouk', anoukPlayground.url);
    await anouk.locator(CARD).first().waitFor({ timeout: TURN_TIMEOUT_MS });
    const ingrid = await session.openPage('ingrid', ingridPlayground.url);
    await ingrid.locator(CARD).first().waitFor({ timeout: TURN_TIMEOUT_MS });
    if (!(await ingrid.getByText(ingridCast.name).first().isVisible())) throw new Error(`Ingrid's page does not show ${ingridCast.name} as its user`);

    // ---- Act 1: the partner applies ------------------------------------------------------
    console.log('act 1: Ingrid links the channel and builds the panel; Anouk applies on her page');
    const team = await Team.open(anoukPlayground);
    await setUpReviewChannel(team);
    const reference = await applyOnPage(anouk, { summary: 'story-1-summary.png', submitted: 'story-1-submitted.png' });

    // ---- Act 2: the panel scores in the channel ------------------------------------------
    console.log('act 2: the panel scores in the channel');
    await captureReview(anouk, team, reference, { posted: 'story-2-review-posted.png', scored: 'story-2-review-scored.png' });

    // ---- Act 3: the accounthouder approves, on her own page ------------------------------
    console.log('act 3: Ingrid shares the proposal, the panel agrees, she approves on her page');
    let card = await say(ingrid, 'toekenning');
    await card.getByText(t.alloc.title).first().waitFor();
    await card.getByText(reference).first().waitFor();

    const beforeShare = team.mark();
    await press(ingrid, t.alloc.share, t.alloc.shared);
    const proposal = await team.postWith(t.alloc.panelTitle, beforeShare);
    const agree = readCard(proposal.attachments[0]?.content).action(t.alloc.agree);
    for (const [member, remark] of [
      [SANNE, 'Goed verdeeld.'],
      [MOHAMED, 'Eens, dit helpt de wijk.'],
    ] as const) {
      const marked = await team.invoke(member, proposal, String(agree.verb), { ...(agree.data as Record<string, unknown>), remark });
      if (!marked.text.includes(t.alloc.marked)) throw new Error(`${member.name}'s mark was not saved:\n${marked.text}`);
    }
    // The proposal as the panel sees it in the channel, on Anouk's page (she is a bystander there).
    const proposalPost = anouk.locator(CHANNEL_POST).filter({ hasText: t.alloc.panelTitle });
    await proposalPost.waitFor({ timeout: TURN_TIMEOUT_MS });
    await shootPost(anouk, proposalPost, 'story-3-proposal-in-channel.png');

    card = await press(ingrid, t.alloc.refresh, fill(t.alloc.panelMarks, { agree: 2, disagree: 0 }));
    await shoot(ingrid, 'story-3-allocation.png');

    const amount = formatEuro('nl', Number(VALID_INPUT.budget.amount));
    const approved = fill(t.alloc.approved, { total: amount });
    card = await press(ingrid, t.alloc.approve, t.alloc.approved.split('{')[0]!.trim());
    const shown = await card.innerText();
    if (!shown.replace(/\s+/g, ' ').includes(approved.replace(/\s+/g, ' '))) throw new Error(`the approval shows no "${approved}":\n${shown}`);
    await shoot(ingrid, 'story-3-approved.png');
    console.log(`approved: ${amount} for ${reference}`);

    // ---- Act 4: the partner sees the decision --------------------------------------------
    console.log("act 4: Anouk's decision card in her personal chat, the summary in the channel");
    await openPersonalChat(anouk);
    const decision = lastCard(anouk);
    await decision.getByText(t.decision.awardedTitle).first().waitFor({ timeout: TURN_TIMEOUT_MS });
    const decisionText = (await decision.innerText()).replace(/\s+/g, ' ');
    for (const expected of [reference, `${t.decision.awarded}`, amount.replace(/\s+/g, ' ')]) {
      if (!decisionText.includes(expected)) throw new Error(`the decision card on Anouk's page lacks "${expected}":\n${decisionText}`);
    }
    await shoot(anouk, 'story-4-decision.png');

    await openChannel(anouk, REVIEW_CHANNEL_NAME);
    const summary = anouk.locator(CHANNEL_POST).filter({ hasText: t.decision.summaryTitle });
    await summary.waitFor({ timeout: TURN_TIMEOUT_MS });
    await shootPost(anouk, summary, 'story-4-channel-summary.png');
    console.log(`story complete: ${reference} applied, scored, approved, decision seen by Anouk`);
  },
  STORY_TIMEOUT_MS,
);
