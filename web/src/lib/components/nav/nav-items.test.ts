import { describe, expect, it } from 'vitest';
import { activeNavItem, navItems } from './nav-items';

describe('navItems', () => {
  it('gives at most five tabs, members an Account tab and guests Sign in', () => {
    const member = navItems(true);
    const guest = navItems(false);
    expect(member.length).toBeLessThanOrEqual(5);
    expect(guest.length).toBeLessThanOrEqual(5);
    expect(member.map((i) => i.id)).toEqual(['workout', 'history', 'class', 'settings', 'account']);
    expect(guest.map((i) => i.id)).toEqual(['workout', 'history', 'class', 'settings', 'signin']);
  });

  it('sends a member to their rooms and a guest to joining a class', () => {
    expect(navItems(true).find((i) => i.id === 'class')!.href).toBe('/rooms');
    expect(navItems(false).find((i) => i.id === 'class')!.href).toBe('/join');
  });
});

describe('activeNavItem', () => {
  const items = navItems(true);

  it('finds the tab of a screen and of the screens under it', () => {
    expect(activeNavItem(items, '/workout')).toBe('workout');
    expect(activeNavItem(items, '/history')).toBe('history');
    expect(activeNavItem(items, '/history/abc')).toBe('history');
    expect(activeNavItem(items, '/rooms/x1/report')).toBe('class');
    expect(activeNavItem(items, '/join')).toBe('class');
    expect(activeNavItem(items, '/spotify')).toBe('account');
    expect(activeNavItem(navItems(false), '/forgot-password')).toBe('signin');
  });

  it('matches whole path segments only, and home belongs to no tab', () => {
    expect(activeNavItem(items, '/historyx')).toBeNull();
    expect(activeNavItem(items, '/')).toBeNull();
    expect(activeNavItem(items, '/strap')).toBeNull();
  });
});
