import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, Problems } from './problem';

/** Flattens class-validator's tree into `{ field, message }` with paths like `parts[1].unitPrice`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field: path, message: message.replace(/^property \S+ should not exist$/, 'is not a known field') });
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
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => Problems.validation(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A DTO may accept a bare JSON array as one of its properties (e.g. the parts list).
    const arrayProperty = (metadata.metatype as { arrayBodyProperty?: string } | undefined)?.arrayBodyProperty;
    if (metadata.type === 'body' && arrayProperty && Array.isArray(value)) value = { [arrayProperty]: value };
    if (metadata.type === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))) {
      if (metadata.metatype && this.toValidate(metadata)) {
        throw Problems.validation([{ field: '', message: 'the request body must be a JSON object' }]);
      }
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (metadata.type !== 'body' && error instanceof Error && 'extensions' in error) {
        const errors = (error as { extensions: { errors?: FieldError[] } }).extensions.errors;
        throw Problems.badRequest('The request has invalid query or path parameters; see errors.', errors);
      }
      throw error;
    }
  }
}
