import organisationsTemplate from '../../cards/organisations.json';
import { Organisation, OrganisationErrors, ORGANISATION_LIMITS } from '../domain/organisation';
import type { Versioned } from '../domain/versioned';
import { fill, Lang, messages, plural } from '../i18n';
import { Card, render, shortName, withError } from './render';

/**
 * Entries on one page of the registry card. An entry at its largest (a name and ten aliases of
 * 150 characters, a KvK number) is about 4.3 KB on the card as Teams counts it (UTF-16): 15 stay
 * under Teams' 80 KB (MESSAGE_LIMIT_BYTES).
 */
export const ORGANISATIONS_PAGE = 15;

export interface OrganisationsView {
  /** 1-based; out of range is read as the nearest page. */
  page?: number;
  /** The entry whose alias form is open (its page is shown, whatever `page` says). */
  selectedId?: string;
  /** The add form's one-time token: the same card pressed twice adds one entry. */
  token: string;
  notice?: string;
  noticeKind?: 'info' | 'error';
  /** What was typed in the add form, shown again after an error. */
  raw?: { name?: string; kvk?: string; aliases?: string };
  errors?: OrganisationErrors;
  /** What was typed as alias, and why it was refused. */
  alias?: { value: string; error?: string };
}

const COLOR = { info: 'accent', error: 'attention' } as const;

/** The accounthouder's registry: the entries by name, paged, each with a way to add a name; the form to add an entry. */
export function organisationsCard(lang: Lang, entries: readonly Versioned<Organisation>[], view: OrganisationsView): Card {
  const t = messages(lang).organisations;
  const pages = Math.max(1, Math.ceil(entries.length / ORGANISATIONS_PAGE));
  const selectedIndex = view.selectedId ? entries.findIndex((e) => e.value.id === view.selectedId) : -1;
  const page = selectedIndex >= 0 ? Math.floor(selectedIndex / ORGANISATIONS_PAGE) + 1 : Math.min(Math.max(1, view.page ?? 1), pages);
  const shown = entries.slice((page - 1) * ORGANISATIONS_PAGE, page * ORGANISATIONS_PAGE);
  const selected = selectedIndex >= 0;
  const errors = view.errors ?? {};
  const errorText = (field: keyof OrganisationErrors) => {
    const code = errors[field];
    return code ? t.errors[code] : '';
  };
  return render(organisationsTemplate, {
    t,
    countText: fill(plural(lang, entries.length, t.count), { page, pages }),
    notice: view.notice ?? (Object.keys(errors).length ? t.fixBelow : ''),
    noticeColor: COLOR[view.noticeKind ?? (Object.keys(errors).length ? 'error' : 'info')],
    page,
    aliasMax: ORGANISATION_LIMITS.alias,
    nameMax: ORGANISATION_LIMITS.name,
    aliasesMax: ORGANISATION_LIMITS.aliases * (ORGANISATION_LIMITS.alias + 2),
    entries: shown.map(({ value: o, etag }) => {
      const isSelected = o.id === view.selectedId;
      return {
        id: o.id,
        etag,
        name: o.name,
        line: [
          o.kvk ? fill(t.kvk, { kvk: o.kvk }) : '',
          o.aliases.length ? fill(t.aliases, { aliases: o.aliases.join(', ') }) : '',
          o.source === 'applicant' ? t.byApplicant : '',
        ]
          .filter(Boolean)
          .join(' · '),
        selected: isSelected,
        aliasLabel: withError(fill(t.aliasLabel, { name: o.name }), isSelected ? view.alias?.error : ''),
        addAliasTitle: fill(t.addAliasNamed, { name: shortName(o.name) }),
        aliasValue: isSelected ? (view.alias?.value ?? '') : '',
        aliasError: isSelected ? (view.alias?.error ?? '') : '',
      };
    }),
    paged: pages > 1,
    hasPrevious: page > 1,
    hasNext: page < pages,
    previousPage: Math.max(1, page - 1),
    nextPage: Math.min(pages, page + 1),
    showAdd: !selected,
    token: view.token,
    raw: { name: view.raw?.name ?? '', kvk: view.raw?.kvk ?? '', aliases: view.raw?.aliases ?? '' },
    errors: { name: errorText('name'), kvk: errorText('kvk'), aliases: errorText('aliases') },
    labels: {
      name: withError(t.nameLabel, errorText('name')),
      kvk: withError(t.kvkLabel, errorText('kvk')),
      aliases: withError(t.aliasesLabel, errorText('aliases')),
    },
  });
}
