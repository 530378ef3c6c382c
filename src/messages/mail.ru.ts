import type { ActStatus } from '../acts/act-status';
import { formatMoscow } from './format';

/**
 * The e-mails, in Russian (API.md, "E-mail"): one per action, saying what happened, what to do
 * next, by when (Moscow time) and whom to contact. Typed like the catalogue (catalogue.ts): values
 * come in as labels and texts, never as enum values.
 */

/** Whom the service center writes to: its responsible manager. */
export interface MailContact {
  name: string;
  email: string;
  phone: string | null;
}

/** A comment that came with the change: a manager's question, or the system's note. */
export interface MailComment {
  /** The manager's name; null for the system's own note (the list of missing photos, a tracking number). */
  author: string | null;
  text: string;
}

/** One e-mail to a service center about one action on one act. */
export interface ScMail {
  number: string;
  /** The act's status label now (with the resolution when closed); null when the status did not change. */
  label: string | null;
  /** The status, for the next step. */
  status: ActStatus;
  /** Why, in the order the action said it. */
  reasons: string[];
  comments: MailComment[];
  /** The date the service center must act by, if any. */
  deadline: Date | null;
  /** An approved act's expected dispatch date (YYYY-MM-DD), when parts are to ship. */
  dispatchDate?: string | null;
  contact: MailContact | null;
  /** MAIL_SIGNATURE, or empty. */
  signature: string;
}

/** What a service center did, as a manager is told; several may come with one action. */
export type ManagerEvent = 'submitted' | 'answered' | 'comment' | 'problem' | 'delivered';

/** One e-mail to a manager about one action of a service center on one act. */
export interface ManagerMail {
  number: string;
  /** The service center's name as SQL puts it in (SERVICE_CENTER_MARK). */
  serviceCenter: string;
  events: ManagerEvent[];
  label: string;
  reasons: string[];
  comments: string[];
}

/** One line of a manager's morning digest. */
export interface DigestLine {
  number: string;
  serviceCenter: string;
  submittedAt: Date;
}

/** A webhook endpoint disabled for failing too long. */
export interface WebhookDisabledMail {
  url: string;
  failingSince: Date;
  lastError: string;
  /** MAIL_SIGNATURE, or empty. */
  signature: string;
}

export interface MailTexts {
  toServiceCenter: (mail: ScMail) => { subject: string; body: string };
  toManager: (mail: ManagerMail) => { subject: string; body: string };
  digest: (manager: string, acts: DigestLine[]) => { subject: string; body: string };
  /** To a webhook endpoint's owner: the endpoint was disabled after failing for WEBHOOK_DISABLE_AFTER. */
  webhookDisabled: (mail: WebhookDisabledMail) => { subject: string; body: string };
  /** The closing lines of an e-mail to a service center. */
  contactLines: (contact: MailContact | null, signature: string) => string[];
}

/** The next step for the service center, by the act's status. */
const NEXT_STEP: Record<ActStatus, string> = {
  draft: 'Заполните акт и отправьте его на рассмотрение.',
  submitted: 'От вас ничего не требуется: менеджер рассмотрит акт и сообщит решение.',
  info_requested: 'Ответьте комментарием к акту или приложите нужные фото.',
  approved: 'Если по акту нужны запчасти, мы отправим их и пришлём трек-номер. Когда ремонт будет закончен, отметьте акт как отремонтированный.',
  parts_shipped: 'Когда посылка придёт, подтвердите получение запчастей в акте.',
  parts_delivered:
    'Проверьте запчасти. Если что-то не так, сообщите о проблеме в акте; если всё в порядке, закончите ремонт и отметьте акт как отремонтированный.',
  part_mismatch: 'От вас ничего не требуется: менеджер разберётся с проблемой и сообщит решение.',
  closed: 'От вас ничего не требуется. Если вы не согласны с решением, ответьте на это письмо.',
};

const GENERAL_CONTACT = 'По вопросам об акте ответьте на это письмо или обратитесь в отдел гарантийного обслуживания.';

function contactLines(contact: MailContact | null, signature: string): string[] {
  const lines = contact
    ? [`Ваш менеджер: ${contact.name}, ${contact.email}${contact.phone ? `, тел. ${contact.phone}` : ''}.`, 'Ответить можно прямо на это письмо.']
    : [GENERAL_CONTACT];
  return signature ? [...lines, '', signature] : lines;
}

