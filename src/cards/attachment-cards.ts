import attachmentsTemplate from '../../cards/attachments.json';
import { type Application, isEditable } from '../domain/application';
import { fill, formatDecimal, Lang, messages, plural } from '../i18n';
import { attachmentMessages, AttachmentMessages } from '../i18n/attachments';
import type { AttachmentView } from '../usecases/attachments';
import { Card, render, shortName } from './render';

/** A size as people read it: "820 kB", "1,4 MB" (1 MB = 1024 × 1024 bytes, as the limits are counted). */
export function formatSize(lang: Lang, bytes: number): string {
  const a = attachmentMessages(lang);
  if (bytes < 1024 * 1024) return fill(a.bytes.kb, { n: formatDecimal(lang, Math.max(1, Math.ceil(bytes / 1024))) });
  return fill(a.bytes.mb, { n: formatDecimal(lang, Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

/** A file's name inside a Markdown link: brackets would end the link text. */
const linkText = (s: string) => s.replace(/[[\]]/g, '');

function facts(lang: Lang, a: AttachmentMessages, f: AttachmentView): string {
  return fill(a.facts, {
    document: f.documentLabel?.[lang] ?? a.documents[f.document ?? 'other'] ?? a.documents.other!,
    kind: a.kinds[f.kind],
    size: formatSize(lang, f.size),
  });
}

/** Each file as a line (a Markdown link when signed) with its kind and size, and the button to remove it by number. */
export function fileItems(lang: Lang, files: readonly AttachmentView[]) {
  const a = attachmentMessages(lang);
  return files.map((f, i) => {
    const label = fill(a.line, { n: i + 1, name: f.name });
    return {
      id: f.id,
      line: f.url ? `[${linkText(label)}](${f.url})` : label,
      facts: facts(lang, a, f),
      removeTitle: fill(a.remove, { n: i + 1 }),
    };
  });
}

/** The files block of the summary card. */
export function filesBlock(lang: Lang, files: readonly AttachmentView[]) {
  const a = attachmentMessages(lang);
  return {
    title: files.length ? `${a.title} (${plural(lang, files.length, a.count)})` : a.title,
    none: a.none,
    empty: files.length === 0,
    hint: a.hint,
    items: fileItems(lang, files),
  };
}

/**
 * The review card's list: one line a file, the name a signed link, with kind and size. `compact`
 * (the review card's smallest view, see its size ladder) names only how many there are: the
 * links do not fit beside the largest form, and the reading card (`review.read`) lists them.
 */
export function reviewFiles(lang: Lang, files: readonly AttachmentView[], compact = false) {
  const a = attachmentMessages(lang);
  const count = plural(lang, files.length, a.count);
  return {
    show: files.length > 0,
    title: compact ? fill(a.onReadCard, { count }) : `${a.title} (${count})`,
    items: compact
      ? []
      : files.map((f, i) => {
          const label = fill(a.line, { n: i + 1, name: shortName(f.name, 60) });
          return { text: `${f.url ? `[${linkText(label)}](${f.url})` : label} · ${facts(lang, a, f)}` };
        }),
  };
}

/**
 * The answer to files sent in the chat: what happened (named: received, or why not), which draft
 * they belong to, and that draft's files with a remove button each while it is a draft.
 */
export function attachmentsCard(
  lang: Lang,
  input: { application?: Application; files: readonly AttachmentView[]; notice: string; refused?: boolean; drafts?: number },
): Card {
  const t = messages(lang);
  const a = attachmentMessages(lang);
  const app = input.application;
  const title = app?.fields.title?.trim() || a.untitled;
  const editable = app ? isEditable(app.status) : false;
  return render(attachmentsTemplate, {
    t: a,
    common: t.common,
    app: { id: app?.id ?? '', roundId: app?.roundId ?? '' },
    applicationLine: app ? fill(a.forApplication, { title }) : '',
    notice: input.notice,
    noticeColor: input.refused ? 'attention' : 'default',
    draftsText: input.drafts && input.drafts > 1 ? fill(plural(lang, input.drafts, a.severalDrafts), { title }) : '',
    showFiles: Boolean(app),
    editable,
    files: { ...filesBlock(lang, input.files) },
  });
}
