/**
 * G6: every call to the accounts and API routes, so tests can assert "exactly one refresh under
 * 50 concurrent requests". Control-plane calls are not logged.
 */
export interface CallEntry {
  seq: number;
  at: number;
  route: string;
  status: number | 'dropped';
  clientId: string | null;
  userId: string | null;
  grantType: string | null;
  refreshToken: string | null;
  fault: boolean;
}

export interface CallSummary {
  total: number;
  byRoute: Record<string, number>;
  byRefreshToken: Record<string, number>;
  byUser: Record<string, number>;
  byStatus: Record<string, Record<string, number>>;
  entries: CallEntry[];
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function summarize(entries: readonly CallEntry[], filter: { route?: string; user?: string }): CallSummary {
  const selected = entries.filter(
    (e) => (filter.route === undefined || e.route === filter.route) && (filter.user === undefined || e.userId === filter.user),
  );
  const summary: CallSummary = { total: selected.length, byRoute: {}, byRefreshToken: {}, byUser: {}, byStatus: {}, entries: [...selected] };
  for (const e of selected) {
    bump(summary.byRoute, e.route);
    if (e.refreshToken !== null) bump(summary.byRefreshToken, e.refreshToken);
    if (e.userId !== null) bump(summary.byUser, e.userId);
    bump((summary.byStatus[e.route] ??= {}), String(e.status));
  }
  return summary;
}
