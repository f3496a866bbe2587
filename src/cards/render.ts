import { Constant, Expression, ExpressionType } from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';

/** An Adaptive Card as sent to Teams. */
export type Card = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

/**
 * Expands a JSON template from /cards with typed data, the way the Teams samples do: the templates
 * are the source of truth and their `${…}`, `$data` and `$when` mean what adaptivecards-templating
 * says they mean.
 *
 * The library is exact but slow for a bot that renders a card on every turn: it evaluates each
 * binding through a fresh expression memory, splitting and case-folding the path on every lookup.
 * So each template is compiled once (with the library's own expression parser) into closures that
 * follow the library's expansion rules step by step (internalExpand in template-engine.js) for
 * the expressions our templates use: property paths, string interpolation, `==`, `!=`, `>`, `!`,
 * `&&` and `count()`. Whatever they do not cover — an expression of another kind, a missing or null
 * value, a value of an unexpected type — makes the whole card fall back to the library, so the
 * output is the library's in every case. tests/cards/render-equivalence.test.ts checks both paths
 * give the same JSON for every card builder's fixtures.
 *
 * Worth its upkeep? Measured against the library with each template parsed once: over the card
 * fixtures 0.02 ms against 0.12 ms a card (a member's review card 0.05 against 0.3 ms, the
 * criteria editor 0.13 against 1.3 ms), and bot CPU per review.score turn
 * (tests/bench/score-profile.ts --child, 4 × 5 × 600 turns interleaved) 3.6–4.0 against
 * 4.0–4.6 ms: about 0.5 ms, an eighth of the turn. An upgrade of adaptivecards-templating that
 * changes what it renders shows in the equivalence test.
 */
export function render<T extends object>(template: object, data: T): Card {
  return renderTraced(template, data).card;
}

/** render(), saying which path made the card (for tests: the compiled path must not silently stop being used). */
export function renderTraced<T extends object>(template: object, data: T): { card: Card; path: 'compiled' | 'library' } {
  const compiled = compiledTemplate(template);
  let card: Card | undefined;
  let path: 'compiled' | 'library' = 'compiled';
  if (compiled.expand) {
    try {
      card = compiled.expand(data) as Card;
    } catch {
      // Fallback, or anything else: the library decides (and throws what it would have thrown).
    }
  }
  if (!card) {
    path = 'library';
    card = libraryTemplate(compiled).expand({ $root: data }) as Card;
  }
  numberInputsAsNumbers(card);
  return { card, path };
}

/** The same card, always through adaptivecards-templating itself: the reference the compiled path is tested against. */
export function renderWithLibrary<T extends object>(template: object, data: T): Card {
  const card = libraryTemplate(compiledTemplate(template)).expand({ $root: data }) as Card;
  numberInputsAsNumbers(card);
  return card;
}

/** Whether a template is covered by the compiler (otherwise every render of it goes to the library). */
export function isCompiled(template: object): boolean {
  return compiledTemplate(template).expand !== undefined;
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

/**
 * Teams' message size limit, counted as Teams counts it: the serialised activity in UTF-16 (two
 * bytes a JSON character). Teams refuses about 100 KB with 413 MessageSizeTooBig; Microsoft says
 * to stay within 80 KB, so every outgoing activity (card and text) stays within this.
 */
export const MESSAGE_LIMIT_BYTES = 80 * 1024;

/** Size of anything sent to Teams (an activity, a card) as Teams counts it: its JSON in UTF-16 bytes. */
export function activityBytes(value: unknown): number {
  return (JSON.stringify(value) ?? '').length * 2;
}

/** Size of a card as Teams counts it (UTF-16 bytes of its JSON). */
export function cardBytes(card: Card): number {
  return activityBytes(card);
}

// ---------------------------------------------------------------------------------------------
// The compiled path.

interface Compiled {
  template: object;
  /** Undefined when the template uses something the compiler does not cover: then the library renders it. */
  expand?: (data: object) => unknown;
  /** The library's parsed template, made when first needed. */
  library?: ACData.Template;
}

/** Parsing a template's expressions is costly: each template is prepared once. */
const compiledTemplates = new WeakMap<object, Compiled>();

function libraryTemplate(compiled: Compiled): ACData.Template {
  return (compiled.library ??= new ACData.Template(compiled.template));
}

function compiledTemplate(template: object): Compiled {
  let compiled = compiledTemplates.get(template);
  if (!compiled) {
    compiled = { template };
    try {
      const root = compileNode(template);
      compiled.expand = (data) => root({ root: data, data, index: undefined, keys: new Map() });
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
    }
    compiledTemplates.set(template, compiled);
  }
  return compiled;
}

/** Thrown while rendering: this card is left to the library. */
class Fallback extends Error {}
/** Thrown while compiling: this template is left to the library. */
class Unsupported extends Error {}

const fallback = new Fallback('left to adaptivecards-templating');

/** The library's evaluation context: `$root`, `$data` (the root when unset) and `$index`. */
interface Scope {
  root: unknown;
  data: unknown;
  index: number | undefined;
  /** Per render: each object's keys by lower case (see property). */
  keys: Map<object, Map<string, string>>;
}

type Node = (scope: Scope) => unknown;
type Eval = (scope: Scope) => unknown;

/** The library's reserved fields (EvaluationContext._reservedFields): never copied to the card. */
const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);

