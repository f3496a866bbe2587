import { randomUUID } from 'node:crypto';

/** Activities shaped as Teams sends them to a bot (trimmed to what Teams always includes). */
export const TENANT = '7c1d9f43-2b8e-4b8f-9a51-0f4c2b7e1a11';
export const BOT = { id: '28:leerbudget-bot', name: 'Leerbudget' };

export interface User {
  id: string;
  aadObjectId: string;
  name: string;
}

/** The cast of .m365agentsplayground.yml, with the same Entra object ids. */
export const ANOUK: User = { id: '29:anouk.bakker', aadObjectId: 'ae6442f7-d916-41cc-be58-673e9d5e2860', name: 'Anouk Bakker' };
export const PETER: User = { id: '29:peter.smit', aadObjectId: '76b28c16-fa36-48a1-806d-98e0cfed8e34', name: 'Peter Smit' };
/** Accounthouder, gemeente Zwolle. */
export const INGRID: User = { id: '29:ingrid.jansen', aadObjectId: 'b0818d37-6b48-4398-b3e7-c618a1404916', name: 'Ingrid Jansen' };
/** Panel member for a partner organisation. */
export const SANNE: User = { id: '29:sanne.devries', aadObjectId: 'a491537e-dc23-4063-80ef-5ca5f1b98000', name: 'Sanne de Vries' };
/** Panel member, ervaringsdeskundige. */
export const MOHAMED: User = { id: '29:mohamed.elamrani', aadObjectId: '25834659-4f23-4677-98fe-8eba9b121f3d', name: 'Mohamed El Amrani' };
export const LOTTE: User = { id: '29:lotte.mulder', aadObjectId: '09c205fc-3683-4973-a043-04d105ee9ace', name: 'Lotte Mulder' };

function base(serviceUrl: string, user: User, locale: string) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    localTimezone: 'Europe/Amsterdam',
    locale,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: { conversationType: 'personal', tenantId: TENANT, id: `a:personal-${user.aadObjectId}` },
    channelData: { tenant: { id: TENANT } },
    entities: [{ type: 'clientInfo', locale, country: 'NL', platform: 'Web', timezone: 'Europe/Amsterdam' }],
  };
}

export function personalMessage(serviceUrl: string, user: User, text: string, locale = 'nl-NL') {
  return { ...base(serviceUrl, user, locale), type: 'message', text, textFormat: 'plain' };
}

export function cardAction(serviceUrl: string, user: User, verb: string, data: Record<string, unknown>, locale = 'nl-NL') {
  return {
    ...base(serviceUrl, user, locale),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: `card-${randomUUID()}`,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export function botInstalled(serviceUrl: string, user: User, locale = 'nl-NL') {
  return { ...base(serviceUrl, user, locale), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

export function channelMessage(serviceUrl: string, user: User, text: string, locale = 'nl-NL') {
  const b = base(serviceUrl, user, locale);
  return {
    ...b,
    type: 'message',
    text: `<at>Leerbudget</at> ${text}`,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: '19:beoordeling@thread.tacv2;messageid=1' },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:beoordeling@thread.tacv2' } },
    entities: [{ type: 'mention', text: '<at>Leerbudget</at>', mentioned: BOT }],
  };
}

type Node = Record<string, any>;

function walk(node: unknown, visit: (n: Node) => void) {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node);
    Object.values(node).forEach((v) => walk(v, visit));
  }
}

/** Reads a card the way a person sees it: texts, inputs with labels, and buttons. */
export function readCard(card: unknown) {
  const texts: string[] = [];
  const inputs: Node[] = [];
  const actions: Node[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock') texts.push(String(n.text));
    if (typeof n.type === 'string' && n.type.startsWith('Input.')) inputs.push(n);
    if (n.type === 'Action.Execute' || n.type === 'Action.Submit') actions.push(n);
    if (n.type === 'FactSet') n.facts.forEach((f: Node) => texts.push(`${f.title}: ${f.value}`));
  });
  const text = texts.join('\n');
  return {
    text,
    texts,
    inputs,
    actions,
    action(title: string) {
      const a = actions.find((x) => x.title === title);
      if (!a) throw new Error(`no button "${title}" on card; buttons: ${actions.map((x) => x.title).join(', ')}`);
      return a;
    },
    input(id: string) {
      return inputs.find((i) => i.id === id);
    },
  };
}
