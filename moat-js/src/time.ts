/**
 * Times on the wire (spec/PROTOCOL.md section 1), as moat-core's `TimeFormat`: RFC 3339 UTC,
 * `YYYY-MM-DDTHH:MM:SSZ` when the millisecond part is zero, else `YYYY-MM-DDTHH:MM:SS.sssZ`.
 * Times are epoch milliseconds (integers).
 */

function pad(v: number, width: number): string {
  return String(v).padStart(width, "0");
}

/** Formats epoch milliseconds (years 0000 to 9999; sub-millisecond parts are truncated). */
export function formatTime(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(ms) || year < 0 || year > 9999) {
    throw new RangeError("time out of the range 0000-9999");
  }
  const millis = d.getUTCMilliseconds();
  const base =
    pad(year, 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) + "T" +
    pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2);
  return millis === 0 ? base + "Z" : base + "." + pad(millis, 3) + "Z";
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      return -1;
    }
    v = v * 10 + (c - 0x30);
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses the canonical form only; `null` for anything else. */
export function tryParseTime(s: string): number | null {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":" ||
      s[n - 1] !== "Z" || (n === 24 && s[19] !== ".")) {
    return null;
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const millis = n === 24 ? digits(s, 20, 3) : 0;
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59 || millis < 0 || day > daysInMonth(year, month)) {
    return null;
  }
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millis);
  const t = d.getTime();
  return formatTime(t) === s ? t : null;
}
