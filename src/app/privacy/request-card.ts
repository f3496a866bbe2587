import { requestCard } from '../../cards/privacy-cards';
import type { Card } from '../../cards/render';
import type { Lang } from '../../i18n';
import { privacyMessages } from '../../i18n/privacy-requests';
import { nameOf, type RequestView } from '../../usecases/deletion-request';
import type { Deps } from '../../usecases/deps';

/** A request's card with who decided it named (from the store), for the accounthouder. */
export async function requestCardFor(deps: Deps, lang: Lang, view: RequestView): Promise<Card> {
  const by = view.request.decidedBy;
  const who = by ? ((await nameOf(deps, by)) ?? privacyMessages(lang).decide.unknown) : undefined;
  return requestCard(lang, view, who ? { who } : {});
}
