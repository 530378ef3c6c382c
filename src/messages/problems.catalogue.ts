/**
 * What an error answer says to a person, by typed key: the problem's title, its detail and the
 * message of each failing field. Errors carry a key and its arguments; the problem-details
 * filter renders them in the caller's language (Russian by default, English on request).
 * The file imports nothing: domain code (the act's status machine) builds its messages here.
 */
export interface ProblemTexts {
  /** The title of a status (422 → «Ошибка в данных запроса»). */
  title: (status: number) => string;
  /** A failing field's name as a person reads it (`product.saleDate` → «дата продажи»), when it has one. */
  fieldLabel: (path: string) => string | undefined;
  field: FieldTexts;
  detail: DetailTexts;
}

/** Messages of one failing field (`errors[].message`); the field itself is named by its path. */
export interface FieldTexts {
  invalid: () => string;
  required: () => string;
  notEmpty: () => string;
  isString: () => string;
  isBoolean: () => string;
  isInt: () => string;
  isNumber: () => string;
  isUUID: () => string;
  isEmail: () => string;
  isUrl: () => string;
  isArray: () => string;
  isObject: () => string;
  arrayNotEmpty: () => string;
  arrayUnique: () => string;
  arrayMaxSize: (a: { max: number }) => string;
  arrayMinSize: (a: { min: number }) => string;
  maxLength: (a: { max: number }) => string;
  minLength: (a: { min: number }) => string;
  min: (a: { min: number }) => string;
  max: (a: { max: number }) => string;
  oneOf: (a: { values: string[] }) => string;
  unknownProperty: () => string;
  reservedName: () => string;
  nulCharacter: () => string;
  controlCharacters: () => string;
  bodyNotObject: () => string;
  isMoney: () => string;
  isCalendarDate: () => string;
  isPhone: () => string;
  isTimestamp: () => string;
  dateOrTimestamp: () => string;
  deadlineDuration: (a: { minHours: number; maxDays: number; maxBusinessDays: number }) => string;
  wholePieces: () => string;
  moreThanZero: () => string;
  year: (a: { first: number; last: number }) => string;
  calendarDay: (a: { first: number; last: number }) => string;
  reasonCode: () => string;
  noActTwice: () => string;
  photoFile: () => string;
  takesNoFile: () => string;
  tooLong: () => string;
  // Rules of services
  notInFuture: () => string;
  notAfterToday: (a: { today: string }) => string;
  saleAfterAccepted: () => string;
  serialWithNoSerial: () => string;
  repairEndBeforeAccepted: () => string;
  ownPartPriceRequired: () => string;
  serialRequired: () => string;
  refusedTooLate: (a: { days: number }) => string;
  refundNotAllowed: () => string;
  unknownCategory: () => string;
  unknownServiceCenter: () => string;
  unknownManager: () => string;
  unknownAct: (a: { id: string }) => string;
  oneServiceCenter: () => string;
  actIdsOrItems: () => string;
  unknownPart: (a: { id: string }) => string;
  ownPartNotShipped: () => string;
  partTwice: () => string;
  invoiceMissingParts: (a: { parts: string[] }) => string;
  amountMustEqual: (a: { amount: string }) => string;
  notBeforeShipped: (a: { shippedAt: string }) => string;
  nothingToSettle: (a: { ofServiceCenter: boolean }) => string;
  emailTaken: () => string;
  forManagersOnly: () => string;
  meOrManagerId: () => string;
  cursor: () => string;
  idempotencyKeyLength: () => string;
  idempotencyKeyReused: () => string;
  notBeforeFrom: () => string;
  periodTooLong: (a: { maxDays: number }) => string;
  multipart: (a: { reason: string }) => string;
  /** A webhook URL the SSRF guard refuses; `host`: the host (and what it resolves to), `range`: the refused kind of address. */
  webhookScheme: () => string;
  webhookAddress: (a: { host: string; range: string }) => string;
  webhookUnresolvable: (a: { host: string }) => string;
}

