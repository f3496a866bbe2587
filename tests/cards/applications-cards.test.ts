import { describe, expect, it } from 'vitest';
import { applicationsCard, threadUrl } from '../../src/cards/applications-cards';
import { readCard } from '../support/teams';
import { applicationsPage } from './card-fixtures';

/** Teams' limit on a card, counted as the client does: UTF-16. */
const utf16 = (card: unknown) => JSON.stringify(card).length * 2;

describe('the aanvragen card', () => {
  it('stays under 80 KB (UTF-16) at 10,000 applications with the longest names and titles, in both languages', () => {
    for (const lang of ['nl', 'en'] as const) {
      const card = applicationsCard(lang, applicationsPage(20, 10_000));
      expect(utf16(card), lang).toBeLessThanOrEqual(81_920);
      // Far under: a page is 20 applications whatever the round holds (about 45 KB in UTF-16 at these texts, with a request button on each application in review).
      expect(utf16(card), lang).toBeLessThan(50_000);
      expect(readCard(card).text).toContain(
        lang === 'nl' ? '10.000 van de 10.000 aanvragen · pagina 2 van 500' : '10,000 of 10,000 applications · page 2 of 500',
      );
    }
  });

  it('pages: Vorige and Volgende carry the page they lead to, and only where there is one', () => {
    const middle = readCard(applicationsCard('nl', applicationsPage(20, 10_000)));
    expect(middle.action('Vorige').data).toMatchObject({ roundId: 'LB-2026', page: 1 });
    expect(middle.action('Volgende').data).toMatchObject({ roundId: 'LB-2026', page: 3 });
    const first = applicationsCard('nl', { ...applicationsPage(20, 10_000), page: 1 });
    const paging = (c: unknown) =>
      readCard(c)
        .actions.filter((a) => a.verb !== 'change.open')
        .map((a) => a.title);
    expect(paging(first)).toEqual(['Filteren', 'Volgende', 'Downloaden (Excel)']);
    const last = applicationsCard('nl', { ...applicationsPage(20, 10_000), page: 500 });
    expect(paging(last)).toEqual(['Filteren', 'Vorige', 'Downloaden (Excel)']);
  });

  it('a request button (change.open) for each application in review or submitted, naming it, carrying only which one', () => {
    const page = applicationsPage(6);
    const card = readCard(applicationsCard('nl', page));
    const buttons = card.actions.filter((a) => a.verb === 'change.open');
    const requestable = page.rows.filter((r) => r.status === 'in_review' || r.status === 'submitted');
    expect(requestable.length).toBeGreaterThan(0);
    expect(requestable.length).toBeLessThan(page.rows.length);
    expect(buttons.map((b) => b.title)).toEqual(requestable.map((r) => `Aanvulling vragen: ${r.reference}`));
    expect(buttons.map((b) => b.data)).toEqual(requestable.map((r) => ({ roundId: page.round.id, applicationId: r.applicationId })));
    expect(readCard(applicationsCard('en', page)).action(`Request changes: ${requestable[0]!.reference}`).verb).toBe('change.open');
  });

  it('each posted application links to its review card in the channel thread; progress and score as sentences', () => {
    const card = applicationsCard('nl', applicationsPage(3));
    const json = JSON.stringify(card);
    expect(json).toContain('https://teams.microsoft.com/l/message/19%3A' + 'c'.repeat(32) + '%40thread.tacv2/1732356000000?tenantId=');
    expect(readCard(card).text).toContain('Beoordeling: 3 van 5 · onder het minimum · 3 niet mee (belang)');
    expect(readCard(card).text).toContain('Beoordeling afgerond (3 van 5) · score 81%');
    expect(threadUrl(undefined)).toBe('');
    expect(threadUrl({ threadId: '19:abc@thread.tacv2;messageid=42', activityId: '42' })).toBe(
      'https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/42?parentMessageId=42',
    );
  });
});
