// SPDX-License-Identifier: Apache-2.0
/**
 * Configuration of `@custom-elements-manifest/analyzer`, which writes
 * packages/widget/custom-elements.json: the machine-readable description of Kindred's two public
 * elements (attributes, properties, methods, events, parts, CSS custom properties) that editors,
 * Storybook and framework wrappers read. Run through `npm run analyze` (scripts/analyze.mjs),
 * from packages/widget, so the paths in the manifest are the package's own. `npm test` checks that
 * the checked-in file is what the source says now (`node scripts/analyze.mjs --check`).
 *
 * Only the public surface is analysed: the two entry points, the two elements and their events.
 * The chat frame and its parts (`<kindred-chat-frame>`, the composer, the message list) run on the
 * relay's own page inside the iframe; no hospital page can place or style them, so listing them
 * would document an API nobody can use.
 */

/** The files whose declarations the manifest describes, relative to packages/widget. */
const publicModules = [
  'src/kindred-chat.ts',
  'src/kindred-console.ts',
  'src/components/chat/chat.ts',
  'src/components/chat/events.ts',
  'src/components/console/console.ts',
];

/**
 * Our entry points register elements with `define(name, Class)` (src/define.ts, which never
 * throws on a page that loads the script twice) rather than `customElements.define`, which is
 * all the analyzer recognises. This teaches it the helper: each such call becomes a
 * `custom-element-definition` export of its module, and the class gets its tag name.
 */
function defineHelperPlugin() {
  return {
    name: 'kindred-define-helper',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, klass] = node.arguments;
      if (!tag || !klass || !ts.isStringLiteral(tag) || !ts.isIdentifier(klass)) return;
      const source = importSource(ts, node.getSourceFile(), klass.text);
      if (!source) return;
      const module = new URL(source.replace(/\.js$/, '.ts'), `file:///${moduleDoc.path}`).pathname.slice(1);
      moduleDoc.exports = [...(moduleDoc.exports ?? []), { kind: 'custom-element-definition', name: tag.text, declaration: { name: klass.text, module } }];
    },
    packageLinkPhase({ customElementsManifest }) {
      const definitions = customElementsManifest.modules.flatMap((module) => module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition');
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          const definition = definitions.find((entry) => entry.declaration.name === declaration.name && entry.declaration.module === module.path);
          if (definition) Object.assign(declaration, { tagName: definition.name, customElement: true });
        }
      }
    },
  };
}

/**
 * Keeps the manifest to what a page can use, and makes it say it plainly:
 *
 * - Private and protected members go (protected ones exist for tests), and so do Lit's
 *   internal reactive state (`state: true`), which the Lit plugin takes for attributes. (Public
 *   members that exist for tests carry `@internal`, which the analyzer leaves out itself.)
 * - A default that is code rather than a value (`scriptOrigin`) goes; the description says it.
 * - Declarations a module does not export go (the analyzer lists some destructured locals).
 * - An event found from `dispatchEvent(new KindredExitEvent())` is matched by the class's static
 *   `eventName` to the `@event` documented on the element, which gets its type, rather than
 *   being listed a second time without a name.
 * - `Event`, a built-in, is a global superclass, not one declared in our module.
 * - A class JSDoc that opens with `@summary`: its first paragraph is the summary, the rest the
 *   description (the JSDoc parser would put all of it in the summary).
 */
function publicSurfacePlugin() {
  return {
    name: 'kindred-public-surface',
    packageLinkPhase({ customElementsManifest }) {
      const modules = customElementsManifest.modules;
      const classes = modules.flatMap((module) => module.declarations ?? []).filter((declaration) => declaration.kind === 'class');
      /** `kindred-open` for `KindredOpenEvent`: the default of its static `eventName`. */
      const eventName = (className) => {
        const field = classes.find((declaration) => declaration.name === className)?.members?.find((member) => member.static && member.name === 'eventName');
        return field?.default?.replace(/^'(.*)'$/, '$1');
      };
      for (const module of modules) {
        const exported = new Set((module.exports ?? []).map((entry) => entry.declaration?.name));
        module.declarations = (module.declarations ?? []).filter((declaration) => exported.has(declaration.name));
        for (const declaration of module.declarations) {
          if (declaration.kind !== 'class') continue;
          const internal = new Set((declaration.members ?? []).filter((member) => member.privacy === 'private' || member.privacy === 'protected').map((member) => member.name));
          if (declaration.members) declaration.members = declaration.members.filter((member) => !internal.has(member.name));
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((attribute) => !internal.has(attribute.fieldName));
          for (const entry of [...(declaration.members ?? []), ...(declaration.attributes ?? [])]) {
            if (entry.default !== undefined && !isLiteral(entry.default)) delete entry.default;
          }
          if (declaration.events) {
            const named = declaration.events.filter((event) => event.name);
            for (const found of declaration.events.filter((event) => !event.name)) {
              const name = eventName(found.type?.text);
              const documented = named.find((event) => event.name === name);
              if (documented) documented.type ??= found.type;
              else if (name) named.push({ ...found, name });
            }
            for (const event of named) {
              const type = classes.find((declaration) => eventName(declaration.name) === event.name)?.name;
              if (type) event.type ??= { text: type };
            }
            declaration.events = named;
          }
          if (declaration.superclass?.name === 'Event') declaration.superclass = { name: 'Event', package: 'global:' };
          if (!declaration.description && declaration.summary?.includes('\n\n')) {
            const [summary, ...rest] = declaration.summary.split('\n\n');
            declaration.summary = summary;
            declaration.description = rest.join('\n\n');
          }
        }
      }
    },
  };
}

/**
 * `export type { … }` exports nothing at run time (the entry points re-export their types that
 * way, for TypeScript users), yet the analyzer lists such names as JavaScript exports. They go.
 */
function typeOnlyExportsPlugin() {
  const typeOnly = new Map();
  return {
    name: 'kindred-type-only-exports',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isExportDeclaration(node) || !node.exportClause || !ts.isNamedExports(node.exportClause)) return;
      const names = typeOnly.get(moduleDoc.path) ?? new Set();
      for (const element of node.exportClause.elements) if (node.isTypeOnly || element.isTypeOnly) names.add(element.name.text);
      typeOnly.set(moduleDoc.path, names);
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const names = typeOnly.get(module.path);
        if (names && module.exports) module.exports = module.exports.filter((entry) => entry.kind !== 'js' || !names.has(entry.name));
      }
    },
  };
}

/**
 * Whether a field's initializer, as the analyzer copied it, is a value a reader can use (`false`,
 * `''`, `42`) rather than code (`scriptOrigin`, `location.origin`): those defaults are said in
 * words in the field's description instead.
 */
function isLiteral(text) {
  return /^(?:true|false|null|undefined|-?[\d_.]+|'[^']*'|"[^"]*")$/.test(text);
}

/** The module specifier `name` is imported from in `sourceFile`, if it is imported. */
function importSource(ts, sourceFile, name) {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause?.namedBindings) continue;
    const bindings = statement.importClause.namedBindings;
    if (ts.isNamedImports(bindings) && bindings.elements.some((element) => element.name.text === name)) {
      return statement.moduleSpecifier.text;
    }
  }
  return undefined;
}

export default {
  globs: publicModules,
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json's `customElements` field is written by hand: the analyzer would rewrite the file.
  packagejson: false,
  plugins: [defineHelperPlugin(), typeOnlyExportsPlugin(), publicSurfacePlugin()],
};
