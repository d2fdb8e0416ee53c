import { describe, expect, it } from 'vitest';
import { SCREEN_KEYS, screenForKey, type ScreenRoles } from '../src/lib/screenKeys';

const cashier: ScreenRoles = { canSell: true, canManage: false, isAdmin: false };
const manager: ScreenRoles = { canSell: true, canManage: true, isAdmin: false };
const admin: ScreenRoles = { canSell: true, canManage: true, isAdmin: true };
const inspector: ScreenRoles = { canSell: false, canManage: false, isAdmin: false };

describe('the screen keys', () => {
  it('open every screen for an administrator', () => {
    expect(['F2', 'F3', 'F4', 'F6', 'F7'].map((k) => screenForKey(k, admin)))
      .toEqual(['sale', 'return', 'shift', 'goods', 'admin']);
  });

  it('open only what a cashier may use', () => {
    expect(screenForKey('F2', cashier)).toBe('sale');
    expect(screenForKey('F3', cashier)).toBe('return');
    expect(screenForKey('F4', cashier)).toBe('shift');
    expect(screenForKey('F6', cashier)).toBeNull();
    expect(screenForKey('F7', cashier)).toBeNull();
  });

  it('give a manager the goods but not the settings', () => {
    expect(screenForKey('F6', manager)).toBe('goods');
    expect(screenForKey('F7', manager)).toBeNull();
  });

  it('keep a role that may not sell on the shift screen', () => {
    expect(screenForKey('F2', inspector)).toBeNull();
    expect(screenForKey('F3', inspector)).toBeNull();
    expect(screenForKey('F4', inspector)).toBe('shift');
  });

  it('leave other keys, and those the sale and shift screens use, alone', () => {
    for (const key of ['F1', 'F5', 'F8', 'F9', 'F10', 'F12', 'Escape', 'Enter', '2', 'f2', '']) {
      expect(screenForKey(key, admin)).toBeNull();
    }
  });

  it('show each screen a distinct key', () => {
    expect(new Set(Object.values(SCREEN_KEYS)).size).toBe(Object.keys(SCREEN_KEYS).length);
  });
});
