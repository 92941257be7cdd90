/**
 * The join link a phone opens from the gym screen's QR code, and that code as SVG markup
 * (the `qrcode` package; error correction M, which survives a glare spot on a TV).
 */
import QRCode from 'qrcode';

export function joinLink(origin: string, joinCode: string): string {
  return `${origin}/join?code=${encodeURIComponent(joinCode)}`;
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } });
}