function toServiceCenter(mail: ScMail): { subject: string; body: string } {
  const questions = mail.comments.filter((c) => c.author !== null);
  const subject = mail.label
    ? `Акт ${mail.number}: ${mail.label}`
    : `Акт ${mail.number}: ${questions.length ? 'комментарий менеджера' : 'изменения'}`;
  const lines = ['Здравствуйте!', ''];
  lines.push(mail.label ? `Статус акта ${mail.number}: «${mail.label}».` : `Новое по акту ${mail.number}.`);
  for (const reason of mail.reasons) lines.push(`Причина: ${reason}.`.replace(/\.\.$/, '.'));
  for (const comment of mail.comments) {
    lines.push('');
    lines.push(comment.author ? `Менеджер ${comment.author} пишет:\n«${comment.text}»` : comment.text);
  }
  if (mail.dispatchDate) lines.push('', `Ожидаемая дата отправки запчастей: ${russianDate(mail.dispatchDate)}.`);
  lines.push('', `Что сделать: ${NEXT_STEP[mail.status]}`);
  if (mail.deadline) lines.push(`Срок: до ${formatMoscow(mail.deadline)} (МСК).`);
  lines.push('', ...contactLines(mail.contact, mail.signature));
  return { subject, body: lines.join('\n') };
}

/** `2026-12-03` → `03.12.2026`. */
function russianDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** The headline of a manager's e-mail: the weightiest of what the service center did. */
const MANAGER_EVENT: Record<ManagerEvent, { subject: string; line: (sc: string, number: string) => string; rank: number }> = {
  problem: { subject: 'сервисный центр сообщил о проблеме', line: (sc, n) => `${sc} сообщил о проблеме по акту ${n}.`, rank: 5 },
  answered: { subject: 'ответ сервисного центра', line: (sc, n) => `${sc} ответил на запрос по акту ${n}.`, rank: 4 },
  submitted: { subject: 'новый акт на рассмотрение', line: (sc, n) => `${sc} отправил акт ${n} на рассмотрение.`, rank: 3 },
  delivered: { subject: 'запчасти получены', line: (sc, n) => `${sc} подтвердил получение запчастей по акту ${n}.`, rank: 2 },
  comment: { subject: 'комментарий сервисного центра', line: (sc, n) => `${sc} оставил комментарий к акту ${n}.`, rank: 1 },
};

function toManager(mail: ManagerMail): { subject: string; body: string } {
  const [main] = [...mail.events].sort((a, b) => MANAGER_EVENT[b].rank - MANAGER_EVENT[a].rank);
  const sc = `Сервисный центр «${mail.serviceCenter}»`;
  const lines = [MANAGER_EVENT[main].line(sc, mail.number), `Статус акта: «${mail.label}».`];
  for (const reason of mail.reasons) lines.push(`${reason}.`.replace(/\.\.$/, '.'));
  for (const comment of mail.comments) lines.push('', `Комментарий сервисного центра:\n«${comment}»`);
  if (main === 'submitted' || main === 'answered' || main === 'problem') lines.push('', 'Акт ждёт вашего решения.');
  return { subject: `Акт ${mail.number}: ${MANAGER_EVENT[main].subject}`, body: lines.join('\n') };
}

function actsWord(n: number): string {
  const [m10, m100] = [n % 10, n % 100];
  if (m10 === 1 && m100 !== 11) return 'акт';
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return 'акта';
  return 'актов';
}

function digest(manager: string, acts: DigestLine[]): { subject: string; body: string } {
  const lines = [
    `${manager}, доброе утро!`,
    '',
    `Ждут решения дольше срока рассмотрения: ${acts.length} ${actsWord(acts.length)}.`,
    '',
    ...acts.map((a) => `— акт ${a.number}, ${a.serviceCenter}, отправлен ${formatMoscow(a.submittedAt)} (МСК)`),
  ];
  return { subject: `Просрочено рассмотрение: ${acts.length} ${actsWord(acts.length)}`, body: lines.join('\n') };
}

function webhookDisabled(mail: WebhookDisabledMail): { subject: string; body: string } {
  const lines = [
    'Здравствуйте!',
    '',
    `Адрес для уведомлений (вебхук) ${mail.url} не принимает их с ${formatMoscow(mail.failingSince)} (МСК), и мы перестали их отправлять.`,
    ...(mail.lastError ? [`Последняя ошибка: ${mail.lastError}.`.replace(/\.\.$/, '.')] : []),
    '',
    'Уведомления, накопившиеся за это время, не потеряны: когда адрес снова заработает, включите вебхук ' +
      '(PATCH /api/v1/webhooks/{id} с enabled: true), и они придут по порядку. Журнал отправок: GET /api/v1/webhooks/{id}/deliveries.',
  ];
  if (mail.signature) lines.push('', mail.signature);
  return { subject: 'Вебхук отключён: адрес не принимает уведомления', body: lines.join('\n') };
}

export const ruMail: MailTexts = { toServiceCenter, toManager, digest, webhookDisabled, contactLines };
