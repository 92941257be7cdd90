/**
 * Characters a font may lack and that were used as icons: private use (icon fonts), technical
 * and media symbols (⏮ ⏸ ⏭ U+23xx), arrows, geometric shapes (▶ U+25xx), miscellaneous
 * symbols and dingbats (U+26xx–27xx), and the emoji/pictograph planes. Tests use it to hold
 * controls to SVG icons.
 */
const ICON_GLYPHS = /[\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2b00-\u2bff\ue000-\uf8ff\u{1f000}-\u{1faff}]/gu;

/** The icon-like glyphs in `text`, in order. */
export function iconGlyphs(text: string): string[] {
  return text.match(ICON_GLYPHS) ?? [];
}
