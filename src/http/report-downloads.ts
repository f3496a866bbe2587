import type * as restify from 'restify';
import type { Logger } from '../log';
import { isReportFile, needsReviews, REPORT_FILES, reportFileName } from '../reports/file-names';
import { renderReportFile } from '../reports/files';
import { REPORT_PATH, ReportLinker, reportLinker, ReportLinkOptions } from '../reports/links';
import type { Deps } from '../usecases/deps';

export { reportLinker, type ReportLinker, type ReportLinkOptions, type ReportUrls } from '../reports/links';

const ROUND_ID = /^[A-Z]{1,6}-\d{4}$/;

/**
 * GET /api/reports/:roundId/:file?exp=…&sig=… — the council reports' files (Word, Markdown, CSV, Woo CSV,
 * chart as PNG and SVG) and the overview workbook, rendered from the store at the moment of download. The signed link is the
 * permission (a card cannot carry who clicks); a missing, altered or expired signature gets 403
 * before anything is read. Pass the same linker the cards use (or the options to make one).
 */
export function registerReportDownloads(server: restify.Server, deps: Deps, options: ReportLinkOptions | ReportLinker, log?: Logger): ReportLinker {
  const linker = 'verify' in options ? options : reportLinker(options);
  server.get(`${REPORT_PATH}/:roundId/:file`, async (req: restify.Request, res: restify.Response) => {
    const { roundId, file } = req.params as { roundId?: string; file?: string };
    const query = new URL(req.url ?? '', 'http://x').searchParams;
    const plain = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(text);
    };
    if (!roundId || !file || !ROUND_ID.test(roundId) || !isReportFile(file)) return plain(404, 'Niet gevonden.');
    const now = deps.clock.now();
    if (!linker.verify(roundId, file, query.get('exp') ?? undefined, query.get('sig') ?? undefined, now)) {
      log?.warn({ roundId, file }, 'report download refused');
      return plain(
        403,
        'Deze link is verlopen of klopt niet. Vraag in Teams een nieuwe: typ "verslag verdeling", "verslag resultaten" of "export" in de chat met de bot.',
      );
    }
    try {
      const snapshot = needsReviews(file) ? await deps.repos.allocation.snapshotWithReviews(roundId) : await deps.repos.allocation.snapshot(roundId);
      if (!snapshot) return plain(404, 'Deze ronde bestaat niet (meer).');
      const body = await renderReportFile(file, snapshot, now);
      const name = reportFileName(file, roundId);
      const inline = file.endsWith('.png') || file.endsWith('.svg');
      res.writeHead(200, {
        'Content-Type': REPORT_FILES[file].contentType,
        'Content-Length': String(body.length),
        'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        // The link is the permission: no shared cache may keep a copy for someone without it.
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:",
        'Referrer-Policy': 'no-referrer',
      });
      res.end(body);
      log?.info({ roundId, file, bytes: body.length }, 'report downloaded');
    } catch (e) {
      log?.error({ roundId, file, err: { name: (e as Error)?.name } }, 'report download failed');
      plain(503, 'Het verslag kan nu niet worden gemaakt. Probeer het over een paar minuten opnieuw.');
    }
  });
  return linker;
}
