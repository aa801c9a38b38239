/** How bad an ingest problem is: an `error` drops the row (or the file), a `warning` keeps the row with the bad value left out. */
export const INGEST_ISSUE_SEVERITIES = ['error', 'warning'] as const;
/** One of INGEST_ISSUE_SEVERITIES. */
export type IngestIssueSeverity = (typeof INGEST_ISSUE_SEVERITIES)[number];

/** One problem found while reading a provider's file, located precisely enough for a user to open the file and fix it. */
export interface IngestIssue {
  readonly severity: IngestIssueSeverity;
  /** The file as the caller named it (usually a path relative to the data directory). */
  readonly file: string;
  /** 1-based physical line (the header is line 1); 0 when the problem concerns the whole file. */
  readonly line: number;
  /** Header name of the offending column, or null when the problem is not about one column. */
  readonly column: string | null;
  /** The offending cell text as found, or null when there is none. */
  readonly value: string | null;
  /** What is wrong and what was expected, written for the person who will fix the file. */
  readonly reason: string;
}
