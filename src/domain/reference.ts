/** Reference numbers such as LB-2026-007: prefix, round year, a gap-free sequence per round. */
export function formatReference(prefix: string, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  return `${prefix}-${year}-${String(sequence).padStart(3, '0')}`;
}

const REFERENCE = /^([A-Z]{1,6})-(\d{4})-(\d{3,})$/;

export function parseReference(reference: string): { prefix: string; year: number; sequence: number } | undefined {
  const m = REFERENCE.exec(reference.trim().toUpperCase());
  if (!m) return undefined;
  return { prefix: m[1]!, year: Number(m[2]), sequence: Number(m[3]) };
}
