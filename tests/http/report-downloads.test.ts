import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import * as restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportDownloads, reportLinker } from '../../src/http/report-downloads';
import { BOM } from '../../src/reports/csv';
import { fixedClock, NOW } from '../fixtures';
import { reportRound } from '../support/report-round';

const clock = fixedClock();
const options = { publicUrl: 'https://bot.example.nl', linkSecret: 'test-secret-0123456789' };
const linker = reportLinker(options);
let server: restify.Server;
let base = '';
let roundId = '';

/** The signed link as a card carries it, sent to this test server instead of the public host. */
const local = (url: string) => url.replace(options.publicUrl, base);

beforeAll(async () => {
  const fixture = await reportRound();
  roundId = fixture.roundId;
  server = restify.createServer();
  registerReportDownloads(server, { repos: fixture.repos, clock }, linker);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

describe('report downloads', () => {
  it('a signed link gives the file with the right type and a sensible file name', async () => {
    clock.set(NOW);
    const links = linker.links(roundId, 'allocation', NOW);
    expect(links['verdeling.md']).toMatch(/^https:\/\/bot\.example\.nl\/api\/reports\/LB-2026\/verdeling\.md\?exp=\d+&sig=[\w-]{43}$/);
    const md = await fetch(local(links['verdeling.md']!));
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(md.headers.get('content-disposition')).toContain('attachment; filename="raadsinformatie-verdeling-LB-2026.md"');
    expect(md.headers.get('cache-control')).toBe('private, no-store');
    expect(await md.text()).toMatch(/^# Raadsinformatie: verdeling wijkgericht leerbudget 2026/);

    const woo = await fetch(local(links['woo.csv']!));
    expect(woo.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(woo.headers.get('content-disposition')).toContain('filename="woo-toekenningen-LB-2026.csv"');
    const bytes = Buffer.from(await woo.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8').startsWith(`${BOM}ronde,kenmerk,`)).toBe(true);

    const png = await fetch(local(links['wijk.png']!));
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(PNG.sync.read(Buffer.from(await png.arrayBuffer())).width).toBe(880);
    const svg = await fetch(local(links['wijk.svg']!));
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');

    const docx = await fetch(local(links['verdeling.docx']!));
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers.get('content-disposition')).toContain('attachment; filename="raadsinformatie-verdeling-LB-2026.docx"');
    expect(
      Buffer.from(await docx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    const xlsx = await fetch(local(linker.url(roundId, 'overzicht.xlsx', NOW)));
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('content-disposition')).toContain('filename="overzicht-aanvragen-LB-2026.xlsx"');

    const results = linker.links(roundId, 'results', NOW);
    expect((await fetch(local(results['resultaten.docx']!))).headers.get('content-disposition')).toContain(
      'filename="raadsinformatie-resultaten-LB-2026.docx"',
    );
    const rmd = await fetch(local(results['resultaten.md']!));
    expect(rmd.status).toBe(200);
    expect(rmd.headers.get('content-disposition')).toContain('filename="raadsinformatie-resultaten-LB-2026.md"');
  });

  it('a tampered link is refused with 403: another file, another round, a longer life, a changed signature', async () => {
    clock.set(NOW);
    const url = new URL(local(linker.url(roundId, 'verdeling.md', NOW)));
    const variants = [
      url.href.replace('/verdeling.md', '/woo.csv'),
      url.href.replace('/LB-2026/', '/LB-2025/'),
      url.href.replace(/exp=(\d+)/, (_, e: string) => `exp=${Number(e) + 3600}`),
      url.href.replace(/sig=([\w-])/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`),
      url.href.replace(/&sig=[\w-]+/, ''),
      `${base}/api/reports/${roundId}/verdeling.md`,
    ];
    for (const v of variants) {
      const res = await fetch(v);
      expect(res.status, v).toBe(403);
      expect(await res.text()).toContain('verlopen of klopt niet');
    }
    // A link signed with another secret (another installation) does not work here either.
    const other = reportLinker({ ...options, linkSecret: 'another-secret' });
    expect((await fetch(local(other.url(roundId, 'verdeling.md', NOW)))).status).toBe(403);
  });

  it('an expired link is refused with 403; the same link worked just before', async () => {
    const url = local(linker.url(roundId, 'toekenningen.csv', NOW));
    clock.set(new Date(NOW.getTime() + 7 * 24 * 3600 * 1000 - 1000));
    expect((await fetch(url)).status).toBe(200);
    clock.set(new Date(NOW.getTime() + 7 * 24 * 3600 * 1000 + 1000));
    expect((await fetch(url)).status).toBe(403);
  });

  it('an unknown file or a malformed round is 404, before any signature is looked at', async () => {
    clock.set(NOW);
    expect((await fetch(`${base}/api/reports/${roundId}/secrets.txt?exp=1&sig=x`)).status).toBe(404);
    expect((await fetch(`${base}/api/reports/..%2Fetc/verdeling.md`)).status).toBe(404);
  });

  it('a random secret per process when none is configured: links still verify within that process', () => {
    const a = reportLinker({ publicUrl: 'http://localhost:3978', linkSecret: '' });
    const u = new URL(a.url(roundId, 'woo.csv', NOW));
    expect(a.verify(roundId, 'woo.csv', u.searchParams.get('exp') ?? undefined, u.searchParams.get('sig') ?? undefined, NOW)).toBe(true);
    const b = reportLinker({ publicUrl: 'http://localhost:3978', linkSecret: '' });
    expect(b.verify(roundId, 'woo.csv', u.searchParams.get('exp') ?? undefined, u.searchParams.get('sig') ?? undefined, NOW)).toBe(false);
  });
});
