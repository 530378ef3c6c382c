/** Moscow date and time as people read it in Russian texts: "14.03.2026, 18:00". */
export function formatMoscow(date: Date): string {
  return date.toLocaleString('ru-RU', { timeZone: 'Europe/Moscow', dateStyle: 'short', timeStyle: 'short' });
}

/** The Moscow calendar date of an instant, `YYYY-MM-DD`. */
export function moscowDate(at: Date): string {
  return at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Moscow' });
}
