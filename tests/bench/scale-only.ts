/** The scale run on its own (`npx tsx tests/bench/scale-only.ts [n]`): in-process Azurite, no bot. For working on the 10,000-application figures. */
import { startAzurite } from '../support/azurite';
import { runScale } from './scale';

async function main() {
  const n = Number(process.argv[2] ?? 10_000);
  const azurite = await startAzurite();
  try {
    const r = await runScale(azurite.connectionString, n, { auditPerApp: 2, say: (s) => console.log(s) });
    const line = (name: string, t: { median: number }) => console.log(`${name.padEnd(40)} ${t.median.toFixed(0).padStart(6)} ms`);
    line('snapshot read', r.snapshotRead);
    line('proposal from storage', r.proposalFromStorage);
    line('proposal in memory', r.proposalInMemory);
    line('reports from storage', r.reportsFromStorage);
    for (const [k, t] of Object.entries(r.reportsInMemory)) line(`in memory: ${k}`, t);
    for (const [k, t] of Object.entries(r.downloadsFromStorage)) line(`download ${k}`, t);
    // Card sizes as Teams counts them (UTF-16 bytes), against MESSAGE_LIMIT_BYTES.
    for (const c of r.cards) console.log(`card ${c.name.padEnd(40)} ${String(c.bytes).padStart(7)} B  ${c.note}`);
    for (const d of r.documents) console.log(`file ${d.file.padEnd(20)} ${d.bytes} bytes, ${d.valid ? 'reads back whole' : 'BROKEN'} (${d.note})`);
  } finally {
    await azurite.stop();
  }
}
void main();
