import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { castAs } from '../../src/dev/cast';
import { amsterdamDay, amsterdamInstant } from '../../src/domain/round-settings';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { FrameMessage, RunningBot, RunningPlayground, startBot, startPlayground } from '../support/playground';
import { INGRID, readCard } from '../support/teams';

/**
 * A council deadline in the Agents Playground. Ingrid (accounthouder) has chatted with the bot and
 * linked the review channel. The bot then restarts with its clock set the day before the
 * allocation report is due: the reminder reaches her chat and the channel, and its button gives
 * the allocation report card, whose download link works.
 */
const CHANNEL = '19:leerbudget-beoordeling@thread.tacv2';
let azurite: RunningAzurite;
let bot: RunningBot;
let ingrid: RunningPlayground;
const env = { SEED_DEMO: 'true', LOG_LEVEL: 'warn', ACCOUNTHOUDER_IDS: INGRID.aadObjectId, UI_LOCALE: 'nl-NL' };

beforeAll(async () => {
  azurite = await startAzurite();
  bot = await startBot({ connectionString: azurite.connectionString, tablePrefix: 'E2eRemind', env });
  ingrid = await startPlayground({
    botEndpoint: bot.messagesUrl,
    configPath: castAs('.m365agentsplayground.yml', 'ingrid', mkdtempSync(join(tmpdir(), 'cast-'))).path,
  });
}, 120_000);

afterAll(async () => {
  await ingrid?.stop();
  await bot?.stop();
  await azurite?.stop();
});

describe('a council deadline in the Playground', () => {
  it('the reminder reaches the accounthouder and the channel; its button gives the report, and the download works', async () => {
    const chat = (await ingrid.client.config()).config.personalChat.id;
    let since = ingrid.stream.mark();
    await ingrid.client.sendText(chat, 'hallo');
    await ingrid.stream.nextMessage(chat, since);
    since = ingrid.stream.mark();
    await ingrid.client.mentionBot(CHANNEL, 'koppel beoordeling');
    await ingrid.stream.waitFor((f) => f.action === 'createMessage' && String(f.actionConversationId).startsWith(CHANNEL), 15_000, since);

    // The day before the allocation report is due, 09:05 in Zwolle.
    const round = (await tableRepos(tableClients(azurite.connectionString, 'E2eRemind')).rounds.list())[0]!;
    const due = amsterdamDay(round.councilAllocationReportDue);
    const dayBefore = amsterdamDay(new Date(Date.parse(`${due}T12:00:00Z`) - 86_400_000).toISOString());
    await bot.stop();
    since = ingrid.stream.mark();
    bot = await startBot({
      port: bot.port,
      connectionString: azurite.connectionString,
      tablePrefix: 'E2eRemind',
      env: { ...env, CLOCK_START: amsterdamInstant(dayBefore, '09:05') },
    });

    const reminder = (await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === chat, 20_000, since))
      .message as FrameMessage;
    const card = readCard(reminder.attachments[0]?.content);
    expect(card.text).toContain('Herinnering: de raad informeren over de verdeling');
    expect(card.text).toContain('morgen');
    const inChannel = (await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL, 20_000, since))
      .message as FrameMessage;
    expect(readCard(inChannel.attachments[0]?.content).text).toContain('Herinnering: de raad informeren over de verdeling');

    const button = card.action('Verslag over de verdeling maken');
    const report = await ingrid.client.invoke(chat, reminder.messageId, button.verb, button.data, INGRID.id);
    const reportCard = readCard(report.value);
    expect(reportCard.text).toContain('Raadsinformatie: verdeling');
    const download = JSON.stringify(report.value).match(/"url":"(http[^"]+\.md[^"]*)"/)?.[1];
    expect(download).toBeDefined();
    const res = await fetch(download!.replace('localhost', '127.0.0.1'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    expect(await res.text()).toContain('Raadsinformatie');
  });
});
