import type { ActStatus } from '../acts/act-status';
import { formatMoscow } from './format';
import { statusLabel, texts } from './messages';
import { NotFoundSubject, ProblemTexts } from './problems.catalogue';

const TITLES: Record<number, string> = {
  400: 'Некорректный запрос',
  401: 'Требуется авторизация',
  403: 'Доступ запрещён',
  404: 'Не найдено',
  405: 'Метод не поддерживается',
  409: 'Конфликт',
  412: 'Предусловие не выполнено',
  413: 'Слишком большой запрос',
  415: 'Неподдерживаемый тип данных',
  422: 'Ошибка в данных запроса',
  428: 'Требуется предусловие',
  429: 'Слишком много запросов',
  500: 'Внутренняя ошибка сервера',
  503: 'Сервис временно недоступен',
};

const NOT_FOUND: Record<NotFoundSubject, string> = {
  act: 'Акт не найден.',
  settlement: 'Взаиморасчёт не найден.',
  shipment: 'Отправка не найдена.',
  serviceCenter: 'Сервисный центр не найден.',
  manager: 'Менеджер не найден.',
  apiKey: 'API-ключ не найден.',
  photo: 'Фото не найдено.',
  photoFile: 'Файл фото не найден.',
  category: 'Категория не найдена.',
  webhook: 'Вебхук не найден.',
  webhookDelivery: 'Отправка вебхука не найдена.',
};

const label = (status: string) => `«${statusLabel(status as ActStatus)}»`;
const statuses = (list: string[]) => list.map(label).join(' или ');

/** «300 символов», «1 символа»…: the Russian plural of a count. */
function plural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return `${n} ${many}`;
  if (units === 1) return `${n} ${one}`;
  if (units >= 2 && units <= 4) return `${n} ${few}`;
  return `${n} ${many}`;
}

