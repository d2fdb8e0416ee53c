// The function keys that switch the till's screens, so a cashier never needs the mouse
// to go between sale, return and shift. Only the screens the role may open answer:
// a key for a screen the nav does not show does nothing. F5 (reload) and F8–F12 are
// left alone: the browser and the sale and shift screens use them.

export type Screen = 'sale' | 'return' | 'shift' | 'goods' | 'admin';

/** What the logged-in person may open, as the nav decides it. */
export interface ScreenRoles {
  canSell: boolean;
  canManage: boolean;
  isAdmin: boolean;
}

/** The key of each screen, also shown as a hint on its nav button. */
export const SCREEN_KEYS: Record<Screen, string> = {
  sale: 'F2',
  return: 'F3',
  shift: 'F4',
  goods: 'F6',
  admin: 'F7',
};

export function screenAllowed(screen: Screen, roles: ScreenRoles): boolean {
  switch (screen) {
    case 'sale':
    case 'return':
      return roles.canSell;
    case 'shift':
      return true;
    case 'goods':
      return roles.canManage;
    case 'admin':
      return roles.isAdmin;
  }
}

/** The screen `key` (a KeyboardEvent `key`) opens for this role, or null. */
export function screenForKey(key: string, roles: ScreenRoles): Screen | null {
  for (const [screen, k] of Object.entries(SCREEN_KEYS) as [Screen, string][]) {
    if (k === key) return screenAllowed(screen, roles) ? screen : null;
  }
  return null;
}