/** The `detail` of a problem. */
export interface DetailTexts {
  invalidFields: () => string;
  invalidParameters: () => string;
  actIncomplete: () => string;
  notFound: (a: { what: NotFoundSubject }) => string;
  noRoute: (a: { method: string; path: string }) => string;
  /** `status` is an act status (ActStatus): Russian texts name it by its label. */
  actionNotAllowed: (a: { action: string; status: string; role?: string }) => string;
  withdrawnAct: () => string;
  actSettled: (a: { settlementId: string }) => string;
  mismatchWindowClosed: (a: { deadline: Date }) => string;
  shipNotAllowed: (a: { statuses: string[]; acts: string }) => string;
  nothingToDeliver: (a: { acts: string }) => string;
  alreadyDelivered: (a: { at: Date }) => string;
  unknownActs: (a: { ids: string[] }) => string;
  oneServiceCenter: (a: { count: number }) => string;
  partialConsentRequired: (a: { acts: string[] }) => string;
  partsAlreadyShipped: (a: { parts: string[] }) => string;
  paymentRequired: (a: { acts: string[] }) => string;
  notPaidOrder: () => string;
  invoicePaid: () => string;
  invoiceRequired: () => string;
  nothingToSettle: () => string;
  versionChanged: (a: { version: number }) => string;
  sortForManagers: () => string;
  duplicateCategory: (a: { name: string }) => string;
  duplicateEmail: () => string;
  photoLimit: (a: { max: number }) => string;
  photoTooLarge: (a: { maxBytes: number }) => string;
  photoType: (a: { detected?: string }) => string;
  photoMultipart: () => string;
  actIdNotUuid: () => string;
  apiKeyRequired: () => string;
  apiKeyUnknown: () => string;
  metricsTokenRequired: () => string;
  roleForbidden: (a: { role: string }) => string;
  ownKeysOnly: () => string;
  revokeForbidden: () => string;
  rateLimited: (a: { limit: number; seconds: number; retryAfter: number }) => string;
  anonymousRateLimited: (a: { retryAfter: number }) => string;
  cursor: () => string;
  idempotencyKeyLength: () => string;
  idempotencyKeyReused: () => string;
  idempotencyInProgress: () => string;
  periodReversed: () => string;
  periodTooLong: (a: { maxDays: number }) => string;
  queuesUnknown: () => string;
  dependencyDown: () => string;
  internal: () => string;
  malformedJson: () => string;
  jsonTooDeep: (a: { max: number }) => string;
  /** Nest's ParseUUIDPipe refused a path parameter. */
  uuidExpected: () => string;
  bodyTooLarge: () => string;
  unsupportedEncoding: () => string;
  fileTooLarge: (a: { field?: string }) => string;
  tooManyFiles: () => string;
  unexpectedFile: (a: { field?: string }) => string;
  multipartRefused: (a: { reason: string }) => string;
  /** A text that comes from a library as it is (a parser's refusal), in its own words. */
  verbatim: (a: { text: string }) => string;
}

/** What a 404 says was not found. */
export type NotFoundSubject =
  'act' | 'settlement' | 'shipment' | 'serviceCenter' | 'manager' | 'apiKey' | 'photo' | 'photoFile' | 'category' | 'webhook' | 'webhookDelivery';

/** `{ key, args }` for every function of a catalogue section, typed by the function's parameter. */
type Keyed<T> = {
  [K in keyof T]: T[K] extends () => string ? { key: K; args?: undefined } : T[K] extends (args: infer A) => string ? { key: K; args: A } : never;
}[keyof T];

export type FieldMessage = Keyed<FieldTexts>;
export type DetailMessage = Keyed<DetailTexts>;

/** A field message by key: `fieldMessage('maxLength', { max: 300 })`. */
export function fieldMessage<K extends keyof FieldTexts>(key: K, ...args: Parameters<FieldTexts[K]>): FieldMessage {
  return { key, args: args[0] } as FieldMessage;
}

/** A problem detail by key: `detailMessage('notFound', { what: 'act' })`. */
export function detailMessage<K extends keyof DetailTexts>(key: K, ...args: Parameters<DetailTexts[K]>): DetailMessage {
  return { key, args: args[0] } as DetailMessage;
}
