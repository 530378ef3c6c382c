import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes, ValidatorOptions } from 'class-validator';
import { constraintMessage, keyed } from './field-messages';
import { detailMessage, FieldError, fieldMessage, Problems } from './problem';

/** Keys that reach an object's prototype when copied naively; a body never needs them. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const pathOf = (parent: string, key: string | number) =>
  typeof key === 'number' || /^\d+$/.test(key) ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * What no field of any request may hold, found in the value as parsed (before class-transformer
 * sees it): a NUL character in a string or a key (Postgres refuses it in text and jsonb, so it
 * would surface as a 500), and the keys `__proto__`, `constructor`, `prototype` (which
 * class-transformer drops without a word, so the whitelist never sees them).
 */
export function forbiddenContent(value: unknown, path = '', out: FieldError[] = [], depth = 0): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push({ field: path, message: fieldMessage('nulCharacter') });
  } else if (Array.isArray(value)) {
    if (depth < 64) value.forEach((item, index) => forbiddenContent(item, pathOf(path, index), out, depth + 1));
  } else if (value !== null && typeof value === 'object' && depth < 64) {
    for (const key of Object.keys(value)) {
      const field = pathOf(path, key);
      if (RESERVED_KEYS.has(key)) out.push({ field, message: fieldMessage('reservedName') });
      else if (key.includes('\u0000')) out.push({ field: field.replaceAll('\u0000', '\\u0000'), message: fieldMessage('nulCharacter') });
      else forbiddenContent((value as Record<string, unknown>)[key], field, out, depth + 1);
    }
  }
  return out;
}

/**
 * class-validator's @ValidateNested accepts an array where an object is expected (and arrays of
 * arrays where a list of objects is), validating the inner items instead: `[[]]` as a parts list
 * passed and reached the database. Every nested section must be an object, every item of a
 * nested list too.
 */
export function nestedShapeErrors(dto: object, path = '', out: FieldError[] = []): FieldError[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto.constructor, '', true, false);
  for (const meta of metadata) {
    if (meta.type !== ValidationTypes.NESTED_VALIDATION) continue;
    const value: unknown = (dto as Record<string, unknown>)[meta.propertyName];
    if (value === null || value === undefined) continue;
    const field = pathOf(path, meta.propertyName);
    const items: [unknown, string][] = meta.each && Array.isArray(value) ? value.map((item, i) => [item, pathOf(field, i)]) : [[value, field]];
    for (const [item, itemPath] of items) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) out.push({ field: itemPath, message: fieldMessage('isObject') });
      else nestedShapeErrors(item, itemPath, out);
    }
  }
  return out;
}

/** The arguments of a property's constraint (`maxLength` → `[300]`), read from the target's metadata. */
function constraintsOf(error: ValidationError, name: string): unknown[] | undefined {
  const target = error.target as object | undefined;
  if (!target || typeof target !== 'object') return undefined;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return metadata.find((meta) => meta.propertyName === error.property && (meta.name === name || meta.type === name))?.constraints as
    unknown[] | undefined;
}

/**
 * Flattens class-validator's tree into `{ field, message }` with paths like `parts[1].unitPrice`;
 * each failing constraint becomes a catalogue message with its arguments (see constraintMessage).
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const [name, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field: path, message: constraintMessage(name, constraintsOf(error, name), message) });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

/**
 * The global pipe: strips nothing silently (unknown properties are errors), converts types,
 * and reports every failing field at once. A bad body is 422; a bad query or path value is 400.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // The target is read for the constraints' arguments (maxLength's 300) and never sent.
      validationError: { target: true, value: false },
      exceptionFactory: (errors) => Problems.validation(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A DTO may accept a bare JSON array as one of its properties (e.g. the parts list).
    const arrayProperty = (metadata.metatype as { arrayBodyProperty?: string } | undefined)?.arrayBodyProperty;
    if (metadata.type === 'body' && arrayProperty && Array.isArray(value)) value = { [arrayProperty]: value };
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const forbidden = forbiddenContent(value, metadata.data ?? '');
      if (forbidden.length > 0) {
        throw metadata.type === 'body' ? Problems.validation(forbidden) : Problems.badRequest(detailMessage('invalidParameters'), forbidden);
      }
    }
    if (metadata.type === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))) {
      if (metadata.metatype && this.toValidate(metadata)) {
        throw Problems.validation([{ field: '', message: fieldMessage('bodyNotObject') }]);
      }
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (metadata.type !== 'body' && error instanceof Error && 'extensions' in error) {
        const errors = (error as { extensions: { errors?: FieldError[] } }).extensions.errors;
        throw Problems.badRequest(detailMessage('invalidParameters'), errors);
      }
      throw error;
    }
  }

  /** class-validator's findings plus the nested sections that are not objects, listed together. */
  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    const shapes = nestedShapeErrors(object).filter(({ field }) => !errors.some((error) => error.property === field));
    return [
      ...errors,
      ...shapes.map(({ field, message }): ValidationError => ({ property: field, constraints: { isObject: keyed(message) }, children: [] })),
    ];
  }
}