/** Template.prepare and Template.internalExpand, node by node. */
function compileNode(node: unknown): Node {
  if (typeof node === 'string') {
    const parsed = ACData.Template.parseInterpolatedString(node);
    if (typeof parsed === 'string') return () => parsed;
    // An expression in a value: substitutions allowed (a missing value would become "${path}": left to the library).
    return compileValue(parsed);
  }
  if (Array.isArray(node)) {
    const items = node.map(compileNode);
    return (scope) => {
      let out: unknown[] = [];
      for (const item of items) {
        const expanded = item(scope);
        if (expanded !== null) {
          if (Array.isArray(expanded)) out = out.concat(expanded);
          else out.push(expanded);
        }
      }
      return out;
    };
  }
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>);
  return () => node;
}

function compileObject(node: Record<string, unknown>): Node {
  const fields = Object.keys(node)
    .filter((k) => !RESERVED.has(k))
    .map((k) => [k, compileNode(node[k])] as const);
  const expandSingle = (scope: Scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, field] of fields) {
      const value = field(scope);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  let when: Eval | undefined;
  if (node.$when !== undefined) {
    const parsed = typeof node.$when === 'string' ? ACData.Template.parseInterpolatedString(node.$when) : node.$when;
    if (!(parsed instanceof Expression)) throw new Unsupported('$when without an expression');
    when = compileCondition(parsed);
  }
  let dataContext: Eval | undefined;
  if (node.$data !== undefined) {
    const parsed = typeof node.$data === 'string' ? ACData.Template.parseInterpolatedString(node.$data) : node.$data;
    if (!(parsed instanceof Expression)) throw new Unsupported('$data without an expression');
    dataContext = compileValue(parsed);
  }
  const keep = (scope: Scope) => {
    if (!when) return true;
    const v = when(scope);
    return typeof v === 'boolean' && v;
  };
  if (!dataContext) {
    // One context, the current one: the object itself, or null when $when drops it.
    return (scope) => (keep(scope) ? expandSingle(scope) : null);
  }
  const contextOf = dataContext;
  return (scope) => {
    const value = contextOf(scope);
    const contexts = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    let data = scope.data;
    for (let i = 0; i < contexts.length; i++) {
      // An undefined item would keep the previous item as $data: left to the library.
      if (contexts[i] === undefined) throw fallback;
      data = contexts[i];
      const inner: Scope = { root: scope.root, data, index: Array.isArray(value) ? i : scope.index, keys: scope.keys };
      if (keep(inner)) out.push(expandSingle(inner));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

/** An expression whose value goes into the card (Template.internalTryEvaluateExpression with substitutions). */
function compileValue(e: Expression): Eval {
  if (e.type === ExpressionType.Concat) {
    // The library's own concatenation: each part's value.toString().
    const parts = e.children.map((child) => (child instanceof Constant ? constantText(child) : compileAccessor(child)));
    return (scope) => {
      let text = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          text += part;
          continue;
        }
        const v = part(scope);
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw fallback;
        text += v.toString();
      }
      return text;
    };
  }
  return compileAccessor(e);
}

function constantText(c: Constant): string {
  const v: unknown = c.value;
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Unsupported('constant');
  return v.toString();
}

/** A $when condition (evaluated without substitutions; only `true` keeps the object). */
function compileCondition(e: Expression): Eval {
  const [a, b] = e.children;
  switch (e.type) {
    case ExpressionType.Accessor:
      return compileAccessor(e);
    case ExpressionType.Equal:
    case ExpressionType.NotEqual: {
      const left = compileOperand(a!);
      const right = compileOperand(b!);
      const equal = e.type === ExpressionType.Equal;
      return (scope) => commonEquals(left(scope), right(scope)) === equal;
    }
    case ExpressionType.GreaterThan: {
      const left = compileOperand(a!);
      const right = compileOperand(b!);
      return (scope) => {
        const x = left(scope);
        const y = right(scope);
        if ((isNumber(x) && isNumber(y)) || (typeof x === 'string' && typeof y === 'string')) return x > y;
        throw fallback;
      };
    }
    case ExpressionType.Not: {
      const operand = compileCondition(a!);
      return (scope) => !isLogicTrue(operand(scope));
    }
    case ExpressionType.And: {
      const operands = e.children.map(compileCondition);
      return (scope) => operands.every((o) => isLogicTrue(o(scope)));
    }
    default:
      throw new Unsupported(`condition ${e.type}`);
  }
}

/** An operand of a comparison: a path, a constant or count(path); only primitive values are compared here. */
function compileOperand(e: Expression): Eval {
  let operand: Eval;
  if (e instanceof Constant) {
    const v: unknown = e.value;
    operand = () => v;
  } else if (e.type === ExpressionType.Count && e.children.length === 1) {
    const inner = compileAccessor(e.children[0]!);
    operand = (scope) => {
      const v = inner(scope);
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      throw fallback;
    };
  } else operand = compileAccessor(e);
  return (scope) => {
    const v = operand(scope);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw fallback;
    return v;
  };
}

/** FunctionUtils.commonEquals for two primitives (the only values compileOperand lets through). */
function commonEquals(x: unknown, y: unknown): boolean {
  if (isNumber(x) && isNumber(y) && Math.abs(x - y) < Number.EPSILON) return true;
  return x === y;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
/** InternalFunctionUtils.isLogicTrue. */
const isLogicTrue = (v: unknown) => (typeof v === 'boolean' ? v : v != null);

/**
 * A property path (`app.title`, `$root.t.save`): TemplateObjectMemory reads a path that does not
 * start with `$` from `$data`; each step is InternalFunctionUtils.accessProperty, which takes the
 * first key that matches ignoring case. A missing or null value is left to the library (it would
 * substitute "${path}", or throw).
 */
function compileAccessor(e: Expression): Eval {
  const names: string[] = [];
  for (let node: Expression | undefined = e; node;) {
    if (node.type !== ExpressionType.Accessor) throw new Unsupported(`expression ${node.type}`);
    const name: Expression | undefined = node.children[0];
    const parent: Expression | undefined = node.children[1];
    const value: unknown = name instanceof Constant ? name.value : undefined;
    // Names the path syntax would split, unquote or read as an index are not compiled.
    if (typeof value !== 'string' || value === '' || /[.[\]'"]/.test(value) || !Number.isNaN(parseInt(value, 10))) throw new Unsupported('path');
    names.unshift(value.toLowerCase());
    node = parent;
  }
  const first = names[0]!;
  let start: (scope: Scope) => unknown;
  let steps: string[];
  if (first.startsWith('$')) {
    steps = names.slice(1);
    if (first === '$root') start = (scope) => scope.root;
    else if (first === '$data') start = (scope) => scope.data;
    else if (first === '$index') start = (scope) => scope.index;
    else throw new Unsupported(first);
  } else {
    steps = names;
    start = (scope) => scope.data;
  }
  return (scope) => {
    let v = start(scope);
    for (const step of steps) v = property(scope, v, step);
    if (v === undefined || v === null) throw fallback;
    return v;
  };
}

/** InternalFunctionUtils.accessProperty: the first own key equal to `lower` ignoring case. */
function property(scope: Scope, instance: unknown, lower: string): unknown {
  if (typeof instance !== 'object' || instance === null || instance instanceof Map) throw fallback;
  let index = scope.keys.get(instance);
  if (!index) {
    index = new Map();
    for (const key of Object.keys(instance)) {
      const l = key.toLowerCase();
      if (!index.has(l)) index.set(l, key);
    }
    scope.keys.set(instance, index);
  }
  const key = index.get(lower);
  return key === undefined ? undefined : (instance as Record<string, unknown>)[key];
}

/**
 * A name short enough for a button that says what it acts on ("Intrekken: Samen sterk in …"):
 * at most `max` characters, cut at a word where it can be, so the renderer never has to cut it.
 */
export function shortName(text: string, max = 32): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = head(t, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The first `n` UTF-16 units of a text, one fewer when the cut would split a surrogate pair (an emoji). */
function head(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/** A text of at most `n` characters plus "…" when it was longer; never splits an emoji. */
export function truncate(text: string, n: number): string {
  return text.length > n ? `${head(text, n).trimEnd()}…` : text;
}

/** An input's label with the field's error after it: a screen reader reads the error with the field, not as loose text below it. */
export function withError(label: string, error: string | undefined): string {
  return error ? `${label}: ${error}` : label;
}
