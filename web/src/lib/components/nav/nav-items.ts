/**
 * The app's destinations as the tab bar shows them: five tabs at most, so on a 360 px phone
 * every one fits without sideways scrolling. Home is the brand link; the strap has its own
 * status chip; screens reached from a tab (the strap from Settings, Spotify from Account, the
 * password pages from Sign in) mark that tab as the current one.
 */
export type NavIconName = 'workout' | 'history' | 'class' | 'settings' | 'account';

export interface NavItem {
  id: 'workout' | 'history' | 'class' | 'settings' | 'account' | 'signin';
  label: string;
  href: string;
  icon: NavIconName;
  /** Path prefixes (segment-wise) this tab stands for. */
  paths: readonly string[];
}

/** Tabs for a member (signed in, or known to own this device's data while offline) or a guest. */
export function navItems(member: boolean): NavItem[] {
  return [
    { id: 'workout', label: 'Workout', href: '/workout', icon: 'workout', paths: ['/workout'] },
    { id: 'history', label: 'History', href: '/history', icon: 'history', paths: ['/history'] },
    { id: 'class', label: 'Class', href: member ? '/rooms' : '/join', icon: 'class', paths: ['/rooms', '/join', '/claim'] },
    { id: 'settings', label: 'Settings', href: '/settings', icon: 'settings', paths: ['/settings'] },
    member
      ? { id: 'account', label: 'Account', href: '/account', icon: 'account', paths: ['/account', '/spotify'] }
      : { id: 'signin', label: 'Sign in', href: '/signin', icon: 'account', paths: ['/signin', '/signup', '/forgot-password', '/reset-password', '/verify-email'] },
  ];
}

/** `/history/abc` is under `/history`; `/historyx` is not. */
function under(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(prefix + '/');
}

/** The tab the current screen belongs to, or null (home, the strap screen). */
export function activeNavItem(items: readonly NavItem[], pathname: string): NavItem['id'] | null {
  return items.find((item) => item.paths.some((p) => under(pathname, p)))?.id ?? null;
}
