import { base64ToBytes } from './base64';
import { decodeChunk, hashChunk } from './sample-codec';
import { MAX_CHUNK_BYTES, type ChunkPut } from './wire';

export type ChunkCheck =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly code: 'chunk_corrupt' | 'payload_too_large'; readonly message: string };

/**
 * Server-side verification of a pushed chunk (docs/sync-protocol.md §4, "Chunk validation"):
 * the payload must hash to the claimed sha256, decode, and agree with its metadata. The
 * client's word is never taken for any of it: sealed chunks are addressed by their hash.
 */
export async function checkChunk(put: ChunkPut): Promise<ChunkCheck> {
  const bytes = base64ToBytes(put.payload);
  if (bytes.length > MAX_CHUNK_BYTES) {
    return { ok: false, code: 'payload_too_large', message: `chunk of ${bytes.length} bytes; at most ${MAX_CHUNK_BYTES}` };
  }
  const sha = await hashChunk(bytes);
  if (sha !== put.sha256) return { ok: false, code: 'chunk_corrupt', message: 'the payload does not hash to sha256' };
  const decoded = decodeChunk(bytes);
  if (!decoded.ok) return { ok: false, code: 'chunk_corrupt', message: `the payload does not decode (${decoded.error.code})` };
  const r = decoded.readings;
  if (r.length !== put.readingCount || r[0]?.t !== put.firstT || r[r.length - 1]?.t !== put.lastT) {
    return { ok: false, code: 'chunk_corrupt', message: 'readingCount, firstT or lastT disagree with the payload' };
  }
  return { ok: true, bytes: bytes.length };
}
