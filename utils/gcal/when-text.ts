/**
 * Calendar's details bubble shows the time only as text ("Thursday, November 19 ⋅ 2:00 – 3:00pm"), in the
 * user's language and calendar zone. This reads the English forms, in the browser's zone (assumed to be the
 * calendar's: it is unless the user set Calendar to another zone), and gives up — null — on anything else:
 * no time is better than a wrong one, and the feature then shows Calendar's own text without judging it.
 */

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DATE = /\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2})(?:,\s*(\d{4}))?/i;
const TIME = /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/gi;

export interface WhenTimes {
  start: string | null;
  end: string | null;
  allDay: boolean;
}

const NONE: WhenTimes = { start: null, end: null, allDay: false };

/** The year Calendar left out: this year's date, or next or last year's when that is nearer to now. */
function nearestYear(month: number, day: number, now: Date): number {
  const y = now.getFullYear();
  return [y - 1, y, y + 1].reduce((best, year) =>
    Math.abs(new Date(year, month, day).getTime() - now.getTime()) < Math.abs(new Date(best, month, day).getTime() - now.getTime()) ? year : best,
  );
}

function hour24(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}

export function parseWhenText(text: string, now: Date = new Date()): WhenTimes {
  const s = text.replace(/\s+/g, ' ').slice(0, 300);
  const date = DATE.exec(s);
  if (!date) return NONE;
  const month = MONTHS.indexOf(date[1]!.toLowerCase());
  const day = Number(date[2]);
  const year = date[3] ? Number(date[3]) : nearestYear(month, day, now);
  const rest = s.slice(date.index + date[0].length);
  // Only clock-like numbers: "2:00", "2pm", "14:00" — not a year or a day of a second date.
  const times = [...rest.matchAll(TIME)].filter((m) => m[2] != null || m[3] != null).slice(0, 2);
  if (times.length === 0) {
    const start = new Date(year, month, day);
    return start.getDate() === day ? { start: start.toISOString(), end: null, allDay: true } : NONE;
  }
  const [first, second] = times;
  const endMeridiem = second?.[3];
  let startHour = hour24(Number(first![1]), first![3] ?? endMeridiem);
  const endHour = second ? hour24(Number(second[1]), second[3]) : null;
  // "11:30 – 12:30pm" is how Calendar never writes it, but "2:00 – 3:00pm" shares the meridiem; a start after
  // the end means the shared meridiem was wrong for it.
  if (!first![3] && endMeridiem && endHour != null && startHour > endHour) startHour -= 12;
  const start = new Date(year, month, day, startHour, Number(first![2] ?? 0));
  if (Number.isNaN(start.getTime()) || startHour > 23 || start.getDate() !== day) return NONE;
  let end: Date | null = null;
  if (second && endHour != null && endHour <= 23) {
    end = new Date(year, month, day, endHour, Number(second[2] ?? 0));
    // Past midnight ("11:00pm – 1:00am"): the next day.
    if (end.getTime() <= start.getTime()) end = new Date(end.getTime() + 86_400_000);
  }
  return { start: start.toISOString(), end: end ? end.toISOString() : null, allDay: false };
}
