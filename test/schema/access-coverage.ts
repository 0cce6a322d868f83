import { Kind, parse, type DirectiveNode } from 'graphql';
import { ACCESS_DIRECTIVES } from '../../src/federation/access-directives';

const hasRule = (directives: readonly DirectiveNode[] | undefined) => !!directives?.some((d) => (ACCESS_DIRECTIVES as readonly string[]).includes(d.name.value));

/**
 * `Type.field` of every field of an object type in a supergraph SDL that carries no access
 * directive (on itself or on its type) and is not listed in `publicFields`. Federation's and
 * the composition's own types (`join__*`, `link__*`, `_*`) are not the API and are skipped.
 */
export function fieldsWithoutAccessRule(supergraphSdl: string, publicFields: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeName = definition.name.value;
    if (/^(join__|link__|_)/.test(typeName)) continue;
    const typeRule = hasRule(definition.directives);
    for (const field of definition.fields ?? []) {
      const name = `${typeName}.${field.name.value}`;
      if (!typeRule && !hasRule(field.directives) && !publicFields.has(name)) missing.push(name);
    }
  }
  return missing;
}

/** Every `Type.field` the SDL defines (to keep the public list free of stale names). */
export function allFields(supergraphSdl: string): Set<string> {
  const names = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) names.add(`${definition.name.value}.${field.name.value}`);
  }
  return names;
}
