import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  isScalarType,
  Kind,
  print,
  printType,
  specifiedScalarTypes,
  typeFromAST,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLInterfaceType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RestEndpoint } from './documents';
import type { RestFace } from './face';

/**
 * The face's contract schema, generated from its endpoint documents: one root field per
 * endpoint, arguments = the operation's variables (wire names), return type = the shape of the
 * aliased selection (or the transform's documented type). sofa builds its routes and the OpenAPI
 * document from it; it is never executed (the face's `execute` runs the supergraph operation).
 */
export function contractSchema(face: RestFace, endpoints: RestEndpoint[], supergraph: GraphQLSchema): GraphQLSchema {
  const types = new Map<string, string>();
  const define: Define = (name, sdl) => {
    const existing = types.get(name);
    if (existing !== undefined && existing !== sdl) throw new Error(`REST face ${face.name}: type ${name} is selected in two different shapes`);
    types.set(name, sdl);
    return existing === undefined;
  };
  const rootFields = { query: [] as string[], mutation: [] as string[] };
  for (const e of endpoints) {
    const [operation, ...fragmentList] = e.document.definitions as [OperationDefinitionNode, ...FragmentDefinitionNode[]];
    const fragments = new Map(fragmentList.map((f) => [f.name.value, f]));
    const args = e.variables.map((v) => {
      declareInputType(getNamedType(typeFromAST(supergraph, v.type as any)!) as GraphQLNamedType, define);
      return `${v.variable.name.value}: ${print(v.type)}`;
    });
    const rootType = operation.operation === 'query' ? supergraph.getQueryType()! : supergraph.getMutationType()!;
    const root = operation.selectionSet;
    const selected = e.transform
      ? face.transforms![e.transform].returns
      : selectionType(rootType, root, `${pascal(e.name)}Response`, fragments, supergraph, define, true);
    const returns = e.transform || !face.envelopeType ? selected : envelope(face, e, selected, types, define);
    const description = e.summary ? `  ${JSON.stringify(e.summary)}\n` : '';
    rootFields[e.kind].push(`${description}  ${e.name}${args.length ? `(${args.join(', ')})` : ''}: ${returns}`);
  }
  const sdl = [
    face.typeDefs ?? '',
    ...types.values(),
    rootFields.query.length ? `type Query {\n${rootFields.query.join('\n')}\n}` : '',
    rootFields.mutation.length ? `type Mutation {\n${rootFields.mutation.join('\n')}\n}` : '',
  ].join('\n\n');
  return buildSchema(sdl);
}

/** The type of the face's envelope around a selection (`{data, meta, links}`, `{data}`), for OpenAPI. */
function envelope(face: RestFace, endpoint: RestEndpoint, selected: string, types: Map<string, string>, define: Define): string {
  const named = selected.replace(/[[\]!]/g, '');
  // A page's items: the `items` field of the selected type.
  const itemType = endpoint.page ? /\bitems: (\S+)/.exec(types.get(named) ?? '')?.[1] : undefined;
  const wrapper = face.envelopeType!(endpoint, itemType ?? selected);
  if (!wrapper) return selected;
  define(wrapper.name, wrapper.sdl);
  return `${wrapper.name}!`;
}

/** Adds a contract type; true when it was not there yet. */
type Define = (name: string, sdl: string) => boolean;

/**
 * The contract type of a selection set on `parent`: aliases become field names; a selection
 * that is exactly one fragment spread is the type named after the fragment. `root`: the
 * selection is the operation's, whose single field's type is the body.
 */
function selectionType(
  parent: GraphQLObjectType | GraphQLInterfaceType,
  selectionSet: SelectionSetNode,
  name: string,
  fragments: Map<string, FragmentDefinitionNode>,
  supergraph: GraphQLSchema,
  define: Define,
  root = false,
): string {
  const fields: string[] = [];
  for (const selection of flatten(selectionSet, fragments)) {
    if (selection.name.value === '__typename') {
      fields.push(`  ${selection.alias?.value ?? '__typename'}: String!`);
      continue;
    }
    const field = parent.getFields()[selection.name.value];
    const key = selection.alias?.value ?? selection.name.value;
    const named = getNamedType(field.type);
    let typeName: string;
    if (isLeafType(named)) {
      declareOutputLeaf(named, define);
      typeName = named.name;
    } else if (isObjectType(named) || isInterfaceType(named)) {
      const only = selection.selectionSet!.selections;
      const nestedName = only.length === 1 && only[0].kind === Kind.FRAGMENT_SPREAD ? only[0].name.value : root ? name : `${name}${pascal(key)}`;
      typeName = selectionType(named, selection.selectionSet!, nestedName, fragments, supergraph, define);
    } else {
      throw new Error(`REST contract: ${name}.${key} selects a union; give it a transform with a documented type`);
    }
    if (root) return wrap(field.type, typeName);
    const description = field.description ? `  ${JSON.stringify(field.description)}\n` : '';
    fields.push(`${description}  ${key}: ${wrap(field.type, typeName)}`);
  }
  define(name, `type ${name} {\n${fields.join('\n')}\n}`);
  return name;
}

/** Fields of a selection set with fragment spreads and inline fragments on the same type inlined. */
function flatten(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>) {
  const fields: import('graphql').FieldNode[] = [];
  for (const s of selectionSet.selections) {
    if (s.kind === Kind.FIELD) fields.push(s);
    else if (s.kind === Kind.FRAGMENT_SPREAD) fields.push(...flatten(fragments.get(s.name.value)!.selectionSet, fragments));
    else fields.push(...flatten(s.selectionSet, fragments));
  }
  return fields;
}

function wrap(type: GraphQLType, named: string): string {
  if (isNonNullType(type)) return `${wrap(type.ofType, named)}!`;
  if (isListType(type)) return `[${wrap(type.ofType, named)}]`;
  return named;
}

const builtIn = new Set(specifiedScalarTypes.map((t) => t.name));

function declareOutputLeaf(type: GraphQLNamedType, define: Define): void {
  if (isScalarType(type) && !builtIn.has(type.name)) define(type.name, `scalar ${type.name}`);
  else if (isEnumType(type)) define(type.name, printType(type));
}

/** Variables' input types (custom scalars, enums, input objects and what they contain). */
function declareInputType(type: GraphQLNamedType, define: Define): void {
  if (!isInputObjectType(type)) return declareOutputLeaf(type, define);
  if (!define(type.name, printType(type))) return; // already there (input types may nest themselves)
  for (const field of Object.values(type.getFields())) declareInputType(getNamedType(field.type), define);
}

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
