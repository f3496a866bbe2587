import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { startPartnerChat, PartnerChat } from '../support/partner-chat';
import type { RunningBot } from '../support/playground';
import { readCard } from '../support/teams';

/**
 * The whole partner story through Microsoft's Agents Playground: its page's own HTTP and
 * WebSocket endpoints, the bot as a separate process, Table Storage on Azurite. The Playground
 * always sends locale en-US, so the bot answers in English here.
 */
let pc: PartnerChat;
let bot: RunningBot;
let say: PartnerChat['say'];
let press: PartnerChat['press'];

beforeAll(async () => {
  pc = await startPartnerChat('E2e');
  ({ bot, say, press } = pc);
}, 90_000);

afterAll(async () => {
  await pc?.stop();
});

describe('a partner applies in the Agents Playground', () => {
  let reference = '';

  it('completes and submits an application', async () => {
    const welcome = await say('hello');
    expect(readCard(welcome.card).text).toContain('Neighbourhood learning budget');
    const eligibility = await press(welcome.id, welcome.card, 'New application');
    let card = await press(welcome.id, eligibility, 'Continue', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS) {
      expect(readCard(card).text).toContain(`Step ${STEPS.indexOf(step) + 1} of 5`);
      card = await press(welcome.id, card, 'Next', VALID_INPUT[step] as Record<string, string>);
    }
    expect(readCard(card).text).toContain('Overview of your application');
    const done = readCard(await press(welcome.id, card, 'Submit'));
    expect(done.text).toContain('Your application has been submitted');
    reference = /LB-\d{4}-\d{3}/.exec(done.text)?.[0] ?? '';
    expect(reference).toMatch(/^LB-\d{4}-001$/);
  });

  it('finds it again after the bot restarts, and withdraws it', async () => {
    await bot.restart();
    const list = await say('my applications');
    const shown = readCard(list.card);
    expect(shown.text).toContain(`${reference} · Submitted`);
    const confirm = await press(list.id, list.card, `Withdraw: ${reference}`);
    const after = readCard(await press(list.id, confirm, 'Yes, withdraw'));
    expect(after.text).toContain(`${reference} · Withdrawn`);
  });

  it('keeps an unfinished draft across a restart', async () => {
    const welcome = await say('hello');
    const eligibility = await press(welcome.id, welcome.card, 'New application');
    const step1 = await press(welcome.id, eligibility, 'Continue', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    await press(welcome.id, step1, 'Continue later', { organisation: 'Stichting Buurtkracht Zwolle' });
    await bot.restart();
    const list = await say('my applications');
    const resumed = readCard(await press(list.id, list.card, 'Continue: (no title yet)'));
    expect(resumed.input('organisation')?.value).toBe('Stichting Buurtkracht Zwolle');
  });
});
