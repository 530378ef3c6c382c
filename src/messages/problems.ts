import { Language } from './language';
import { DetailMessage, FieldMessage, ProblemTexts } from './problems.catalogue';
import { enProblems } from './problems.en';
import { ruProblems } from './problems.ru';

const PROBLEMS: Record<Language, ProblemTexts> = { ru: ruProblems, en: enProblems };

/** A problem's title in the caller's language. */
export function problemTitle(status: number, language: Language = 'ru'): string {
  return PROBLEMS[language].title(status);
}

/** A failing field's name as a person reads it, when it has one. */
export function fieldLabel(path: string, language: Language = 'ru'): string | undefined {
  return PROBLEMS[language].fieldLabel(path);
}

/** A failing field's message in the caller's language. */
export function renderField(message: FieldMessage, language: Language = 'ru'): string {
  const text = PROBLEMS[language].field[message.key] as (args: unknown) => string;
  return text(message.args);
}

/** A problem's detail in the caller's language. */
export function renderDetail(detail: DetailMessage, language: Language = 'ru'): string {
  const text = PROBLEMS[language].detail[detail.key] as (args: unknown) => string;
  return text(detail.args);
}
