import { IsOptional, IsUUID, registerDecorator, validateOrReject, type ValidationError, type ValidationOptions } from 'class-validator';
import { Field, ID } from 'type-graphql';
import type { IsURLOptions } from 'validator';
import { ArgumentValidationError } from 'type-graphql';
import { passwordPolicyProblem } from '../auth/passwords';
import { validationError, type DomainError, type FieldError } from '../errors';

/**
 * Input validation is declared on the input and args classes with class-validator's decorators;
 * type-graphql runs it before a resolver (build-schema.ts) and `asValidationFailure` turns its
 * errors, here and only here, into VALIDATION_FAILED with one message per field (REST faces then
 * rename the fields to their wire names). Messages read after the field: "email must be …".
 */

/** class-validator's errors as fields: nested inputs as `fields[0].name`. */
export function fieldErrorsOf(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const name = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).slice(0, 1).map((message) => ({ field: name, message }));
    return [...own, ...fieldErrorsOf(error.children ?? [], name)];
  });
}

/**
 * type-graphql's argument validation (`validateFn` of build-schema.ts): the input and args class
 * instances, with their decorators. JSON scalar values are not inputs: an object literal of a
 * JSONObject argument has no prototype, and class-validator throws a TypeError on it (a 500 for
 * `createEntityRecord(data: {title: "Emma"})`), so plain and prototype-less objects are skipped.
 */
export async function validateInputs(value: unknown): Promise<void> {
  const isInput = (v: unknown) => v !== null && typeof v === 'object' && ![null, Object.prototype].includes(Object.getPrototypeOf(v));
  const inputs = (Array.isArray(value) ? value : [value]).filter(isInput);
  try {
    await Promise.all(inputs.map((input) => validateOrReject(input as object, { forbidUnknownValues: false, skipMissingProperties: true })));
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
}

/**
 * Arg options for an argument validated elsewhere (e.g. once per subscription, not per event):
 * with a global `validateFn`, type-graphql ignores `validate: false`, but an argument's own
 * `validateFn` wins.
 */
export const VALIDATED_ELSEWHERE = { validateFn: async (): Promise<void> => undefined };

/** The domain error a failed argument validation becomes, or undefined for any other error. */
export function asValidationFailure(error: unknown): DomainError | undefined {
  if (!(error instanceof ArgumentValidationError)) return undefined;
  return validationError(fieldErrorsOf(error.extensions.validationErrors as ValidationError[]));
}

/** The password policy of the documents (length, upper and lower case, a digit). */
export function IsPassword(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPassword',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && passwordPolicyProblem(value) === undefined,
        defaultMessage: (args) => (typeof args?.value === 'string' ? passwordPolicyProblem(args.value) : undefined) ?? 'must be a string',
      },
    });
}

/** An optional `ID` field or argument that must be a UUID when given (owner, organization, user ids). */
export function OptionalUuid(options: { description?: string } = {}): PropertyDecorator {
  return (target, property) => {
    IsOptional()(target, property);
    IsUUID('all', MESSAGES.uuid)(target, property);
    Field(() => ID, { nullable: true, ...options })(target, property);
  };
}

/** Shared messages, so every domain words the same problem the same way. */
export const MESSAGES = {
  email: { message: 'must be a valid email address' },
  uuid: { message: 'must be a UUID' },
  httpUrl: { message: 'must be an http(s) URL' },
  required: { message: 'is required' },
  length: (min: number, max: number) => ({ message: `must be ${min} to ${max} characters` }),
  maxLength: (max: number) => ({ message: `must be at most ${max} characters` }),
} as const;

/** class-validator's IsUrl options for an http(s) URL, localhost included (development frontends). */
export const HTTP_URL: IsURLOptions = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
