/** The languages people read the service in: Russian by default, English on request. */
export type Language = 'ru' | 'en';

/** Russian unless the caller prefers English (Accept-Language: en...). */
export function languageOf(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'ru';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.split('-')[0], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((l) => (l.tag === 'ru' || l.tag === 'en') && l.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.tag as Language | undefined) ?? 'ru';
}
