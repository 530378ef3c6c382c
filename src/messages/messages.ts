import type { ReasonCode } from '../acts/act-vocabulary';
import type { ActStatus, Resolution } from '../acts/act-status';
import { Labels } from './catalogue';
import { enLabels } from './en';
import { Language } from './language';
import { ruLabels, ruTexts } from './ru';

const LABELS: Record<Language, Labels> = { ru: ruLabels, en: enLabels };

/** Texts written into acts and e-mails: Russian, as stored and sent. */
export const texts = ruTexts;

export function statusLabel(status: ActStatus, language: Language = 'ru'): string {
  return LABELS[language].status[status];
}

export function resolutionLabel(resolution: Resolution, language: Language = 'ru'): string {
  return LABELS[language].resolution[resolution];
}

export function reasonCodeLabel(code: ReasonCode, language: Language = 'ru'): string {
  return LABELS[language].reasonCode[code];
}

/** A report's group that has no value. */
export function notGivenLabel(language: Language = 'ru'): string {
  return LABELS[language].notGiven;
}

/** "Закрыт (Отремонтировано)": the status with the resolution of a closed act. */
export function fullStatusLabel(status: ActStatus, resolution: Resolution | null, language: Language = 'ru'): string {
  return statusLabel(status, language) + (resolution ? ` (${resolutionLabel(resolution, language)})` : '');
}

/** The e-mails (mail.ru.ts): Russian, as sent. */
export { ruMail as mailTexts } from './mail.ru';
