/**
 * What this browser remembers for class mode, in localStorage (null storage: private modes):
 * the device id that makes a rejoin the same participant, the participant's join (token and
 * details, so a refresh reconnects), a paired display's token (so a gym screen survives a
 * reload), and "Record when the class starts" (a choice about this phone, not the account).
 * Values are checked when read back.
 */
import { z } from 'zod';
import { ParticipantViewSchema } from '$core/rooms';

const DEVICE_KEY = 'hrm.class.device';
const JOIN_KEY = 'hrm.class.join';
const DISPLAY_KEY = 'hrm.class.display';
const AUTO_RECORD_KEY = 'hrm.class.autoRecord';

const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export function deviceId(store: Storage | null, make: () => string = () => crypto.randomUUID()): string {
  const kept = DeviceId.safeParse(store?.getItem(DEVICE_KEY));
  if (kept.success) return kept.data;
  const id = make();
  store?.setItem(DEVICE_KEY, id);
  return id;
}

export const JoinDetailsSchema = z.object({
  name: z.string().max(100).optional(),
  age: z.number().int().optional(),
  sex: z.enum(['male', 'female']).optional(),
  weightKg: z.number().optional(),
  restingHr: z.number().int().optional(),
  /** A measured maximum from the member's profile. */
  maxHr: z.number().int().optional(),
  initialsOnly: z.boolean().optional(),
  ranked: z.boolean().optional(),
});
export type JoinDetails = z.infer<typeof JoinDetailsSchema>;

export const SavedJoinSchema = z.object({
  code: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  token: z.string(),
  participant: ParticipantViewSchema,
  details: JoinDetailsSchema,
});
export type SavedJoin = z.infer<typeof SavedJoinSchema>;

const SavedDisplaySchema = z.object({ roomId: z.string(), token: z.string() });
export type SavedDisplay = z.infer<typeof SavedDisplaySchema>;

function read<T>(store: Storage | null, key: string, schema: z.ZodType<T>): T | null {
  try {
    const raw = store?.getItem(key);
    if (!raw) return null;
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function write(store: Storage | null, key: string, value: unknown): void {
  try {
    if (value === null) store?.removeItem(key);
    else store?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or blocked storage: the page still works, a refresh just asks again.
  }
}

export const loadJoin = (store: Storage | null) => read(store, JOIN_KEY, SavedJoinSchema);
export const saveJoin = (store: Storage | null, join: SavedJoin | null) => write(store, JOIN_KEY, join);
export const loadDisplay = (store: Storage | null) => read(store, DISPLAY_KEY, SavedDisplaySchema);
export const saveDisplay = (store: Storage | null, display: SavedDisplay | null) => write(store, DISPLAY_KEY, display);

export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
export const loadAutoRecord = (store: Storage | null) => read(store, AUTO_RECORD_KEY, z.boolean()) ?? false;
export const saveAutoRecord = (store: Storage | null, on: boolean) => write(store, AUTO_RECORD_KEY, on);
