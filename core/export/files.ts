/** File names and MIME types for the three export formats. */
import { toCsv } from './csv';
import { toFit } from './fit';
import { toTcx } from './tcx';
import type { ExportSession } from './types';

export type ExportFormat = 'tcx' | 'fit' | 'csv';

export interface ExportFile {
  name: string;
  mime: string;
  data: string | Uint8Array;
}

const MIME: Record<ExportFormat, string> = {
  tcx: 'application/vnd.garmin.tcx+xml',
  fit: 'application/vnd.ant.fit',
  csv: 'text/csv;charset=utf-8',
};

/** "hrm-2023-11-14-2213-tabata.tcx": start time (UTC) and a slug of the title. */
export function exportFileName(session: Pick<ExportSession, 'startedAt' | 'title'>, format: ExportFormat): string {
  const stamp = new Date(session.startedAt).toISOString().slice(0, 16).replace('T', '-').replace(':', '');
  const slug = session.title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `hrm-${stamp}${slug ? `-${slug}` : ''}.${format}`;
}

export function exportSession(session: ExportSession, format: ExportFormat): ExportFile {
  const data = format === 'tcx' ? toTcx(session) : format === 'fit' ? toFit(session) : toCsv(session);
  return { name: exportFileName(session, format), mime: MIME[format], data };
}
