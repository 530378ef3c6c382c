import { ActTexts, Labels, ParcelPart } from './catalogue';
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
    repaired: 'Отремонтировано',
    warranty_refused: 'ОТКАЗ в ГО',
    not_warranty: 'Не гарантийный случай',
    withdrawn: 'Отозван',
    not_repaired: 'Ремонт невозможен',
    refund_or_exchange: 'Возврат/обмен',
  },
  reasonCode: {
    mechanical_damage: 'Механическое повреждение',
    improper_use: 'Нарушение правил эксплуатации',
    overload: 'Перегрузка',
    no_documents: 'Нет документов (гарантийного талона или чека)',
    out_of_warranty: 'Гарантийный срок истёк',
    not_a_defect: 'Не является неисправностью',
    other: 'Другая причина',
  },
  notGiven: 'Не указано',
};

const FIELD_NAMES: Record<string, string> = {
  'product.categoryId': 'категория',
  'product.model': 'модель',
  'product.serialNumber': 'серийный номер',
  'product.noSerialNumber': 'без серийного номера',
  'product.complaint': 'причина обращения',
  'product.condition': 'внешний вид',
  'product.saleDate': 'дата продажи',
  'product.acceptedDate': 'дата приёма в ремонт',
  'product.completeness': 'комплектность',
  'product.hasWarrantyCard': 'гарантийный талон',
  'product.refusedWithin14Days': 'отказ в течение 14 дней',
  'product.paidOrder': 'платный заказ',
  'diagnosis.internalNumber': 'внутренний номер акта',
  'diagnosis.mechanic': 'мастер',
  'diagnosis.result': 'результат диагностики',
  'diagnosis.conclusion': 'заключение СЦ',
  'diagnosis.warrantyCase': 'гарантийный случай',
  'extra.customerName': 'ФИО клиента',
  'extra.customerPhone': 'телефон клиента',
  'extra.sellerOrganization': 'торгующая организация',
  'extra.complexity': 'сложность ремонта',
  'extra.productState': 'состояние изделия',
  'extra.repairEndDate': 'дата окончания ремонта',
  name: 'наименование',
  diagramNumber: 'номер по схеме',
  quantity: 'количество',
  unit: 'единица',
  ownPart: 'своя запчасть',
  unitPrice: 'цена',
};

/** `parts[1].unitPrice` → «запчасть 2: цена»; a whole part added or removed → «запчасть 2». */
function fieldName(path: string): string {
  const part = /^parts\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (part) return `запчасть ${Number(part[1]) + 1}` + (part[2] ? `: ${FIELD_NAMES[part[2]] ?? part[2]}` : '');
  return FIELD_NAMES[path] ?? path;
}

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (v === true) return 'да';
  if (v === false) return 'нет';
  if (typeof v === 'object') {
    const p = v as { name?: unknown; quantity?: unknown; unit?: unknown };
    if (typeof p.name === 'string') return `${p.name}, ${String(p.quantity)} ${ruUnits[p.unit as keyof typeof ruUnits] ?? ''}`.trim();
    return JSON.stringify(v);
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : JSON.stringify(v);
}

const ruUnits = { pcs: 'шт.', m: 'м', l: 'л', kg: 'кг' } as const;

/** Ends a text with a full stop unless it ends with one (an abbreviation such as «шт.»). */
function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

/** «Коленвал (№ 14) — 1 шт.» */
function parcelPart(part: ParcelPart): string {
  return `${part.name}${part.diagramNumber ? ` (№ ${part.diagramNumber})` : ''} — ${String(part.quantity)} ${ruUnits[part.unit]}`;
}

export const ruTexts: ActTexts = {
  systemName: 'Система',
  noSerialNumber: 'Б/Н',
  noSerialNumberSpellings: ['бн', 'нет', 'отсутствует', 'безномера'],
  problemReason: {
    wrong_part: 'прислали не ту запчасть',
    incomplete: 'запчасти пришли не полностью',
    damaged: 'запчасть повреждена',
    other_unit_failed: 'вышел из строя другой узел',
    other: 'другая причина',
  },
  unit: ruUnits,
  fieldName,
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
    answeredByComment: 'Ответ сервисного центра в комментарии',
    answeredByEdit: 'Ответ сервисного центра: акт исправлен',
    refund: 'Отказ от ремонта в течение 14 дней: возврат или обмен у продавца',
    notWarrantyBecause: (reason) => `Не гарантийный случай: ${reason}`,
    deliveredBySc: 'Сервисный центр подтвердил получение запчастей',
    problemReported: (reason) => `Сервисный центр сообщил о проблеме: ${reason}`,
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
    parcelParts: (carried, left) =>
      [
        ...(carried.length ? [sentence(`В посылке: ${carried.map(parcelPart).join('; ')}`)] : []),
        ...(left.length ? [sentence(`Остальные запчасти будут отправлены следующей посылкой бесплатно: ${left.map(parcelPart).join('; ')}`)] : []),
      ].join('\n'),
    parcelArrived: (carrier, trackingNumber) =>
      `Посылка получена: ${carrier}, трек-номер ${trackingNumber}. Акт ждёт остальные запчасти; срок проверки начнётся после последней посылки.`,
    partialConsent: (consent) =>
      consent
        ? 'Сервисный центр согласен получить запчасти частями: имеющиеся отправят сразу, остальные — следующей посылкой.'
        : 'Сервисный центр не согласен получать запчасти частями: все запчасти будут отправлены одной посылкой.',
    invoiceIssued: (amount, paymentReference, replaced) =>
      `${replaced ? 'Счёт заменён новым' : 'Выставлен счёт'} на запчасти: ${amount} руб. ` +
      `Назначение платежа: ${paymentReference}. Запчасти будут отправлены после оплаты.`,
    paymentRecorded: (amount, paidAt) => `Оплата получена: ${amount} руб., ${formatMoscow(paidAt)} (МСК). Запчасти будут отправлены.`,
    closedForNoReply: (resolution) =>
      `Сервисный центр не ответил на запрос информации в срок. Акт закрыт: «${resolution}». Открыть его снова может менеджер.`,
    closedForNoMismatchReport: (resolution) =>
      `Сервисный центр не сообщил о несоответствии запчасти в срок после доставки. Акт закрыт: «${resolution}».`,
    managerEdit: (changes) => `Менеджер исправил: ${changes.map((c) => `${c.field}: ${c.from} → ${c.to}`).join('; ')}.`,
    value,
  },
  calendar: {
    movedHoliday: (day, month) =>
      `Перенос выходного с ${day} ${['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'][month - 1]} (ст. 112 ТК РФ)`,
  },
  mail: {
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
    deliveryFollowUp: (carrier, trackingNumber, shippedAt, acts) => ({
      subject: `Посылка ${trackingNumber}: подтвердите получение`,
      body:
        `Посылка с запчастями (${carrier}, трек-номер ${trackingNumber}) отправлена ${shippedAt} (МСК), ` +
        `но её получение пока не подтверждено. Акты: ${acts}.\n` +
        'Если посылка пришла, подтвердите получение в акте. Если её нет, ответьте на это письмо: мы проверим доставку.',
    }),
    invoicePaid: (number, serviceCenter, amount, paidAt) => ({
      subject: `Акт ${number}: счёт оплачен`,
      body:
        `Счёт по платному заказу ${number} (сервисный центр «${serviceCenter}») оплачен: ${amount} руб., ${formatMoscow(paidAt)} (МСК).\n` +
        'Запчасти можно отправлять.',
    }),
  },
};
