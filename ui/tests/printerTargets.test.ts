import { describe, expect, it } from 'vitest';
import { describeFound, EXAMPLES, kindOf, normalizeTarget, paperPicture, readRange, scanSeconds, targetProblem } from '../src/lib/printerTargets';

describe('printer targets as printers/src/target.rs reads them', () => {
  it('accepts every kind of link, and every example shown under the field', () => {
    for (const t of [...EXAMPLES, 'tcp:printer.local:9101', 'usb:0416:5011', 'file:/tmp/x', 'png:/tmp/paper', 'serial:/dev/ttyS0']) {
      expect(targetProblem(t), t).toBeNull();
    }
  });

  it('says what is wrong, like Target::parse', () => {
    expect(targetProblem('  ')).toBe('empty');
    expect(targetProblem('printer')).toBe('noKind');
    expect(targetProblem('lpt:1')).toBe('badKind');
    expect(targetProblem('tcp:')).toBe('nothingAfter');
    expect(targetProblem('serial:/dev/ttyS0@fast')).toBe('badBaud');
    expect(targetProblem('serial:COM3@300')).toBe('badBaud');
    expect(targetProblem('tcp:10.0.0.5:70000')).toBe('badPort');
  });

  it('adds the kind where it is obvious, and leaves the rest alone', () => {
    expect(normalizeTarget(' 192.168.1.50 ')).toBe('tcp:192.168.1.50');
    expect(normalizeTarget('10.0.0.7:9101')).toBe('tcp:10.0.0.7:9101');
    expect(normalizeTarget('COM3')).toBe('serial:COM3');
    expect(normalizeTarget('com4@9600')).toBe('serial:com4@9600');
    expect(normalizeTarget('/dev/ttyUSB0@115200')).toBe('serial:/dev/ttyUSB0@115200');
    expect(normalizeTarget('/dev/serial/by-id/usb-Printer')).toBe('serial:/dev/serial/by-id/usb-Printer');
    expect(normalizeTarget('/dev/usb/lp0')).toBe('usb:/dev/usb/lp0');
    expect(normalizeTarget('tcp:1.2.3.4')).toBe('tcp:1.2.3.4');
    expect(normalizeTarget('999.1.1.1')).toBe('999.1.1.1');
    expect(normalizeTarget('XP-80C')).toBe('XP-80C');
    expect(kindOf('spooler:XP-80C')).toBe('spooler');
    expect(kindOf('lpt:1')).toBeNull();
  });
});

describe('network ranges as discovery.rs scans them', () => {
  it('counts the hosts of a block, without network and broadcast addresses', () => {
    expect(readRange('')).toBeNull();
    expect(readRange('192.168.7.0/24')).toEqual({ hosts: 254 });
    expect(readRange('10.0.0.9')).toEqual({ hosts: 1 });
    expect(readRange('10.1.2.3/32')).toEqual({ hosts: 1 });
    expect(readRange('10.1.2.0/31')).toEqual({ hosts: 2 });
    expect(readRange('10.0.0.0/22')).toEqual({ hosts: 1022 });
  });

  it('refuses what is too big or not an address', () => {
    expect(readRange('10.0.0.0/16')).toEqual({ problem: 'tooBig' });
    expect(readRange('printer')).toEqual({ problem: 'bad' });
    expect(readRange('300.1.1.0/24')).toEqual({ problem: 'bad' });
    expect(readRange('10.0.0.0/x')).toEqual({ problem: 'bad' });
  });

  it('bounds the time a scan takes', () => {
    expect(scanSeconds(1)).toBeCloseTo(0.8);
    expect(scanSeconds(254)).toBeCloseTo(3.2);
    expect(scanSeconds(1022)).toBeCloseTo(12.8);
  });
});

describe('the test page picture', () => {
  it('comes through the paper: protocol, fresh each time', () => {
    expect(paperPicture('test-page.png', false, 5)).toBe('paper://localhost/test-page.png?v=5');
    expect(paperPicture('test-page.png', true, 6)).toBe('http://paper.localhost/test-page.png?v=6');
  });
});

describe('what discovery.rs says about a printer it found', () => {
  it('becomes a note the screen words, keeping the model and the USB ids', () => {
    expect(describeFound('network printer (answered DLE EOT)')).toEqual({ note: 'answered', rest: '' });
    expect(describeFound('port 9100 open (no ESC/POS status answer)')).toEqual({ note: 'silent', rest: '' });
    expect(describeFound('USB printer (kernel usblp node)')).toEqual({ note: 'usblp', rest: '' });
    expect(describeFound('EPSON TM-T20III (USB printer class, raw access)')).toEqual({ note: 'usbRaw', rest: 'EPSON TM-T20III' });
    expect(describeFound('USB printer (USB printer class, raw access)')).toEqual({ note: 'usbRaw', rest: '' });
    expect(describeFound('USB serial 0483:5740 Printer')).toEqual({ note: 'usbSerial', rest: '0483:5740 Printer' });
    expect(describeFound('serial port')).toEqual({ note: 'serial', rest: '' });
    expect(describeFound('virtual printer (demo)')).toEqual({ note: 'demo', rest: '' });
    expect(describeFound('something new')).toEqual({ note: null, rest: 'something new' });
  });
});
