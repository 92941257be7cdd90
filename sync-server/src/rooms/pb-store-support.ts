import { randomInt } from 'node:crypto';
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { isNotFound } from '../pocketbase/admin-client';
import { isRecordId } from './store';

/**
 * Record access shared by the PocketBase room and hub stores (pb-room-store.ts,
 * ../hubs/pb-hub-store.ts): id generation, single-row lookups, deletes that tolerate a missing
 * row, and the once-only pairing claim both screens and hubs go through.
 */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A 15-character [a-z0-9] id, PocketBase's default record id pattern. */
export const newRecordId = (): string => Array.from({ length: 15 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');

export const clientError = (e: unknown, ...statuses: number[]): boolean => e instanceof ClientResponseError && statuses.includes(e.status);

/** A device that is paired by a one-time code: a display (room screen) or a hub. */
type Pairable = { id: string; pairing_code_hash?: string };

export function pbRecords(pb: PocketBase) {
  const col = (name: string) => pb.collection(name);
  return {
    col,
    /** The record `id` of `collection`, or null when the id is malformed or the row is gone. */
    async getOne<T>(collection: string, id: string, expand?: string): Promise<T | null> {
      if (!isRecordId(id)) return null;
      try {
        return await col(collection).getOne<T>(id, expand ? { expand } : undefined);
      } catch (e) {
        if (isNotFound(e)) return null;
        throw e;
      }
    },
    /** The first record matching `filter`, without counting the rest. */
    async first<T>(collection: string, filter: string, expand?: string): Promise<T | null> {
      return (await col(collection).getList<T>(1, 1, { filter, skipTotal: true, ...(expand ? { expand } : {}) })).items[0] ?? null;
    },
    /** Deletes the record; false when it was already gone. */
    async deleteIfExists(collection: string, id: string): Promise<boolean> {
      try {
        await col(collection).delete(id);
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
    /**
     * Uses a pairing code once: a claim row (unique code hash in `claims`) and the device's new
     * token go in one batch, so a second claim of the same code fails as a whole (400) and a
     * device deleted meanwhile fails too (404). Both are "not claimed", anything else is thrown.
     */
    async claimPairing(target: { devices: string; claims: string; claimField: string }, device: Pairable, tokenHash: string): Promise<boolean> {
      if (!device.pairing_code_hash) return false;
      const batch = pb.createBatch();
      batch.collection(target.claims).create({ [target.claimField]: device.id, pairing_code_hash: device.pairing_code_hash });
      batch.collection(target.devices).update(device.id, { token_hash: tokenHash, pairing_code_hash: '', pairing_expires: 0 });
      try {
        await batch.send();
        return true;
      } catch (e) {
        if (clientError(e, 400, 404)) return false;
        throw e;
      }
    },
  };
}
