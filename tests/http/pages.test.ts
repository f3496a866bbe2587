import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRIVACY_CONTACT, loadConfig } from '../../src/config';
import { PAGE_PATHS, pageLang, REGISTER_PATH } from '../../src/http/pages';
import { DEFAULT_RETENTION, FIXED_TERMS } from '../../src/domain/retention';
import { STORED_DATA, STORED_FIELDS } from '../../src/http/stored-data';
import { startHarness } from '../support/harness';

/** The website, privacy and terms pages the app manifest links to, served by the bot itself. */
const CONTACT = 'fg@gemeente.example';
let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness({ env: { PRIVACY_CONTACT: CONTACT } });
});
afterAll(() => h?.stop());

const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
/** The page's visible text: tags out, entities decoded, white space folded. */
const textOf = (html: string) => unescape(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.bot.url}${path}`, { headers });
  return { res, html: await res.text() };
}

describe.each(['nl', 'en'] as const)('the pages in %s', (lang) => {
  it.each(PAGE_PATHS)('%s: 200, HTML in the language, a heading, a link to the other language, nothing external', async (path) => {
    const { res, html } = await get(`${path}?lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${lang}">`));
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<main>[\s\S]*<\/main>/);
    const other = lang === 'nl' ? 'en' : 'nl';
    expect(html).toContain(`<a href="${path}?lang=${other}" lang="${other}" hreflang="${other}">`);
    // No scripts, images, external styles or fonts; links stay on the site or are mail links.
    expect(html).not.toMatch(/<(script|img|link|iframe|object)\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(\/|mailto:)/);
    // The policy forbids loading anything and allows exactly the page's one inline style.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('the privacy page names every kind of stored data with why, who sees it and how long, and whom to ask', async () => {
    const { html } = await get(`/privacy?lang=${lang}`);
    const text = textOf(html);
    expect(STORED_DATA.length).toBeGreaterThanOrEqual(8);
    for (const d of STORED_DATA) {
      for (const part of [d.title, d.what, d.why, d.seenBy, d.kept]) expect(text).toContain(part[lang]);
    }
    expect(html).toContain(`<a href="mailto:${CONTACT}">${CONTACT}</a>`);
  });

  it('the processing register: every kind with purpose, categories, people, ground, recipients and term; every field with its end', async () => {
    const { res, html } = await get(`${REGISTER_PATH}?lang=${lang}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = textOf(html);
    for (const d of STORED_DATA) for (const part of [d.title, d.why, d.kept, ...Object.values(d.register)]) expect(text).toContain(part[lang]);
    for (const f of STORED_FIELDS) expect(text).toContain(`${f.record}.${f.field}`);
    expect(text).toContain(CONTACT);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    // The privacy page links to it.
    expect((await get(`/privacy?lang=${lang}`)).html).toContain(`href="${REGISTER_PATH}?lang=${lang}"`);
  });

  it('the terms on the pages are the retention defaults, not fixed text', () => {
    const contact = STORED_DATA.find((d) => d.id === 'contact')!.kept[lang];
    expect(contact).toContain(`${DEFAULT_RETENTION.notAwardedMonths} ${lang === 'nl' ? 'maanden' : 'months'}`);
    expect(contact).toContain(`${DEFAULT_RETENTION.awardedYears} ${lang === 'nl' ? 'jaar' : 'years'}`);
    expect(STORED_DATA.find((d) => d.id === 'messages')!.kept[lang]).toContain(`${FIXED_TERMS.sentMessageDays} `);
  });

  it('the terms name the privacy contact too', async () => {
    expect((await get(`/voorwaarden?lang=${lang}`)).html).toContain(`mailto:${CONTACT}`);
  });
});

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string) {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('contrast', () => {
  it('every text colour of the pages has at least 4.5:1 against the background (WCAG AA)', async () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec((await get('/privacy')).html)![1]!;
    const background = /background: (#[0-9a-f]{6})/i.exec(style)![1]!;
    const colours = [...style.matchAll(/(?<![-\w])color: (#[0-9a-f]{6})/gi)].map((m) => m[1]!);
    expect(colours.length).toBeGreaterThanOrEqual(2);
    for (const c of colours) expect(contrast(c, background)).toBeGreaterThanOrEqual(4.5);
    // Borders and the focus ring: 3:1 for non-text contrast.
    for (const [, c] of style.matchAll(/(?:border[\w-]*|outline): [^;]*?(#[0-9a-f]{6})/gi)) expect(contrast(c!, background)).toBeGreaterThanOrEqual(3);
  });
});

describe('HEAD', () => {
  it.each(PAGE_PATHS)('%s: 200 with the headers and no body', async (path) => {
    const res = await fetch(`${h.bot.url}${path}?lang=en`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(500);
    expect(await res.text()).toBe('');
  });
});

describe('which language', () => {
  it('follows Accept-Language without ?lang, Dutch when neither is asked for, and ?lang wins', async () => {
    const lang = async (path: string, al?: string) => /<html lang="(\w+)">/.exec((await get(path, al ? { 'accept-language': al } : {})).html)![1];
    expect(await lang('/privacy', 'en-GB,en;q=0.9')).toBe('en');
    expect(await lang('/privacy', 'nl-NL,nl;q=0.9,en;q=0.8')).toBe('nl');
    expect(await lang('/privacy')).toBe('nl');
    expect(await lang('/privacy?lang=nl', 'en-US')).toBe('nl');
    expect(await lang('/voorwaarden?lang=en', 'nl')).toBe('en');
  });

  it('weighs Accept-Language and skips languages it has no page in', () => {
    expect(pageLang(null, 'de-DE,en;q=0.5,nl;q=0.7')).toBe('nl');
    expect(pageLang(null, 'fr, en;q=0.1')).toBe('en');
    expect(pageLang(null, 'fr')).toBe('nl');
    expect(pageLang(null, 'en;q=0, nl;q=0')).toBe('nl');
    expect(pageLang('xx', 'en')).toBe('en');
  });
});

describe('the manifest and the settings', () => {
  it('the app manifest links to exactly these pages', () => {
    const manifest = JSON.parse(readFileSync('teamsapp/appPackage/manifest.json', 'utf8'));
    const path = (url: string) => url.replace('https://${{BOT_DOMAIN}}', '');
    expect([manifest.developer.websiteUrl, manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl].map(path)).toEqual([...PAGE_PATHS]);
  });

  it('the privacy contact is a setting with a placeholder default', () => {
    const base = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', APP_ENV: 'local' };
    expect(loadConfig(base).privacyContact).toBe(DEFAULT_PRIVACY_CONTACT);
    // The Bicep passes an empty setting when the admin gave none.
    expect(loadConfig({ ...base, PRIVACY_CONTACT: '' }).privacyContact).toBe(DEFAULT_PRIVACY_CONTACT);
    expect(loadConfig({ ...base, PRIVACY_CONTACT: ' https://www.zwolle.nl/privacy ' }).privacyContact).toBe('https://www.zwolle.nl/privacy');
  });

  it('a contact that is a web address becomes a link, anything else stays text (escaped)', async () => {
    const other = await startHarness({ env: { PRIVACY_CONTACT: 'Bel <b>14 038</b>' }, azurite: h.azurite });
    try {
      const html = await (await fetch(`${other.bot.url}/privacy`)).text();
      expect(html).toContain('Bel &lt;b&gt;14 038&lt;/b&gt;');
      expect(html).not.toContain('<b>14 038</b>');
    } finally {
      await other.stop();
    }
  });
});
