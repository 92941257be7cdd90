import type PocketBase from 'pocketbase';

/**
 * PocketBase settings that come from our environment: the app URL used in mail links,
 * the sender, and SMTP. Applied at every start (idempotent), so the environment stays the
 * one source of truth and no one needs the admin UI.
 */
export interface MailSettings {
  appName: string;
  appUrl: string;
  from: { address: string; name: string };
  smtp: { host: string; port: number; username?: string; password?: string; tls: boolean };
}

export async function applyMailSettings(pb: PocketBase, s: MailSettings): Promise<void> {
  await pb.settings.update({
    meta: { appName: s.appName, appURL: s.appUrl, senderName: s.from.name, senderAddress: s.from.address },
    smtp: {
      enabled: true,
      host: s.smtp.host,
      port: s.smtp.port,
      username: s.smtp.username ?? '',
      password: s.smtp.password ?? '',
      tls: s.smtp.tls,
    },
  });
}
