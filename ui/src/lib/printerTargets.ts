// The Printer screen's own reading of what a person types, so a mistake shows at once
// under the field instead of after a round trip: a printer target as the printers
// crate reads it (printers/src/target.rs: tcp:, serial:, usb:, spooler:, file:, png:),
// a network range as discovery.rs scans it (an address or a /22…/32 block), and the
// profile facts the screen turns into words. The shell checks everything again; this
// only helps the person typing. No words here: the screen's are in i18n.ts.

export type TargetProblem = 'empty' | 'noKind' | 'badKind' | 'nothingAfter' | 'badBaud' | 'badPort';

export const KINDS = ['tcp', 'serial', 'usb', 'spooler', 'file', 'png'] as const;
export type Kind = (typeof KINDS)[number];

/** Examples shown under the target field, one per kind of link. */
export const EXAMPLES = [
  'tcp:192.168.1.50',
  'serial:/dev/ttyUSB0@115200',
  'serial:COM3@9600',
  'usb:/dev/usb/lp0',
  'spooler:XP-80C',
];

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return !!m && m.slice(1).every((p) => Number(p) <= 255);
}

/** What a person typed, with the kind added where it is obvious: a bare address is a
 *  network printer, COM3 or /dev/tty… a serial port, /dev/usb/lp… a USB printer. */
export function normalizeTarget(text: string): string {
  const s = text.trim();
  if (!s) return s;
  if (isIpv4(s.replace(/:\d+$/, ''))) return `tcp:${s}`;
  if (/^COM\d+(@\d+)?$/i.test(s) || /^\/dev\/(tty|serial\/)/.test(s)) return `serial:${s}`;
  if (/^\/dev\/usb\/lp\d+$/.test(s)) return `usb:${s}`;
  return s;
}

/** Why `target` would be refused, or null when it reads (after `normalizeTarget`). */
export function targetProblem(target: string): TargetProblem | null {
  const s = target.trim();
  if (!s) return 'empty';
  const colon = s.indexOf(':');
  if (colon < 0) return 'noKind';
  const kind = s.slice(0, colon);
  const place = s.slice(colon + 1);
  if (!(KINDS as readonly string[]).includes(kind)) return 'badKind';
  if (!place) return 'nothingAfter';
  if (kind === 'serial' && place.includes('@')) {
    const baud = Number(place.slice(place.indexOf('@') + 1));
    if (!Number.isInteger(baud) || baud < 1200 || baud > 921600) return 'badBaud';
  }
  if (kind === 'tcp') {
    const m = /:(\d+)$/.exec(place);
    if (m && (Number(m[1]) < 1 || Number(m[1]) > 65535)) return 'badPort';
  }
  return null;
}

/** The kind of a target (`tcp`, `serial`…), or null. */
export function kindOf(target: string): Kind | null {
  const kind = target.trim().split(':')[0] ?? '';
  return (KINDS as readonly string[]).includes(kind) ? (kind as Kind) : null;
}

export type RangeProblem = 'bad' | 'tooBig';

/** A network range as discovery.rs reads it: how many hosts it holds, or why not. */
export function readRange(text: string): { hosts: number } | { problem: RangeProblem } | null {
  const s = text.trim();
  if (!s) return null;
  const slash = s.indexOf('/');
  if (slash < 0) return isIpv4(s) ? { hosts: 1 } : { problem: 'bad' };
  if (!isIpv4(s.slice(0, slash))) return { problem: 'bad' };
  const bits = s.slice(slash + 1);
  if (!/^\d+$/.test(bits)) return { problem: 'bad' };
  const n = Number(bits);
  if (n < 22 || n > 32) return { problem: 'tooBig' };
  const size = 2 ** (32 - n);
  // The network and broadcast addresses of a block are not hosts.
  return { hosts: size > 2 ? size - 2 : size };
}

/** The longest a scan of `hosts` addresses takes: 64 at a time, 400 ms to connect and
 *  400 ms to answer each (discovery.rs, printer_setup.rs). */
export function scanSeconds(hosts: number): number {
  return Math.ceil(hosts / 64) * 0.8;
}

export type FoundNote =
  | 'demo' | 'answered' | 'silent' | 'usblp' | 'usbRaw' | 'usbSerial' | 'onboard' | 'bluetooth' | 'serial' | 'queue';

/** A finding's description (English, from printers/src/discovery.rs and the shell) as a
 *  note the screen words in its language, plus what only the device says (its maker
 *  and model, USB ids); an unknown description is kept whole. */
export function describeFound(description: string): { note: FoundNote | null; rest: string } {
  const exact: Record<string, FoundNote> = {
    'virtual printer (demo)': 'demo',
    'network printer (answered DLE EOT)': 'answered',
    'USB printer (kernel usblp node)': 'usblp',
    'serial port (on board)': 'onboard',
    'Bluetooth serial port': 'bluetooth',
    'serial port': 'serial',
    'Windows print queue (RAW)': 'queue',
  };
  const known = exact[description];
  if (known) return { note: known, rest: '' };
  if (/^port \d+ open \(no ESC\/POS status answer\)$/.test(description)) return { note: 'silent', rest: '' };
  const raw = /^(.*) \(USB printer class, raw access\)$/.exec(description);
  if (raw) return { note: 'usbRaw', rest: raw[1] === 'USB printer' ? '' : (raw[1] ?? '') };
  const serial = /^USB serial (.*)$/.exec(description);
  if (serial) return { note: 'usbSerial', rest: serial[1] ?? '' };
  return { note: null, rest: description };
}

/** A profile as printer_profiles lists it. */
export interface PrinterProfile {
  name: string;
  paper_mm: number;
  width_dots: number;
  chars: number;
  kazakh: 'text' | 'inline' | 'raster';
  native_qr: boolean;
  cutter: boolean;
  drawer: boolean;
}

/** The picture of the test page in the virtual printer's folder (the `paper:` protocol). */
export function paperPicture(name: string, windows: boolean, stamp: number): string {
  const base = windows ? 'http://paper.localhost' : 'paper://localhost';
  return `${base}/${encodeURIComponent(name)}?v=${stamp}`;
}
