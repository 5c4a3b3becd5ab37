/** One audited action: who did what to what, with what result. Times are epoch ms (wall clock). */
export interface AuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly result: 'ok' | 'error' | 'planned' | 'refused';
  readonly detail: string | null;
}
