import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALID_INPUT } from '../fixtures';
import { startPartnerChat, PartnerChat } from '../support/partner-chat';
import type { RunningBot } from '../support/playground';
import { readCard } from '../support/teams';

/**
 * Inzage (AVG art. 15) through Microsoft's Agents Playground: a partner types the first two steps
 * of an application, asks `my data` (the Playground sends en-US), and the card's two links,
 * fetched over HTTP from the bot as a browser would, hold what was typed. An altered link is 403.
 */
let pc: PartnerChat;
let bot: RunningBot;
let say: PartnerChat['say'];
let press: PartnerChat['press'];

/** Distinctive, so a match can only come from what was typed here. */
const CONTACT = 'Zoë Kwakernaak-Oudshoorn';
const QUESTION = 'Kinderen 🌱 die nu wachten op jeugdhulp, samen met de buurtsportcoach opvangen.';

beforeAll(async () => {
  pc = await startPartnerChat('E2eInzage');
  ({ bot, say, press } = pc);
}, 90_000);

afterAll(async () => {
  await pc?.stop();
});

/** The card's Action.OpenUrl buttons by title. */
function openUrls(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.OpenUrl') out[String(o.title)] = String(o.url);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** The links carry the bot's public URL (localhost here); fetch them from the bot's loopback address. */
const local = (url: string) => {
  const u = new URL(url);
  return `${bot.url}${u.pathname}${u.search}`;
};

describe('mijn gegevens in the Agents Playground', () => {
  it('downloads, readable and as JSON, what the partner typed; an altered link gets 403', async () => {
    const welcome = await say('hello');
    const eligibility = await press(welcome.id, welcome.card, 'New application');
    const step1 = await press(welcome.id, eligibility, 'Continue', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    const step2 = await press(welcome.id, step1, 'Next', { ...(VALID_INPUT.organisation as Record<string, string>), contactName: CONTACT });
    expect(readCard(step2).text).toContain('Step 2 of 5');
    const step3 = await press(welcome.id, step2, 'Next', { ...(VALID_INPUT.question as Record<string, string>), question: QUESTION });
    expect(readCard(step3).text).toContain('Step 3 of 5');

    const mine = await say('my data');
    const shown = readCard(mine.card);
    expect(shown.text).toContain('Your data');
    expect(shown.text).toContain('1 application');
    const urls = openUrls(mine.card);
    expect(Object.keys(urls).sort()).toEqual(['Download (JSON)', 'Download (readable)']);

    const md = await fetch(local(urls['Download (readable)']!));
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.headers.get('cache-control')).toContain('no-store');
    const text = await md.text();
    expect(text).toContain('# Your data in Leerbudget');
    expect(text).toContain(CONTACT);
    expect(text).toContain(QUESTION);
    expect(text).toContain(VALID_INPUT.organisation.contactEmail as string);

    const json = await fetch(local(urls['Download (JSON)']!));
    expect(json.status).toBe(200);
    const data = (await json.json()) as {
      sections: { contact: { contactName?: string }[]; application: { fields: { question?: string; contactPhone?: string } }[] };
    };
    expect(data.sections.contact.map((c) => c.contactName)).toEqual([CONTACT]);
    expect(data.sections.application).toHaveLength(1);
    expect(data.sections.application[0]!.fields.question).toBe(QUESTION);
    expect(data.sections.application[0]!.fields.contactPhone).toBe(VALID_INPUT.organisation.contactPhone);

    // Another person in the link, or a forged signature: refused before anything is read.
    const url = new URL(local(urls['Download (JSON)']!));
    const other = new URL(url);
    other.searchParams.set('p', '00000000-0000-4000-8000-000000000001');
    const forged = new URL(url);
    forged.searchParams.set('sig', 'A'.repeat(43));
    for (const bad of [other, forged]) {
      const res = await fetch(bad);
      expect(res.status, bad.toString()).toBe(403);
      const body = await res.text();
      expect(body).not.toContain(CONTACT);
      expect(body).not.toContain('🌱');
    }
  }, 60_000);
});
