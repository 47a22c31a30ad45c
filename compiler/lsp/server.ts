// `supervise lsp --stdio`: the language server. Every request re-reads the document through the
// same front end as the CLI (compiler/driver/api.ts), so diagnostics carry the same codes and
// wording; the answers come from compiler/lsp/spec-index.ts. Loaded only by the `lsp` command
// (dist/lsp.js, a bundle of its own), so the other commands never pay for it.
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  DocumentSymbol,
  ProposedFeatures,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Range,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";
import type { Span } from "../diagnostics/span.ts";
import { formatSpec } from "../tools/format-spec.ts";
import type { TreeNode } from "../model/scope-tree.ts";
import { findTarget, indexSpec, moduleOccurrences, nodeOf, occurrences, type SpecIndex } from "./spec-index.ts";
import { hoverText } from "./hover.ts";
import { complete } from "./completion.ts";
import { quickFixOf } from "./quick-fixes.ts";

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;
const NAME = /^[A-Za-z_](?:[A-Za-z0-9_]|-(?!>))*$/;

function pathOf(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : uri;
}

export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; index: SpecIndex }>();

  const indexOf = (doc: TextDocument): SpecIndex => {
    const cached = cache.get(doc.uri);
    if (cached !== undefined && cached.version === doc.version) return cached.index;
    const path = pathOf(doc.uri);
    const index = indexSpec(doc.getText(), path, basename(path));
    cache.set(doc.uri, { version: doc.version, index });
    return index;
  };
  const rangeOf = (doc: TextDocument, span: Span): Range => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });
  const toLsp = (doc: TextDocument, d: Diagnostic): LspDiagnostic => ({
    range: rangeOf(doc, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "supervise",
    message: d.hint !== undefined ? `${d.message}\nhint: ${d.hint}` : d.message,
    ...(d.related !== undefined
      ? { relatedInformation: d.related.map((r) => ({ location: { uri: doc.uri, range: rangeOf(doc, r.span) }, message: r.message })) }
      : {}),
  });
  const withDoc = <T>(uri: string, answer: (doc: TextDocument, index: SpecIndex) => T): T | null => {
    const doc = documents.get(uri);
    return doc === undefined ? null : answer(doc, indexOf(doc));
  };

  let watchesFiles = false;
  connection.onInitialize(({ capabilities }) => {
    watchesFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      completionProvider: { triggerCharacters: [" ", ","] },
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: "supervise" },
    };
  });

  // A module file created, deleted or renamed changes what the checks say (SUP4001 and its
  // did-you-mean) without any edit to the spec: analyse the open specs again.
  connection.onInitialized(() => {
    if (!watchesFiles) return;
    // A client that then refuses the registration only loses the refresh.
    connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.{ts,mts,js,mjs,json}" }] }).catch(() => undefined);
  });
  connection.onDidChangeWatchedFiles(() => {
    cache.clear();
    for (const document of documents.all()) publish(document);
  });

  const publish = (document: TextDocument): void => {
    const index = indexOf(document);
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: index.diagnostics.map((d) => toLsp(document, d)) });
  };
  documents.onDidChangeContent(({ document }) => publish(document));
  documents.onDidClose(({ document }) => {
    cache.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const target = findTarget(index, doc.offsetAt(position));
      const text = target !== undefined ? hoverText(index, target) : undefined;
      if (target === undefined || text === undefined) return null;
      const span = target.kind === "reference" ? target.site.ref.parts[target.part]!.span : target.kind === "declaration" ? target.node.block.name.span : target.span;
      return { contents: { kind: "markdown", value: text }, range: rangeOf(doc, span) };
    }),
  );

  connection.onDefinition(({ textDocument, position }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const target = findTarget(index, doc.offsetAt(position));
      if (target?.kind === "module") {
        return { uri: pathToFileURL(target.absPath).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
      }
      const node = nodeOf(target);
      return node !== undefined ? { uri: doc.uri, range: rangeOf(doc, node.block.name.span) } : null;
    }),
  );

  connection.onReferences(({ textDocument, position, context }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const target = findTarget(index, doc.offsetAt(position));
      if (target?.kind === "module") return moduleOccurrences(index, target.absPath).map((span) => ({ uri: doc.uri, range: rangeOf(doc, span) }));
      const node = nodeOf(target);
      if (node === undefined) return [];
      const found = occurrences(index, node);
      const spans = context.includeDeclaration ? [found.declaration, ...found.references] : found.references;
      return spans.map((span) => ({ uri: doc.uri, range: rangeOf(doc, span) }));
    }),
  );

  const renamable = (index: SpecIndex, offset: number): { node: TreeNode; span: Span } | undefined => {
    const target = findTarget(index, offset);
    const node = nodeOf(target);
    if (node === undefined || target === undefined) return undefined;
    const span = target.kind === "reference" ? target.site.ref.parts[target.part]!.span : node.block.name.span;
    return { node, span };
  };
  connection.onPrepareRename(({ textDocument, position }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const found = renamable(index, doc.offsetAt(position));
      return found !== undefined ? rangeOf(doc, found.span) : null;
    }),
  );
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const found = renamable(index, doc.offsetAt(position));
      if (found === undefined) return null;
      if (!NAME.test(newName)) throw new Error(`'${newName}' is not a valid name: letters, digits, '_' and '-', starting with a letter or '_'`);
      // Two children of one supervisor with one name is an error (SUP2001): refuse rather than make it.
      const sibling = found.node.parent?.childByName.get(newName);
      if (sibling !== undefined && sibling !== found.node) throw new Error(`'${newName}' is already declared in ${found.node.parent!.kind} '${found.node.parent!.name}'`);
      const { declaration, references } = occurrences(index, found.node);
      return { changes: { [doc.uri]: [declaration, ...references].map((span) => ({ range: rangeOf(doc, span), newText: newName })) } };
    }),
  );

  connection.onCompletion(({ textDocument, position }) =>
    withDoc(textDocument.uri, (doc, index) =>
      complete(index, doc.getText(), doc.offsetAt(position)).map((c) => ({
        label: c.label,
        kind: c.kind === "keyword" ? CompletionItemKind.Keyword : c.kind === "name" ? CompletionItemKind.Reference : CompletionItemKind.EnumMember,
        ...(c.detail !== undefined ? { detail: c.detail } : {}),
      })),
    ) ?? [],
  );

  connection.onDocumentSymbol(({ textDocument }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const symbol = (node: TreeNode): DocumentSymbol =>
        DocumentSymbol.create(
          node.name,
          node.kind,
          node.kind === "app" ? SymbolKind.Module : node.kind === "supervisor" ? SymbolKind.Namespace : SymbolKind.Class,
          rangeOf(doc, node.block.span),
          rangeOf(doc, node.block.name.span),
          node.children.map(symbol),
        );
      return index.tree !== undefined ? [symbol(index.tree.root)] : [];
    }),
  );

  connection.onDocumentFormatting(({ textDocument }) =>
    withDoc(textDocument.uri, (doc) => {
      const text = doc.getText();
      const result = formatSpec(text, basename(pathOf(doc.uri)));
      if (result.formatted === undefined || result.formatted === text) return [];
      return [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: result.formatted }];
    }),
  );

  connection.onCodeAction(({ textDocument, range }) =>
    withDoc(textDocument.uri, (doc, index) => {
      const start = doc.offsetAt(range.start);
      const end = doc.offsetAt(range.end);
      const text = doc.getText();
      return index.diagnostics
        .filter((d) => d.span.start <= end && d.span.end >= start)
        .flatMap((d) => quickFixOf(d, text) ?? [])
        .map((fix) => ({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toLsp(doc, fix.diagnostic)],
          isPreferred: true,
          edit: { changes: { [doc.uri]: [{ range: rangeOf(doc, fix.diagnostic.span), newText: fix.newText }] } },
        }));
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}
