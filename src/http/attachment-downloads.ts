import type * as restify from 'restify';
import { APPLICATION_ID } from '../domain/application';
import { ATTACHMENT_ID, CONTENT_TYPES } from '../domain/attachments';
import { ROUND_ID } from '../domain/round';
import type { Logger } from '../log';
import { ATTACHMENT_PATH, type AttachmentLinker } from '../usecases/attachment-links';
import { openAttachment } from '../usecases/attachments';
import type { Deps } from '../usecases/deps';

/**
 * GET /api/files/:roundId/:applicationId/:attachmentId?exp=…&sig=… — one attachment, streamed
 * from Blob Storage as a download. The signed link is the permission: a missing, altered or
 * expired signature gets 403 before anything is read.
 */
export function registerAttachmentDownloads(server: restify.Server, deps: Deps, linker: AttachmentLinker, log?: Logger): void {
  server.get(`${ATTACHMENT_PATH}/:roundId/:applicationId/:attachmentId`, async (req: restify.Request, res: restify.Response) => {
    const { roundId, applicationId, attachmentId } = req.params as Record<string, string | undefined>;
    const query = new URL(req.url ?? '', 'http://x').searchParams;
    const plain = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(text);
    };
    if (!roundId || !applicationId || !attachmentId || !ROUND_ID.test(roundId) || !APPLICATION_ID.test(applicationId) || !ATTACHMENT_ID.test(attachmentId)) {
      return plain(404, 'Niet gevonden.');
    }
    if (!linker.verify(roundId, applicationId, attachmentId, query.get('exp') ?? undefined, query.get('sig') ?? undefined, deps.clock.now())) {
      log?.warn({ roundId, applicationId }, 'attachment download refused');
      return plain(403, 'Deze link is verlopen of klopt niet. Open de aanvraag in Teams opnieuw voor een nieuwe link.');
    }
    try {
      const found = await openAttachment(deps, roundId, applicationId, attachmentId);
      if (!found) return plain(404, 'Dit bestand is er niet (meer).');
      const { record, blob } = found;
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[record.kind],
        'Content-Length': String(blob.size),
        'Content-Disposition': `attachment; filename="${record.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(record.name)}`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'",
        'Referrer-Policy': 'no-referrer',
      });
      for await (const chunk of blob.stream) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
      log?.info({ roundId, applicationId, bytes: blob.size }, 'attachment downloaded');
    } catch (e) {
      log?.error({ roundId, applicationId, err: { name: (e as Error)?.name } }, 'attachment download failed');
      if (!res.headersSent) plain(503, 'Het bestand kan nu niet worden gelezen. Probeer het over een paar minuten opnieuw.');
      else res.destroy();
    }
  });
}
