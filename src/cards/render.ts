import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card as sent to Teams. */
export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/** Parsing a template's expressions is most of a render's cost: each template is parsed once. */
const parsed = new WeakMap<object, ACData.Template>();

/** Expands a JSON template from /cards with typed data, the way the Teams samples do. */
export function render<T extends object>(template: object, data: T): Card {
  let compiled = parsed.get(template);
  if (!compiled) parsed.set(template, (compiled = new ACData.Template(template)));
  const card = compiled.expand({ $root: data }) as Card;
  numberInputsAsNumbers(card);
  return card;
}

/**
 * Input.Number takes a JSON number as its value; the official renderer drops a string, and the
 * field would start empty. Templates bind values as text (what the user typed comes back as text),
 * so every card is put right here, in one place: numeric text becomes a number, empty text no value.
 */
function numberInputsAsNumbers(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(numberInputsAsNumbers);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (n.type === 'Input.Number' && typeof n.value === 'string') {
    const text = n.value.trim().replace(',', '.');
    if (text !== '' && Number.isFinite(Number(text))) n.value = Number(text);
    else delete n.value;
  }
  Object.values(n).forEach(numberInputsAsNumbers);
}

/** Size of a card as Teams counts it: its JSON in bytes. */
export function cardBytes(card: Card): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
