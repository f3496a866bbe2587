import noticeTemplate from '../../cards/notice.json';
import { Lang, messages } from '../i18n';
import { Card, render } from './render';

/** A short card with a title and one message: refusals, "not found", "try again". */
export function noticeCard(lang: Lang, title: string, text: string): Card {
  return render(noticeTemplate, { common: messages(lang).common, title, text });
}
