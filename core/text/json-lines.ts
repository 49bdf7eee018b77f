// JSON-lines text read from a file's tail: its whole object lines, in order (a partial first line and lines being written are skipped).

export type JsonRecord = Record<string, unknown>;

/** The value as a plain object, or undefined (arrays and null are not records). */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/**
 * The object lines of `text`; pass `startsMidLine` for a tail cut from a larger file, so its first, partial line is
 * not read. Lines that do not parse (being written, or cut) and lines that are not objects are skipped.
 */
export function jsonRecords(text: string, startsMidLine = false): JsonRecord[] {
  const lines = text.split("\n");
  if (startsMidLine) lines.shift();
  const records: JsonRecord[] = [];
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      const record = asRecord(JSON.parse(line));
      if (record !== undefined) records.push(record);
    } catch {
      // Not a whole JSON line: skipped.
    }
  }
  return records;
}

/** A record's ISO `timestamp` in ms, or undefined when it has none that parses. */
export function timestampOf(record: JsonRecord): number | undefined {
  const at = typeof record.timestamp === "string" ? Date.parse(record.timestamp) : Number.NaN;
  return Number.isNaN(at) ? undefined : at;
}
