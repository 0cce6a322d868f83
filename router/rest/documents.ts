import fs from 'node:fs';
import path from 'node:path';
import {
  buildASTSchema,
  concatAST,
  Kind,
  parse,
  print,
  Source,
  validate,
  visit,
  type ArgumentNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type ObjectFieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { PROJECT_ROOT } from '../../src/paths';
import { HTTP_METHODS, type HttpMethod, type RestFace } from './face';

/** The route directive of endpoint documents; the supergraph is extended with it to validate them. */
export const REST_DIRECTIVE_SDL = /* GraphQL */ `
  enum RestMethod { GET POST PUT PATCH DELETE }
  """The REST route of an endpoint operation (router/rest). 204 answers without a body."""
  directive @rest(
    method: RestMethod!
    path: String!
    status: Int = 200
    summary: String
    "OpenAPI tags (default: the document's resource)"
    tags: [String!]
    "A transform of the face, for documented shapes a selection cannot express"
    transform: String
    "A list endpoint: the selection has items and total; the face's page envelope wraps it"
    page: Boolean = false
    "A redirect: answer 302 with the URL the selection's single field yields as Location, no body"
    redirect: Boolean = false
    "A message the face sends with the body (where its documents show one)"
    message: String
    "Relations of the body left out unless the request asks for them (faces with an include policy)"
    include: [String!]
    "Request headers bound to variables, each to the one named like it: X-Organization-Id → $x_organization_id"
    headers: [String!]
    "The variable that receives the request body as sent, unparsed (signed webhooks verify these bytes)"
    rawBody: String
    "A null result answers 200 with a JSON null body (where the document says it returns null) instead of 404"
    nullable: Boolean = false
  ) on QUERY | MUTATION
`;

/** One REST endpoint, read from a named operation of a face's document. */
export interface RestEndpoint {
  face: string;
  /** The operation name: the contract field and the OpenAPI operation id. */
  name: string;
  kind: 'query' | 'mutation';
  method: HttpMethod;
  /** Below the face's base path, with `:param` segments (each one a variable). */
  path: string;
  status: number;
  summary?: string;
  tags: string[];
  transform?: string;
  page: boolean;
  /** Answers 302 to the URL the selection yields (`@rest(redirect: true)`). */
  redirect: boolean;
  message?: string;
  /** Relations (response keys of the resource) sent only when the request includes them. */
  includes: string[];
  /** Response keys of the resource (of each item for a page): what a `fields` projection may name. */
  resourceKeys: string[];
  /** Variables bound to request headers (`@rest(headers:)`): variable name → header name. */
  headers: Record<string, string>;
  /** The variable that receives the raw request body (`@rest(rawBody:)`). */
  rawBody?: string;
  /** A null result is a 200 `null` (`@rest(nullable: true)`), not a 404. */
  nullable: boolean;
  /** The operation without `@rest`, with the fragments it uses (for the contract schema). */
  document: DocumentNode;
  /** The same, printed once: what the gateway executes. */
  query: string;
  /** Response key of the operation's single root field: its value is the body. */
  resultKey: string;
  /** Wire arguments: the variable definitions (names are the wire names). */
  variables: readonly VariableDefinitionNode[];
  /** GraphQL argument path (`input.displayName`) and its last segment → wire name (`display_name`). */
  wireNames: Record<string, string>;
  /** `file:line`, for messages. */
  source: string;
}

export class RestDocumentError extends Error {
  constructor(readonly problems: string[]) {
    super(`REST endpoint documents are invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'RestDocumentError';
  }
}

/** The committed supergraph, extended with `@rest`, to validate endpoint documents against. */
export function documentSchema(supergraphSdl = fs.readFileSync(path.join(PROJECT_ROOT, 'schema/supergraph.graphql'), 'utf8')): GraphQLSchema {
  return buildASTSchema(parse(supergraphSdl + '\n' + REST_DIRECTIVE_SDL), { assumeValidSDL: true });
}

export interface EndpointFile {
  /** File name, for messages. */
  name: string;
  /** OpenAPI tag of its endpoints (the resource). */
  tag: string;
  text: string;
}

/** Reads a face's documents from disk. */
export function readFaceDocuments(face: RestFace): EndpointFile[] {
  return Object.entries(face.documents).map(([tag, file]) => ({ name: file, tag, text: fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8') }));
}

/**
 * Parses and validates a face's documents against the supergraph (once, at start-up and in the
 * unit test) and reads their endpoints. Every problem is reported at once.
 */
export function readEndpoints(face: RestFace, schema: GraphQLSchema, files = readFaceDocuments(face)): RestEndpoint[] {
  const problems: string[] = [];
  const documents: DocumentNode[] = [];
  const tags = new Map(files.map((f) => [f.name, f.tag]));
  for (const file of files) {
    try {
      documents.push(parse(new Source(file.text, file.name)));
    } catch (error) {
      problems.push(String((error as Error).message));
    }
  }
  if (problems.length) throw new RestDocumentError(problems);
  // One document per face: fragments are shared across its files, operation names are unique.
  const document = concatAST(documents);
  for (const error of validate(schema, document)) problems.push(`${error.message} (${where(error.nodes?.[0])})`);
  if (problems.length) throw new RestDocumentError(problems);

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const endpoints: RestEndpoint[] = [];
  for (const operation of document.definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
    const endpoint = readEndpoint(face, operation, fragments, tags, problems);
    if (endpoint) endpoints.push(endpoint);
  }
  if (problems.length) throw new RestDocumentError(problems);
  return endpoints;
}

function readEndpoint(
  face: RestFace,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  tags: Map<string, string>,
  problems: string[],
): RestEndpoint | undefined {
  const source = where(operation);
  const fail = (message: string) => void problems.push(`${operation.name?.value ?? 'anonymous operation'}: ${message} (${source})`);
  if (!operation.name) return fail('endpoint operations need a name (the OpenAPI operation id)');
  if (operation.operation === 'subscription') return fail('subscriptions are not REST endpoints');
  const rest = operation.directives?.filter((d) => d.name.value === 'rest') ?? [];
  if (rest.length !== 1) return fail('needs exactly one @rest(method:, path:) directive');
  const route = directiveArguments(rest[0]);
  const method = route.method as HttpMethod;
  const routePath = route.path as string;
  if (!HTTP_METHODS.includes(method)) return fail(`unknown method ${route.method}`);
  if (!routePath.startsWith('/') || /\/$/.test(routePath)) return fail(`path "${routePath}" must start with "/" and not end with one`);
  const roots = operation.selectionSet.selections;
  if (roots.length !== 1 || roots[0].kind !== Kind.FIELD) return fail('selects exactly one root field (its value is the body)');
  const variableNames = new Set(operation.variableDefinitions?.map((v) => v.variable.name.value));
  for (const param of routePath.match(/:[A-Za-z_]\w*/g) ?? []) {
    if (!variableNames.has(param.slice(1))) fail(`path parameter ${param} is not a variable of the operation`);
  }
  const transform = route.transform as string | undefined;
  if (transform && !face.transforms?.[transform]) fail(`transform "${transform}" is not one of face ${face.name}'s transforms`);
  const page = route.page === true;
  const redirect = route.redirect === true;
  if (redirect && (transform || page)) fail('a redirect cannot be a page or use a transform');
  if (page && !face.pageBody) fail(`face ${face.name} has no page envelope policy`);

  const withoutRest: OperationDefinitionNode = { ...operation, directives: operation.directives?.filter((d) => d.name.value !== 'rest') };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [withoutRest, ...usedFragments(operation, fragments)] };
  const root = roots[0] as FieldNode;
  const resourceKeys = resourceKeysOf(root, page, fragments);
  if (redirect && resourceKeys.length !== 1) fail('a redirect selects exactly one field: the URL to redirect to');
  const includes = (route.include as string[] | undefined) ?? [];
  for (const relation of includes) if (!resourceKeys.includes(relation)) fail(`include "${relation}" is not a field of the body`);
  const headers = Object.fromEntries(((route.headers as string[] | undefined) ?? []).map((header) => [headerVariable(header), header]));
  for (const [variable, header] of Object.entries(headers)) if (!variableNames.has(variable)) fail(`header ${header} needs the variable $${variable}`);
  const rawBody = route.rawBody as string | undefined;
  if (rawBody && !variableNames.has(rawBody)) fail(`rawBody needs the variable $${rawBody}`);
  const wireNames = wireNamesOf(root.arguments ?? []);
  // Failing header-bound arguments are named by their header.
  for (const [arg, wire] of Object.entries(wireNames)) if (headers[wire]) wireNames[arg] = headers[wire];
  return {
    face: face.name,
    name: operation.name.value,
    kind: operation.operation,
    method,
    path: routePath,
    status: redirect ? 302 : ((route.status as number | undefined) ?? 200),
    summary: route.summary as string | undefined,
    tags: (route.tags as string[] | undefined) ?? [tags.get(operation.loc?.source.name ?? '') ?? face.name],
    transform,
    page,
    redirect,
    message: route.message as string | undefined,
    includes,
    resourceKeys,
    headers,
    rawBody,
    nullable: route.nullable === true,
    document,
    query: print(document),
    resultKey: root.alias?.value ?? root.name.value,
    variables: operation.variableDefinitions ?? [],
    wireNames,
    source,
  };
}

/** The variable a request header binds to: `X-Organization-Id` → `x_organization_id`. */
export function headerVariable(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** Method and path claimed by more than one endpoint, across all faces (they may share a base path). */
export function routeConflicts(faces: { face: RestFace; endpoints: RestEndpoint[] }[]): string[] {
  const claimed = new Map<string, RestEndpoint>();
  const conflicts: string[] = [];
  for (const { face, endpoints } of faces) {
    for (const e of endpoints) {
      // `:id` and `:slug` in the same place are the same route.
      const key = `${e.method} ${(face.basePath + e.path).replace(/:[A-Za-z_]\w*/g, ':')}`;
      const first = claimed.get(key);
      if (first) conflicts.push(`${e.method} ${face.basePath}${e.path}: ${first.face}.${first.name} (${first.source}) and ${e.face}.${e.name} (${e.source})`);
      else claimed.set(key, e);
    }
  }
  return conflicts;
}

/** Response keys of the body's resource: the root field's selection, or its `items` for a page. */
function resourceKeysOf(root: FieldNode, page: boolean, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const keysOf = (selectionSet: SelectionSetNode | undefined): FieldNode[] =>
    (selectionSet?.selections ?? []).flatMap((s) =>
      s.kind === Kind.FIELD ? [s] : s.kind === Kind.FRAGMENT_SPREAD ? keysOf(fragments.get(s.name.value)?.selectionSet) : keysOf(s.selectionSet),
    );
  let fields = keysOf(root.selectionSet);
  if (page) fields = keysOf(fields.find((f) => (f.alias?.value ?? f.name.value) === 'items')?.selectionSet);
  return [...new Set(fields.map((f) => f.alias?.value ?? f.name.value))];
}

function directiveArguments(directive: DirectiveNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) {
    const v = arg.value;
    if (v.kind === Kind.LIST) values[arg.name.value] = v.values.map((item) => ('value' in item ? item.value : undefined));
    else if (v.kind === Kind.INT) values[arg.name.value] = Number(v.value);
    else if ('value' in v) values[arg.name.value] = v.value;
  }
  return values;
}

function usedFragments(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment);
        }
      },
    });
  collect(operation);
  return [...used.values()];
}

/** `register(input: {displayName: $display_name})` → `input.displayName` and `displayName` → `display_name`. */
function wireNamesOf(args: readonly (ArgumentNode | ObjectFieldNode)[], prefix = '', names: Record<string, string> = {}): Record<string, string> {
  for (const arg of args) {
    const name = prefix + arg.name.value;
    if (arg.value.kind === Kind.VARIABLE) {
      names[name] = arg.value.name.value;
      names[arg.name.value] ??= arg.value.name.value;
    } else if (arg.value.kind === Kind.OBJECT) {
      wireNamesOf(arg.value.fields, `${name}.`, names);
    }
  }
  return names;
}

function where(node: { loc?: { source: Source; start: number } } | undefined): string {
  if (!node?.loc) return 'unknown place';
  const line = node.loc.source.body.slice(0, node.loc.start).split('\n').length;
  return `${node.loc.source.name}:${line}`;
}