/** Russian: the default language of every error answer. */
export const ruProblems: ProblemTexts = {
  title: (status) => TITLES[status] ?? 'Ошибка',
  fieldLabel: (path) => {
    const name = texts.fieldName(path);
    return name === path ? undefined : name;
  },
  field: {
    invalid: () => 'недопустимое значение',
    required: () => 'обязательное поле',
    notEmpty: () => 'обязательное поле',
    isString: () => 'должно быть строкой',
    isBoolean: () => 'должно быть true или false',
    isInt: () => 'должно быть целым числом',
    isNumber: () => 'должно быть числом',
    isUUID: () => 'должно быть идентификатором (UUID)',
    isEmail: () => 'должно быть адресом электронной почты',
    isUrl: () => 'должно быть адресом http(s)',
    isArray: () => 'должно быть списком',
    isObject: () => 'должно быть объектом',
    arrayNotEmpty: () => 'список не должен быть пустым',
    arrayUnique: () => 'значения в списке не должны повторяться',
    arrayMaxSize: ({ max }) => `должно содержать не больше ${plural(max, 'элемента', 'элементов', 'элементов')}`,
    arrayMinSize: ({ min }) => `должно содержать не меньше ${plural(min, 'элемента', 'элементов', 'элементов')}`,
    maxLength: ({ max }) => `должно быть не длиннее ${plural(max, 'символа', 'символов', 'символов')}`,
    minLength: ({ min }) => `должно быть не короче ${plural(min, 'символа', 'символов', 'символов')}`,
    min: ({ min }) => `должно быть не меньше ${min}`,
    max: ({ max }) => `должно быть не больше ${max}`,
    oneOf: ({ values }) => `должно быть одним из значений: ${values.join(', ')}`,
    unknownProperty: () => 'неизвестное поле',
    reservedName: () => 'зарезервированное имя, такого поля нет',
    nulCharacter: () => 'не должно содержать символ NUL',
    controlCharacters: () => 'не должно содержать управляющих символов',
    bodyNotObject: () => 'тело запроса должно быть объектом JSON',
    isMoney: () => 'должно быть суммой в рублях строкой, не больше 2 знаков после точки, например "780.00"',
    isCalendarDate: () => 'должно быть датой в формате ГГГГ-ММ-ДД',
    isPhone: () => 'должно быть номером телефона, например +7 916 123-45-67',
    isTimestamp: () => 'должно быть моментом времени с часовым поясом, например 2026-06-01T09:30:00Z',
    dateOrTimestamp: () => 'должно быть датой (ГГГГ-ММ-ДД) или моментом времени ISO 8601 (2026-06-01T09:30:00Z)',
    deadlineDuration: ({ minHours, maxDays, maxBusinessDays }) =>
      `должно быть сроком от ${minHours} ч до ${maxDays} дн. или от 1 до ${maxBusinessDays} рабочих дней, например 36h, 3d или 5bd`,
    wholePieces: () => 'должно быть целым числом штук, не меньше 1 (для дробного количества укажите единицу m, l или kg)',
    moreThanZero: () => 'должно быть больше 0',
    year: ({ first, last }) => `должно быть годом от ${first} до ${last}, например 2027`,
    calendarDay: ({ first, last }) => `должно быть датой в формате ГГГГ-ММ-ДД, с ${first}-01-01 по ${last}-12-31`,
    reasonCode: () => 'обязательно при решении not_warranty и должно быть одним из кодов GET /reason-codes',
    noActTwice: () => 'один и тот же акт указан дважды',
    photoFile: () => 'обязательное поле: один файл JPEG, PNG, WebP, HEIC/HEIF или PDF',
    takesNoFile: () => 'в этом поле файл не принимается',
    tooLong: () => 'слишком длинное значение',
    notInFuture: () => 'не должно быть в будущем',
    notAfterToday: ({ today }) => `не должно быть позже сегодняшнего дня (${today}, по Москве)`,
    saleAfterAccepted: () => 'не должна быть позже даты приёма в ремонт',
    serialWithNoSerial: () => 'должен быть null, когда указано «без серийного номера» (noSerialNumber: true)',
    repairEndBeforeAccepted: () => 'не должна быть раньше даты приёма в ремонт',
    ownPartPriceRequired: () => 'обязательно для своей запчасти в гарантийном акте (её компенсирует дистрибьютор)',
    serialRequired: () => 'обязательное поле; если номера нет, передайте null и noSerialNumber: true (Б/Н)',
    refusedTooLate: ({ days }) => `изделие принято в ремонт позже чем через ${plural(days, 'день', 'дня', 'дней')} после продажи`,
    refundNotAllowed: () => 'возврат возможен только по акту, где клиент отказался от ремонта в течение 14 дней (product.refusedWithin14Days)',
    unknownCategory: () => 'нет такой категории изделий',
    unknownServiceCenter: () => 'нет такого сервисного центра',
    unknownManager: () => 'нет такого менеджера',
    unknownAct: ({ id }) => `нет такого акта: ${id}`,
    oneServiceCenter: () => 'все акты должны быть одного сервисного центра',
    actIdsOrItems: () => 'укажите либо actIds, либо items (одно из двух)',
    unknownPart: ({ id }) => `${id} не запчасть этого акта`,
    ownPartNotShipped: () => 'своя запчасть сервисного центра не отправляется',
    partTwice: () => 'одна и та же запчасть указана дважды',
    invoiceMissingParts: ({ parts }) => `счёт должен включать каждую отправляемую запчасть; нет строк для: ${parts.join(', ')}`,
    amountMustEqual: ({ amount }) => `должна быть равна сумме счёта: ${amount}`,
    notBeforeShipped: ({ shippedAt }) => `не должно быть раньше отправки (${shippedAt})`,
    nothingToSettle: ({ ofServiceCenter }) =>
      `нет актов${ofServiceCenter ? ' этого сервисного центра' : ''}, закрытых как отремонтированные по этот день и ожидающих компенсации`,
    emailTaken: () => 'этот адрес уже занят другим менеджером',
    meOrManagerId: () => 'должно быть me или id менеджера',
    forManagersOnly: () => 'доступно только менеджерам',
    cursor: () => 'недействительный курсор',
    idempotencyKeyLength: () => 'должен быть длиной от 1 до 255 символов',
    idempotencyKeyReused: () => 'уже использован с другим запросом',
    notBeforeFrom: () => 'не должна быть раньше from',
    periodTooLong: ({ maxDays }) =>
      `должна быть не позже чем через ${plural(maxDays - 1, 'день', 'дня', 'дней')} после from (${maxDays} дн. включительно)`,
    multipart: ({ reason }) => reason,
    webhookScheme: () => 'должно быть адресом http:// или https://',
    webhookAddress: ({ host, range }) => `адрес ${host} недоступен для вебхуков: внутренние, локальные и служебные адреса запрещены (${range})`,
    webhookUnresolvable: ({ host }) => `имя ${host} не удаётся разрешить в адрес`,
  },
  detail: {
    invalidFields: () => 'В запросе есть ошибки; см. errors.',
    invalidParameters: () => 'Ошибки в параметрах запроса или пути; см. errors.',
    actIncomplete: () => 'Акт заполнен не полностью; см. errors.',
    notFound: ({ what }) => NOT_FOUND[what],
    noRoute: ({ method, path }) => `Нет маршрута ${method} ${path}.`,
    actionNotAllowed: ({ status }) => `Действие недоступно для акта в статусе ${label(status)}.`,
    withdrawnAct: () => 'Акт был отозван как черновик и не отправлялся на рассмотрение; открыть его снова нельзя.',
    actSettled: ({ settlementId }) =>
      `Компенсация своих запчастей по акту уже выплачена (взаиморасчёт ${settlementId}); их количество, цену и признак «своя» изменить нельзя.`,
    mismatchWindowClosed: ({ deadline }) => `Сообщить о несоответствии запчасти можно было до ${formatMoscow(deadline)} (МСК); срок истёк.`,
    shipNotAllowed: ({ statuses: allowed, acts }) => `Отправить запчасти можно только по актам в статусе ${statuses(allowed)}: ${acts}.`,
    nothingToDeliver: ({ acts }) => `Ни один акт этой отправки не ожидает доставки${acts ? `: ${acts}` : ''}.`,
    alreadyDelivered: ({ at }) => `Отправка уже отмечена доставленной: ${formatMoscow(at)} (МСК).`,
    unknownActs: ({ ids }) => `Неизвестные акты: ${ids.join(', ')}.`,
    oneServiceCenter: ({ count }) => `Отправка идёт в один сервисный центр, а эти акты относятся к ${count}.`,
    partialConsentRequired: ({ acts }) =>
      `Часть запчастей осталась бы на потом, а сервисный центр не дал согласия на отправку частями: ${acts.join(', ')}.`,
    partsAlreadyShipped: ({ parts }) => `Эти запчасти уже отправлены другой посылкой: ${parts.join(', ')}.`,
    paymentRequired: ({ acts }) => `Платный заказ отправляется только после оплаты счёта: ${acts.join(', ')}.`,
    notPaidOrder: () => 'Счёт выставляется только по платному заказу.',
    invoicePaid: () => 'Счёт по акту уже оплачен; изменить его или оплатить снова нельзя.',
    invoiceRequired: () => 'По акту ещё не выставлен счёт.',
    nothingToSettle: () =>
      'Нечего рассчитывать: все гарантийные акты со своими запчастями, закрытые как отремонтированные по этот день, уже рассчитаны.',
    versionChanged: ({ version }) => `Акт изменился (его версия ${version}); загрузите его снова и повторите изменение.`,
    sortForManagers: () => 'sort=review доступен только менеджерам.',
    duplicateCategory: ({ name }) => `Категория «${name}» уже есть.`,
    duplicateEmail: () => 'Менеджер с таким адресом уже есть.',
    photoLimit: ({ max }) => `К акту можно приложить не больше ${max} фото; удалите одно, чтобы добавить другое.`,
    photoTooLarge: ({ maxBytes }) => `Фото может весить не больше ${maxBytes} байт (8 МБ).`,
    photoType: ({ detected }) =>
      'Фото должно быть изображением JPEG, PNG, WebP, HEIC/HEIF или файлом PDF (проверяется по содержимому)' +
      (detected ? `; этот файл — ${detected}.` : '; этот файл не из их числа.'),
    photoMultipart: () => 'Отправьте фото как multipart/form-data с файлом в поле "file" и полем "kind".',
    actIdNotUuid: () => 'Идентификатор акта должен быть UUID.',
    apiKeyRequired: () => 'Нужен API-ключ: Authorization: Bearer <ключ>.',
    apiKeyUnknown: () => 'API-ключ неизвестен или отозван.',
    metricsTokenRequired: () => 'Для GET /metrics нужен токен метрик: Authorization: Bearer <METRICS_TOKEN>.',
    roleForbidden: () => 'Это действие недоступно для вашей роли.',
    ownKeysOnly: () => 'Менеджер может выпускать API-ключи только для себя.',
    revokeForbidden: () =>
      'Менеджер может отзывать ключи сервисных центров и свои, но не ключи другого менеджера (оператор может это сделать командой CLI revoke-key).',
    rateLimited: ({ limit, seconds, retryAfter }) =>
      `С этим API-ключом можно сделать не больше ${limit} запросов за ${seconds} с; повторите через ${retryAfter} с.`,
    anonymousRateLimited: ({ retryAfter }) => `Слишком много запросов без действующего API-ключа с этого адреса; повторите через ${retryAfter} с.`,
    cursor: () => 'Курсор недействителен; передайте nextCursor из предыдущей страницы того же запроса.',
    idempotencyKeyLength: () => 'Idempotency-Key должен быть длиной от 1 до 255 символов.',
    idempotencyKeyReused: () => 'Этот Idempotency-Key уже использован с другим запросом; для нового запроса нужен новый ключ.',
    idempotencyInProgress: () => 'Запрос с этим Idempotency-Key ещё выполняется; повторите через несколько секунд.',
    periodReversed: () => 'Период заканчивается раньше, чем начинается.',
    periodTooLong: ({ maxDays }) => `Период длиннее ${plural(maxDays, 'дня', 'дней', 'дней')}.`,
    queuesUnknown: () => 'Redis не отвечает; размеры очередей неизвестны.',
    dependencyDown: () => 'Одна из служб, от которых зависит сервис, недоступна; повторите чуть позже.',
    internal: () => 'Непредвиденная ошибка; она записана в журнал.',
    malformedJson: () => 'Тело запроса — некорректный JSON.',
    jsonTooDeep: ({ max }) => `Вложенность JSON в теле запроса больше ${max} уровней.`,
    uuidExpected: () => 'Идентификатор в пути запроса должен быть UUID.',
    bodyTooLarge: () => 'Тело запроса слишком большое.',
    unsupportedEncoding: () => 'Кодировка тела запроса не поддерживается.',
    fileTooLarge: ({ field }) => `Файл${field ? ` в поле "${field}"` : ''} больше, чем принимает этот адрес.`,
    tooManyFiles: () => 'Слишком много файлов: отправляйте по одному файлу в запросе.',
    unexpectedFile: ({ field }) => `Файл отправлен в поле${field ? ` "${field}"` : ''}, которое не принимает файлов.`,
    multipartRefused: ({ reason }) => `Тело multipart отклонено: ${reason}.`,
    verbatim: ({ text }) => text,
  },
};
