/**
 * /api/v1/sync: the sync protocol's wire format is core/sync/wire.ts (docs/sync-protocol.md §2),
 * versioned by PROTOCOL_VERSION; re-exported here so the REST contract has one index. The
 * request-level error codes (invalid_request, unsupported_protocol, stale_cursor, sync_busy,
 * payload_too_large, not_found) are in the catalog (errors.ts); per-mutation codes are
 * SYNC_ERROR_CODES.
 */
export {
  IdSchema as SyncSessionIdSchema,
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOLS,
  PullRequestSchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  SessionChunksRequestSchema,
  SessionChunksResponseSchema,
  SYNC_ERROR_CODES,
} from '../sync/wire';
