import { formatDateTime, type Lang } from '../i18n';
import { logbookMessages, logbookSentence, logbookWho } from '../i18n/logbook';
import type { LogbookRow } from '../domain/logbook';
import { toCsv } from './csv';

/** The logboek as CSV: one line per audit record, newest first, names (never ids), the sentence and the action's code. */
export function logbookCsv(lang: Lang, rows: LogbookRow[]): string {
  const t = logbookMessages(lang);
  return toCsv(
    t.csvHeader,
    rows.map((r) => [
      formatDateTime(lang, r.at),
      logbookWho(lang, r),
      r.action,
      logbookSentence(lang, r),
      r.roundId,
      r.subject?.kind === 'application' ? r.subject.reference : undefined,
      r.details ? JSON.stringify(r.details) : undefined,
    ]),
  );
}
