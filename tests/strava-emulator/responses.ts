/**
 * Strava's error shape (README "Errors"): `{"message": "...", "errors": [{resource, field, code}]}`
 * for the API and the OAuth endpoints alike.
 */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers } });
}

export function fault(status: number, message: string, resource: string, field: string, code: string, headers: Record<string, string> = {}): Response {
  return json(status, { message, errors: [{ resource, field, code }] }, headers);
}

export const authError = (field = 'access_token', code = 'invalid', resource = 'Athlete') => fault(401, 'Authorization Error', resource, field, code);
export const badRequest = (resource: string, field: string, code = 'invalid') => fault(400, 'Bad Request', resource, field, code);
export const notFound = (resource: string) => fault(404, 'Record Not Found', resource, 'id', 'invalid');
