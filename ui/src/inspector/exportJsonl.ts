// The portable journal export (docs/export-format.md), made in the browser from the
// pages of `journal_export`: the first line is a header with the register's identity,
// the period and the checksum before the first record; every further line is one
// record as the server sent it. The same file `sauda export` writes.

import type { ExportPage } from '../lib/generated/ExportPage';

export interface ExportResult {
  /** The file's text, one JSON value a line, ending with a newline. */
  text: string;
  records: number;
}

/** Pages through the export until `next_after_seq` is null. `page(after)` asks for
 *  the page after that record (null for the first). */
export async function exportJournal(
  from: string,
  to: string,
  page: (afterSeq: number | null) => Promise<ExportPage>,
  onProgress: (records: number) => void = () => {},
): Promise<ExportResult> {
  const lines: string[] = [];
  let after: number | null = null;
  let records = 0;
  for (;;) {
    const p = await page(after);
    if (lines.length === 0) {
      lines.push(JSON.stringify({
        format: 'sauda-journal-export',
        version: 1,
        from,
        to,
        register: p.header,
        previous_checksum: p.previous_checksum ?? null,
      }));
    }
    for (const r of p.records) {
      lines.push(JSON.stringify(r));
      records += 1;
    }
    onProgress(records);
    const next = p.next_after_seq ?? null;
    // A page that does not move on would loop for ever: stop instead.
    if (next === null || next === after) break;
    after = next;
  }
  return { text: `${lines.join('\n')}\n`, records };
}

/** `sauda-DEMO00000001-2026-11-01-2026-11-24.jsonl`: safe in every file system. */
export function exportFileName(rnm: string, from: string, to: string): string {
  const safe = rnm.replace(/[^A-Za-z0-9_-]+/g, '_') || 'register';
  return `sauda-${safe}-${from}-${to}.jsonl`;
}
