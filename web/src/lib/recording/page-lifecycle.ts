/**
 * "The page may be about to go away": the tab is hidden (the last event Chrome guarantees on
 * mobile before a kill) or the page is being unloaded. The recorder flushes on it.
 */
export type PageHideSource = (onHide: () => void) => () => void;

export function browserPageHide(target: Window | undefined = globalThis.window): PageHideSource {
  return (onHide) => {
    if (!target) return () => {};
    const onVisibility = () => {
      if (target.document.visibilityState === 'hidden') onHide();
    };
    target.document.addEventListener('visibilitychange', onVisibility);
    target.addEventListener('pagehide', onHide);
    return () => {
      target.document.removeEventListener('visibilitychange', onVisibility);
      target.removeEventListener('pagehide', onHide);
    };
  };
}
