// The builders live in core (both the server's and the PWA's tests use them); this path stays
// for the integration tests and the benchmark that import it.
export * from '../../../../core/sync/testing/fixtures';
