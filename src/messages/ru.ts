import { ActTexts, Labels, StatusMail } from './catalogue';
import { formatMoscow } from './format';

/** Russian: the service's own language. */
export const ruLabels: Labels = {
  status: {
    draft: 'Черновик',
    submitted: 'На рассмотрении',
    info_requested: 'Запрошена информация',
    approved: 'Одобрен',
    parts_shipped: 'Запчасти отправлены',
    parts_delivered: 'Запчасти доставлены',
    part_mismatch: 'Несоответствие запчасти',
    closed: 'Закрыт',
  },
  resolution: {
    repaired: 'Отремонтирован',
    warranty_refused: 'ОТКАЗ в ГО',
    not_warranty: 'Не гарантийный случай',
    withdrawn: 'Отозван',
  },
};

function statusChanged({ number, label, reason, replyDeadline, mismatchDeadline }: StatusMail) {
  const lines = [`Статус акта ${number} изменён: «${label}».`];
  if (reason) lines.push(`Причина: ${reason}`);
  if (replyDeadline) lines.push(`Ответьте, пожалуйста, до ${formatMoscow(replyDeadline)} (МСК).`);
  if (mismatchDeadline) lines.push(`Сообщить о несоответствии запчасти можно до ${formatMoscow(mismatchDeadline)} (МСК).`);
  return { subject: `Акт ${number}: ${label}`, body: lines.join('\n') };
}

export const ruTexts: ActTexts = {
  systemName: 'Система',
  noSerialNumber: 'Б/Н',
  photoName: {
    nameplate: 'фото шильдика',
    warranty_card: 'фото гарантийного талона',
    receipt: 'фото чека',
    breakage: 'фото поломки',
    part: 'фото необходимой запчасти',
    fastening: 'фото крепежа',
    client_statement: 'фото заявления клиента',
    other: 'фото',
  },
  reason: {
    withdrawn: 'Отозван сервисным центром',
    missingPhotos: 'Не хватает обязательных фото',
    infoRequested: 'Менеджер запросил информацию',
    warranty: 'Гарантийный случай',
    paid: 'Платный заказ: запчасти за счёт сервисного центра',
    notWarranty: 'Не гарантийный случай',
    repairedBySc: 'Ремонт завершён сервисным центром',
    mismatchReported: 'Сервисный центр сообщил о несоответствии запчасти',
    answeredByComment: 'Ответ сервисного центра в комментарии',
    answeredByPhoto: (photo) => `Ответ сервисного центра: добавлено ${photo}`,
    delivered: (carrier, trackingNumber) => `Запчасти доставлены: ${carrier}, трек-номер ${trackingNumber}`,
    noReply: 'Нет ответа на запрос информации в срок',
    noMismatchReport: 'Нет сообщения о несоответствии запчасти в срок',
  },
  comment: {
    missingPhotos: (photos, refusal) =>
      `Пожалуйста, приложите к акту: ${photos.map((group) => group.join(' или ')).join('; ')}. ` +
      `Без ответа акт будет закрыт со статусом «${refusal}».`,
    shipped: (carrier, trackingNumber, urgent) => `Запчасти отправлены${urgent ? ' срочно' : ''}: ${carrier}, трек-номер ${trackingNumber}`,
    closedForNoReply: (resolution) =>
      `Сервисный центр не ответил на запрос информации в срок. Акт закрыт: «${resolution}». Открыть его снова может менеджер.`,
    closedForNoMismatchReport: (resolution) =>
      `Сервисный центр не сообщил о несоответствии запчасти в срок после доставки. Акт закрыт: «${resolution}».`,
  },
  mail: {
    statusChanged,
    managerComment: (number, manager, text) => ({
      subject: `Акт ${number}: новый комментарий менеджера`,
      body: `Менеджер ${manager} оставил комментарий к акту ${number}:\n\n${text}`,
    }),
    replyReminder: (number, deadline, resolution) => ({
      subject: `Акт ${number}: ответьте до ${deadline} (МСК)`,
      body:
        `Напоминаем: по акту ${number} менеджер ждёт ответа на свой запрос.\n` +
        `Ответьте, пожалуйста, до ${deadline} (МСК) комментарием или фото. ` +
        `Без ответа акт будет закрыт с решением «${resolution}».`,
    }),
    mismatchReminder: (number, deadline, resolution) => ({
      subject: `Акт ${number}: проверьте запчасти до ${deadline} (МСК)`,
      body:
        `Напоминаем: сообщить о неверной или неполной запчасти по акту ${number} можно до ${deadline} (МСК).\n` +
        `Если замечаний нет, акт будет закрыт как «${resolution}».`,
    }),
  },
};
