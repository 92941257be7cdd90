/** Spotify's error shapes (G1): Web API `{error:{status,message,reason?}}`, accounts `{error,error_description}`. */
import type { HttpBindings } from '@hono/node-server';
import type { CallEntry } from './call-log';
import type { Client, Grant, User } from './state';

export interface ApiAuth {
  client: Client;
  user: User;
  grant: Grant;
}

export type EmuEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: { call: CallEntry; auth: ApiAuth };
};

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': JSON_TYPE, ...headers } });
}

export function apiError(status: number, message: string, reason?: string, headers: Record<string, string> = {}): Response {
  return json(status, { error: reason === undefined ? { status, message } : { status, message, reason } }, headers);
}

export function tokenError(error: string, description: string, status = 400): Response {
  return json(status, { error, error_description: description });
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/** The accounts service shows errors as a page, never redirecting to an unverified URI (A1, A2). */
export function errorPage(message: string, status = 400): Response {
  const html = `<!doctype html><html><head><title>Error</title></head><body><h1>Oops! Something went wrong</h1><p id="error">${message}</p></body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

export const RESTRICTION_VIOLATED = 'Player command failed: Restriction violated';
