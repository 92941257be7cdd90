/**
 * The connection state in words. `label` is short and changes only when the state does (it goes
 * to the live region); `detail` may change every second (countdowns) and is not announced.
 */
import type { ConnectionState, GapReason, SensorContact } from '$core/heart-rate';

export interface StateText {
  label: string;
  detail: string;
  tone: 'neutral' | 'ok' | 'warn' | 'bad';
}

export function describeConnection(state: ConnectionState, strapName: string | null, now: number): StateText {
  const name = strapName ?? 'the strap';
  switch (state.kind) {
    case 'unsupported':
      return {
        label: 'Bluetooth is not available here',
        detail: state.reason === 'insecure-context' ? 'This page is not served over HTTPS.' : 'This browser has no Web Bluetooth.',
        tone: 'bad',
      };
    case 'idle':
      return { label: 'Not connected', detail: '', tone: 'neutral' };
    case 'choosing':
      return { label: 'Choose your strap', detail: "Pick it in the browser's list.", tone: 'neutral' };
    case 'connecting':
      return state.retry === null
        ? { label: `Connecting to ${name}…`, detail: '', tone: 'neutral' }
        : { label: `Reconnecting to ${name} (attempt ${state.attempt})…`, detail: sinceText(state.retry.since, now), tone: 'warn' };
    case 'streaming':
      return state.gap === null
        ? { label: `Connected to ${name}`, detail: '', tone: 'ok' }
        : { label: `Connected — ${gapText(state.gap.reason)}`, detail: '', tone: 'warn' };
    case 'silent':
      return {
        label: `Connected — no signal`,
        detail: `Nothing from ${name} for ${Math.max(0, Math.round((now - state.lastNotificationAt) / 1000))} s.`,
        tone: 'warn',
      };
    case 'reconnecting':
      return {
        label: `Link lost — reconnecting (attempt ${state.attempt})`,
        detail: `Next try in ${Math.max(0, Math.ceil((state.nextTryAt - now) / 1000))} s. ${sinceText(state.retry.since, now)}`,
        tone: 'warn',
      };
    case 'lost':
      return {
        label: state.reason === 'gave-up' ? 'Gave up reconnecting' : state.reason === 'chooser-cancelled' ? 'No strap chosen' : 'Could not connect',
        detail: state.message,
        tone: 'bad',
      };
  }
}

export function gapText(reason: GapReason): string {
  switch (reason) {
    case 'disconnected':
      return 'strap disconnected';
    case 'silence':
      return 'no signal';
    case 'no-reading':
      return 'no reading yet';
    case 'no-contact':
      return 'no skin contact';
  }
}

export function contactText(contact: SensorContact | null): string {
  switch (contact) {
    case 'detected':
      return 'Skin contact';
    case 'not-detected':
      return 'No skin contact — moisten the strap';
    case 'unsupported':
      return 'Contact not reported';
    default:
      return '—';
  }
}

function sinceText(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  return `Link down for ${s} s.`;
}
