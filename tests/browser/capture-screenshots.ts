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
 * also when something fails. Writes tests/e2e/screenshots/0N-*.png (01-07). The page helpers
 * live in playground-page.ts (shared with story.ts, the whole story from application to decision).
 */
import { applyOnPage, CARD, captureReview, runBrowserScript, setUpReviewChannel, Team, TURN_TIMEOUT_MS } from './playground-page';

runBrowserScript(
  'screenshots',
  async (session) => {
    console.log('starting Azurite, the bot and the Agents Playground…');
    const { bot } = await session.startServices();
    const playground = await session.startPlayground('anouk', bot);
    const page = await session.openPage('anouk', playground.url);

    // Opening the page installs the app; the bot greets with a first welcome card.
    await page.locator(CARD).first().waitFor({ timeout: TURN_TIMEOUT_MS });
    // Before anything is submitted: the page only knows the posts whose frames it received.
    const team = await Team.open(playground);
    await setUpReviewChannel(team);

    const reference = await applyOnPage(page, {
      welcome: '01-welcome.png',
      stepError: '02-step-error.png',
      summary: '03-summary.png',
      submitted: '04-submitted.png',
      list: '05-my-applications.png',
    });
    await captureReview(page, team, reference);
  },
  5 * 60_000,
);
