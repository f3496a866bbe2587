import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { attachmentsCard, formatSize } from '../../cards/attachment-cards';
import { noticeCard } from '../../cards/notice';
import type { Application } from '../../domain/application';
import { ATTACHMENT_ID, attachmentRulesOf } from '../../domain/attachments';
import { fill, messages, plural } from '../../i18n';
import { attachmentMessages } from '../../i18n/attachments';
import type { Logger } from '../../log';
import { AttachError, attachFile, attachmentViews, draftForFiles, listAttachments, removeAttachment } from '../../usecases/attachments';
import type { Deps } from '../../usecases/deps';
import { executor } from '../core/execute';
import { ApplicationRef } from '../core/schemas';
import { sendCard, Turn } from '../core/turn';
import { roundOf } from '../../usecases/current-round';
import { VERBS } from '../core/verbs';
import { downloadFile } from './file-download';

/** The content type Teams gives a file a user sent a bot in a 1:1 chat (with `supportsFiles`). */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** A file as Teams delivers it; anything else in the attachment is dropped. */
const FileAttachment = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().max(1000).default(''),
  content: z.object({
    downloadUrl: z.string().max(8000),
    uniqueId: z.string().max(200).default(''),
    fileType: z.string().max(50).optional(),
  }),
});

const RemovePayload = ApplicationRef.extend({ attachmentId: z.string().regex(ATTACHMENT_ID) });

/** The files of this activity as Teams sent them (other attachments, such as the message's HTML, are left out). */
export function filesOf(context: TurnContext) {
  return (context.activity.attachments ?? []).flatMap((a) => {
    const parsed = FileAttachment.safeParse(a);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Files in the 1:1 chat go to the partner's open draft (the one last worked on); the answer names
 * each file and what happened to it. The remove button on the summary and the files card.
 */
export function registerAttachmentRoutes(
  app: TeamsApp<TurnState>,
  deps: Deps,
  log: Logger,
  options: { allowLoopbackDownloads: boolean; downloadHosts: readonly string[] },
) {
  const execute = executor(app, log);

  const filesCard = async (turn: Turn, application: Application, notice: string, refused = false, drafts?: number) => {
    const [records, round] = await Promise.all([listAttachments(deps, application.roundId, application.id), roundOf(deps, application.roundId)]);
    // The round's form names the documents it asks for (a file question's label).
    const files = attachmentViews(deps, records, round?.value);
    return attachmentsCard(turn.lang, { application, files, notice, refused, ...(drafts ? { drafts } : {}) });
  };

  execute(VERBS.application.removeFile, RemovePayload, async (turn, data) => {
    const a = attachmentMessages(turn.lang);
    const t = messages(turn.lang);
    const res = await removeAttachment(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      applicationId: data.applicationId,
      attachmentId: data.attachmentId,
    });
    if (res.ok) {
      if (res.value.removed) log.info({ verb: VERBS.application.removeFile, roundId: data.roundId, applicationId: data.applicationId }, 'attachment removed');
      return filesCard(turn, res.value.application, res.value.removed ? fill(a.removed, { name: res.value.removed.name }) : a.alreadyRemoved);
    }
    switch (res.error.code) {
      case 'NOT_FOUND':
        return noticeCard(turn.lang, t.notices.notFoundTitle, t.notices.notFound);
      case 'NOT_DRAFT':
        return filesCard(turn, res.error.application, fill(a.notDraft, { title: res.error.application.fields.title ?? a.untitled, name: '' }).trim(), true);
      case 'BUSY':
        return noticeCard(turn.lang, a.title, fill(a.busy, { name: '' }));
    }
  });

  return {
    /** Handles a message that carries files; false when it carries none (then it is text for the other routes). */
    async onFiles(context: TurnContext, turn: Turn): Promise<boolean> {
      const files = filesOf(context);
      if (!files.length || !turn.personal) return false;
      const a = attachmentMessages(turn.lang);
      const { draft, drafts } = await draftForFiles(deps, turn.userId);
      if (!draft) {
        log.info({ activity: 'files', code: 'NO_DRAFT', files: files.length }, 'files refused');
        await sendCard(context, attachmentsCard(turn.lang, { files: [], notice: a.noDraft, refused: true }));
        return true;
      }
      const title = draft.fields.title?.trim() || a.untitled;
      const rules = attachmentRulesOf({ id: draft.roundId });
      const notices: string[] = [];
      let refused = false;
      let current: Application = draft;
      for (const file of files) {
        const name = file.name || a.untitled;
        const downloaded = await downloadFile(file.content.downloadUrl, {
          maxBytes: rules.maxFileBytes,
          allowLoopback: options.allowLoopbackDownloads,
          hosts: options.downloadHosts,
        });
        if (!downloaded.ok) {
          refused = true;
          log.info({ activity: 'files', code: `DOWNLOAD_${downloaded.code}`, roundId: draft.roundId, applicationId: draft.id }, 'file refused');
          notices.push(
            downloaded.code === 'TOO_LARGE'
              ? fill(a.tooLarge, { name, max: formatSize(turn.lang, rules.maxFileBytes) })
              : fill(downloaded.code === 'REFUSED_URL' ? a.refusedHost : a.downloadFailed, { name }),
          );
          continue;
        }
        const res = await attachFile(deps, {
          actorId: turn.userId,
          roundId: draft.roundId,
          applicationId: draft.id,
          fileName: name,
          bytes: downloaded.bytes,
          sourceId: `${context.activity.id ?? ''}:${file.content.uniqueId}`,
        });
        if (res.ok) {
          current = res.value.application;
          const { outcome, record } = res.value;
          log.info({ activity: 'files', code: outcome.toUpperCase(), roundId: draft.roundId, applicationId: draft.id, bytes: record.size }, 'file received');
          notices.push(outcome === 'duplicate' ? fill(a.duplicate, { title, name: record.name }) : fill(a.received, { title, name: record.name }));
          continue;
        }
        refused = true;
        log.info({ activity: 'files', code: res.error.code, roundId: draft.roundId, applicationId: draft.id }, 'file refused');
        if (res.error.code === 'NOT_DRAFT') current = res.error.application;
        notices.push(refusalText(turn, res.error, name, title));
      }
      await sendCard(context, await filesCard(turn, current, notices.join('\n\n'), refused, drafts));
      return true;
    },
  };
}

function refusalText(turn: Turn, e: AttachError, name: string, title: string): string {
  const a = attachmentMessages(turn.lang);
  const size = (n: number) => formatSize(turn.lang, n);
  switch (e.code) {
    case 'WRONG_TYPE':
      return fill(a.wrongType, { name });
    case 'EMPTY':
      return fill(a.empty, { name });
    case 'TOO_LARGE':
      return fill(a.tooLarge, { name, max: size(e.max) });
    case 'TOTAL_EXCEEDED':
      return fill(a.totalExceeded, { name, max: size(e.max), left: size(Math.max(0, e.max - e.used)) });
    case 'TOO_MANY':
      return fill(plural(turn.lang, e.max, a.tooMany), { name });
    case 'NOT_DRAFT':
      return fill(a.notDraft, { name, title });
    case 'NOT_FOUND':
      return fill(a.noDraft, {});
    case 'UNAVAILABLE':
      return a.unavailable;
    case 'BUSY':
      return fill(a.busy, { name });
  }
}
