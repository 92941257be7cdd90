/**
 * The history screens' store of recorded sessions, handed down through Svelte context by
 * routes/history/+layout.svelte (no module-level singleton; tests build their own).
 */
import { createContext } from 'svelte';
import type { SessionStore } from '$lib/storage/sessions';

export const [getHistoryStore, setHistoryStore] = createContext<SessionStore>();
