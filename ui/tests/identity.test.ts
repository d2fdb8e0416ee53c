import { describe, expect, it } from 'vitest';
import { contactOf, validIinBin } from '../src/lib/identity';

describe('buyer on the receipt (R-7, R-8)', () => {
  it('checks the IIN/BIN check digit like the core', () => {
    expect(validIinBin('990101000014')).toBe(true);
    expect(validIinBin('123456789012')).toBe(false);
    expect(validIinBin('99010100001')).toBe(false);
    expect(validIinBin('99010100001a')).toBe(false);
  });

  it('reads an e-mail or a mobile number for the electronic receipt', () => {
    expect(contactOf(' buyer@example.kz ')).toEqual({ email: 'buyer@example.kz' });
    expect(contactOf('8 701 123 45 67')).toEqual({ phone: '+77011234567' });
    expect(contactOf('+7 (701) 123-45-67')).toEqual({ phone: '+77011234567' });
    expect(contactOf('12345')).toBeNull();
  });
});
