import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card as sent to Teams. */
export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** Expands a JSON template from /cards with typed data, the way the Teams samples do. */
export function render<T extends object>(template: object, data: T): Card {
  return new ACData.Template(template).expand({ $root: data }) as Card;
}

/** Size of a card as Teams counts it: its JSON in bytes. */
export function cardBytes(card: Card): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
