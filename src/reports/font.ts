/**
 * A tiny bitmap font, drawn for this project, so the chart's PNG carries readable labels without a
 * font file, a rasteriser or a browser. Each glyph is 5 columns by 9 rows: rows 0–6 hold capitals
 * and digits (row 6 is the baseline), rows 7–8 the descenders of g, j, p, q, y and the comma.
 * Accented letters are composed from the letter and its mark (ë, é, è, ê, ï, ç, ñ; see `MARKS`);
 * anything else unknown is drawn as "?".
 */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 9;

const G: Record<string, string> = {
  ' ': '',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '####. ....# ....# .###. ....# ....# ####.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '.###. #.... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ....# .###.',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  a: '..... ..... .###. ....# .#### #...# .####',
  b: '#.... #.... #.##. ##..# #...# #...# ####.',
  c: '..... ..... .###. #.... #.... #...# .###.',
  d: '....# ....# .##.# #..## #...# #...# .####',
  e: '..... ..... .###. #...# ##### #.... .###.',
  f: '..##. .#..# .#... ###.. .#... .#... .#...',
  g: '..... ..... .#### #...# #...# #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...#',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  j: '...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#.',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  m: '..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#',
  n: '..... ..... #.##. ##..# #...# #...# #...#',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# #...# #...# ####. #.... #....',
  q: '..... ..... .#### #...# #...# #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  s: '..... ..... .#### #.... .###. ....# ####.',
  t: '.#... .#... ###.. .#... .#... .#..# ..##.',
  u: '..... ..... #...# #...# #...# #..## .##.#',
  v: '..... ..... #...# #...# #...# .#.#. ..#..',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#.',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...#',
  y: '..... ..... #...# #...# #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... ..... ..##. ..##. .##..',
  '-': '..... ..... ..... .###. ..... ..... .....',
  '%': '##..# ##.#. ...#. ..#.. .#... .#.## #..##',
  '€': '..### .#... ####. .#... ####. .#... ..###',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '/': '....# ....# ...#. ..#.. .#... #.... #....',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  "'": '..#.. ..#.. .#...',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
};

const rows = (key: string): boolean[][] => {
  const given = G[key]!.split(' ')
    .filter(Boolean)
    .map((r) => [...r].map((c) => c === '#'));
  return Array.from({ length: GLYPH_HEIGHT }, (_, i) => given[i] ?? Array<boolean>(GLYPH_WIDTH).fill(false));
};
const pattern = (p: string) => [...p].map((c) => c === '#');

/**
 * Accents the Dutch (and names from elsewhere) use, as combining marks: two rows above a
 * lowercase letter (rows 0–1, where a lowercase letter has no ink), one row above a capital
 * (the capital is drawn one row shorter), the cedilla under the baseline.
 */
const MARKS: Record<string, { low: [string, string]; cap: string }> = {
  '\u0301': { low: ['...#.', '..#..'], cap: '...#.' }, // acute: é
  '\u0300': { low: ['.#...', '..#..'], cap: '.#...' }, // grave: è
  '\u0308': { low: ['.#.#.', '.....'], cap: '.#.#.' }, // diaeresis: ë, ï
  '\u0302': { low: ['..#..', '.#.#.'], cap: '..#..' }, // circumflex: ê
  '\u0303': { low: ['.##.#', '#..#.'], cap: '.##.#' }, // tilde: ñ
  '\u030a': { low: ['..#..', '.#.#.'], cap: '..#..' }, // ring: å
};
const CEDILLA = '\u0327';
const isCapital = (c: string) => /[A-Z0-9]/.test(c);

function withMarks(base: string, marks: string[]): boolean[][] {
  let out = rows(base in G ? base : '?');
  for (const m of marks) {
    if (m === CEDILLA) {
      if (!out[7]!.some(Boolean)) out = [...out.slice(0, 7), pattern('..#..'), pattern('.##..')];
      continue;
    }
    const mark = MARKS[m];
    if (!mark) continue;
    if (isCapital(base)) {
      // One row for the mark, the capital without its third row (the least telling one of a 7-row capital).
      out = [pattern(mark.cap), ...out.slice(0, 2), ...out.slice(3, 7), ...out.slice(7)];
    } else {
      // i and j lose their dot under the mark (ï, í).
      const top = base === 'i' || base === 'j' ? [pattern('.....'), pattern('.....')] : out.slice(0, 2);
      out = [top[0]!.map((v, i) => v || pattern(mark.low[0])[i]!), top[1]!.map((v, i) => v || pattern(mark.low[1])[i]!), ...out.slice(2)];
    }
  }
  return out;
}

/** The glyph's pixels, row by row (true = ink); accented letters keep their accent. */
export function glyph(ch: string): boolean[][] {
  const plain = ch
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\u00a0|\u202f/g, ' ');
  if (plain in G) return rows(plain);
  const [base = '?', ...marks] = [...plain.normalize('NFD')];
  if (marks.length && marks.every((m) => /[\u0300-\u036f]/.test(m))) return withMarks(base, marks);
  // Anything else: its compatibility form (ﬁ → fi is two glyphs, so only single letters), else "?".
  const compat = plain.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return rows(compat in G ? compat : '?');
}

/** Advance per character at `scale`: the glyph and one column of space. */
export const advance = (scale: number) => (GLYPH_WIDTH + 1) * scale;

export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : text.length * advance(scale) - scale;
}
