import type * as restify from 'restify';
import { entraIdPattern } from '../domain/personal-data';
import type { Lang } from '../i18n';
import { logbookLabels } from '../i18n/logbook';
import { privacyMessages } from '../i18n/privacy-requests';
import type { Logger } from '../log';
import { isPersonalFile, PERSONAL_FILES, personalDataJson, personalDataMarkdown } from '../reports/personal-data';
import { logbookCsv } from '../reports/logbook-csv';
import { LOGBOOK_PATH, LOGBOOK_PURPOSE, PERSONAL_PATH, PERSONAL_PURPOSE, type SignedLinker } from '../reports/signed-links';
import type { Deps } from '../usecases/deps';
import { logbookFilterFromParams, logbookRows } from '../usecases/logbook';
import { collectPersonalData } from '../usecases/personal-data';

const HEADERS = {
  // The link is the permission: no shared cache may keep a copy for someone without it.
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'",
  'Referrer-Policy': 'no-referrer',
};

/**
 * GET /api/my-data/:file?p=…&lang=…&exp=…&sig=… — everything stored about the person the link was
 * made for (Markdown or JSON), and GET /api/logbook/logboek.csv?…&exp=…&sig=… — the audit records
 * of the filter the link was made for. The signature covers the person (or the filter), the
 * language and the expiry: an altered or expired link gets 403 before anything is read. Logs
 * carry no person id.
 */
export function registerPersonalDownloads(server: restify.Server, deps: Deps, linker: SignedLinker, log?: Logger): void {
  const plain = (res: restify.Response, status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...HEADERS });
    res.end(text);
  };
  const send = (res: restify.Response, contentType: string, name: string, body: string) => {
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(200, {
      'Content-Type': contentType,
      'Content-Length': String(bytes.length),
      'Content-Disposition': `attachment; filename="${name}"`,
      ...HEADERS,
    });
    res.end(bytes);
  };

  server.get(`${PERSONAL_PATH}/:file`, async (req: restify.Request, res: restify.Response) => {
    const { file } = req.params as { file?: string };
    if (!file || !isPersonalFile(file)) return plain(res, 404, 'Niet gevonden.');
    const now = deps.clock.now();
    const params = linker.verify(PERSONAL_PURPOSE, new URL(req.url ?? '', 'http://x').searchParams, now);
    const person = params?.p;
    if (!params || !person || !entraIdPattern.test(person) || Object.keys(params).some((k) => k !== 'p' && k !== 'lang')) {
      log?.warn({ file }, 'personal data download refused');
      return plain(res, 403, 'Deze link is verlopen of klopt niet. Vraag in Teams een nieuwe: typ "mijn gegevens" in de chat met de bot.');
    }
    const lang: Lang = params.lang === 'en' ? 'en' : 'nl';
    try {
      const data = await collectPersonalData(deps, person, privacyMessages(lang).file.nameRemoved);
      const body = file.endsWith('.json') ? personalDataJson(data) : personalDataMarkdown(lang, data);
      send(res, PERSONAL_FILES[file].contentType, file, body);
      log?.info({ file, bytes: body.length }, 'personal data downloaded');
    } catch (e) {
      log?.error({ file, err: { name: (e as Error)?.name } }, 'personal data download failed');
      plain(res, 503, 'Uw gegevens kunnen nu niet worden opgehaald. Probeer het over een paar minuten opnieuw.');
    }
  });

  server.get(LOGBOOK_PATH, async (req: restify.Request, res: restify.Response) => {
    const now = deps.clock.now();
    const params = linker.verify(LOGBOOK_PURPOSE, new URL(req.url ?? '', 'http://x').searchParams, now);
    const filter = params && logbookFilterFromParams(params);
    if (!params || !filter) {
      log?.warn({ file: 'logboek.csv' }, 'logbook download refused');
      return plain(res, 403, 'Deze link is verlopen of klopt niet. Vraag in Teams een nieuwe: typ "logboek" in de chat met de bot.');
    }
    try {
      const rows = await logbookRows(deps, filter, logbookLabels(filter.lang));
      if (!rows) return plain(res, 403, 'Deze link is alleen voor een accounthouder.');
      const body = logbookCsv(filter.lang, rows);
      send(res, 'text/csv; charset=utf-8', 'logboek.csv', body);
      log?.info({ file: 'logboek.csv', rows: rows.length }, 'logbook downloaded');
    } catch (e) {
      log?.error({ file: 'logboek.csv', err: { name: (e as Error)?.name } }, 'logbook download failed');
      plain(res, 503, 'Het logboek kan nu niet worden gemaakt. Probeer het over een paar minuten opnieuw.');
    }
  });
}
