/** XML 1.0 text and attribute escaping (§2.4, §3.3.3); characters XML 1.0 forbids are dropped. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** xsd:dateTime in UTC with milliseconds, e.g. 2023-11-14T22:13:20.000Z. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
