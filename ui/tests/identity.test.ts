import { describe, expect, it } from 'vitest';
import { ageFromIin, contactOf, validIinBin } from '../src/lib/identity';

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

  it('reads the buyer\'s age from the IIN on the ID card', () => {
    const today = new Date(2026, 10, 23);
    expect(ageFromIin('051123500013', today)).toBe(21); // born 23.11.2005: 21 today
    expect(ageFromIin('051124500019', today)).toBe(20); // 21 only tomorrow
    expect(ageFromIin('900315300010', today)).toBe(36); // born 15.03.1990
    expect(ageFromIin('051131500017', today)).toBeNull(); // 31 November
    expect(ageFromIin('990101000014', today)).toBeNull(); // a valid number, no century
    expect(ageFromIin('051123500014', today)).toBeNull(); // wrong check digit
  });
});
