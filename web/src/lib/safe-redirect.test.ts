import { expect, it } from 'vitest';
import { safeNextPath } from './safe-redirect';

it('keeps same-origin paths and refuses the rest', () => {
  expect(safeNextPath('/account')).toBe('/account');
  expect(safeNextPath('/account?x=1')).toBe('/account?x=1');
  expect(safeNextPath(null)).toBe('/');
  expect(safeNextPath('https://evil.example')).toBe('/');
  expect(safeNextPath('//evil.example')).toBe('/');
  expect(safeNextPath('/\\evil.example')).toBe('/');
  expect(safeNextPath('javascript:alert(1)')).toBe('/');
});
